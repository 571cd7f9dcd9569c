/**
 * Receiver counters for `GET /metrics` (JSON): requests, rejections by reason, acknowledgement
 * latency percentiles over the most recent acknowledged POSTs, bytes and lines landed.
 */
export type RejectionReason =
  | "missing_signature"
  | "malformed_signature"
  | "bad_signature"
  | "too_large"
  | "method_not_allowed"
  | "not_found"
  | "handshake_bad_request"
  | "handshake_bad_token"
  | "handshake_not_configured"
  | "aborted"
  | "landing_failed";

const WINDOW = 16_384;

export interface MetricsSnapshot {
  readonly started_at: string;
  readonly uptime_s: number;
  readonly requests: { total: number; webhook_posts: number; handshakes: number; in_flight: number };
  readonly acknowledged: number;
  readonly rejections: Partial<Record<RejectionReason, number>>;
  readonly rejected_total: number;
  readonly landed: { lines: number; body_bytes: number; line_bytes: number };
  readonly ack_latency_ms: {
    window: number;
    p50: number | null;
    p90: number | null;
    p99: number | null;
    max: number | null;
  };
  readonly [extra: string]: unknown;
}

export class ReceiverMetrics {
  readonly startedAt = new Date();
  requests = 0;
  webhookPosts = 0;
  handshakes = 0;
  inFlight = 0;
  acknowledged = 0;
  linesLanded = 0;
  bodyBytesLanded = 0;
  lineBytesLanded = 0;
  private readonly rejections = new Map<RejectionReason, number>();
  private readonly latencies = new Float64Array(WINDOW);
  private latencyCount = 0;

  reject(reason: RejectionReason): void {
    this.rejections.set(reason, (this.rejections.get(reason) ?? 0) + 1);
  }

  rejected(reason: RejectionReason): number {
    return this.rejections.get(reason) ?? 0;
  }

  landed(bodyBytes: number, lineBytes: number, latencyMs: number): void {
    this.acknowledged += 1;
    this.linesLanded += 1;
    this.bodyBytesLanded += bodyBytes;
    this.lineBytesLanded += lineBytes;
    this.latencies[this.latencyCount % WINDOW] = latencyMs;
    this.latencyCount += 1;
  }

  snapshot(extra: Record<string, unknown> = {}): MetricsSnapshot {
    const n = Math.min(this.latencyCount, WINDOW);
    const sorted = this.latencies.slice(0, n).sort();
    const pct = (p: number) => (n === 0 ? null : round(sorted[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)]!));
    let rejectedTotal = 0;
    for (const v of this.rejections.values()) rejectedTotal += v;
    return {
      started_at: this.startedAt.toISOString(),
      uptime_s: round((Date.now() - this.startedAt.getTime()) / 1000),
      requests: {
        total: this.requests,
        webhook_posts: this.webhookPosts,
        handshakes: this.handshakes,
        in_flight: this.inFlight,
      },
      acknowledged: this.acknowledged,
      rejections: Object.fromEntries([...this.rejections].sort(([a], [b]) => a.localeCompare(b))),
      rejected_total: rejectedTotal,
      landed: { lines: this.linesLanded, body_bytes: this.bodyBytesLanded, line_bytes: this.lineBytesLanded },
      ack_latency_ms: {
        window: n,
        p50: pct(50),
        p90: pct(90),
        p99: pct(99),
        max: n === 0 ? null : round(sorted[n - 1]!),
      },
      ...extra,
    };
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
