import type { Rng } from "./rng.ts";
import { SegmentWriter } from "../landing/segment-writer.ts";
import { DAY_MS, MIN_MS } from "./time.ts";
import { buildBody, receiptLineString, type BusinessNumber, type WebhookItem } from "./webhooks.ts";

/**
 * Collects webhook items and outbound log lines in per-UTC-day buckets, then, one day at a time,
 * batches items into POST bodies, signs them, adds Meta's duplicate re-deliveries, and writes both
 * landing streams in time order (received_at for webhooks, sent_at for outbound). Each UTC day is
 * sealed into its own segment(s).
 */
interface Post {
  at: number;
  seq: number;
  body: string;
}

interface Bucket {
  items: WebhookItem[];
  posts: Post[];
  outbound: { at: number; seq: number; line: string }[];
}

export interface LandingStats {
  posts: number;
  duplicatePosts: number;
  outboundLines: number;
}

const META_PREFIXES = ["173.252.", "31.13.", "66.220.", "69.171.", "157.240."];

export class LandingWriter {
  private readonly buckets = new Map<number, Bucket>();
  private seq = 0;
  private receipts = 0;
  readonly stats: LandingStats = { posts: 0, duplicatePosts: 0, outboundLines: 0 };
  private readonly webhooks: SegmentWriter;
  private readonly outbound: SegmentWriter;

  constructor(
    landingRoot: string,
    private readonly numbers: readonly BusinessNumber[],
    private readonly rng: Rng,
    private readonly appSecret: string,
    private readonly startMs: number,
    private readonly endMs: number,
  ) {
    const common = { landingRoot, writerId: "demo", maxBytes: 16 * 1024 * 1024, durable: false };
    this.webhooks = new SegmentWriter({ ...common, kind: "webhooks" });
    this.outbound = new SegmentWriter({ ...common, kind: "outbound" });
  }

  nextSeq(): number {
    return ++this.seq;
  }

  inRange(at: number): boolean {
    return at >= this.startMs && at < this.endMs;
  }

  private bucket(at: number): Bucket {
    const day = Math.floor(at / DAY_MS);
    let b = this.buckets.get(day);
    if (!b) {
      b = { items: [], posts: [], outbound: [] };
      this.buckets.set(day, b);
    }
    return b;
  }

  addItem(item: WebhookItem): void {
    if (!this.inRange(item.at)) return;
    this.bucket(item.at).items.push(item);
  }

  addOutbound(at: number, line: string): void {
    if (!this.inRange(at)) return;
    this.bucket(at).outbound.push({ at, seq: ++this.seq, line });
  }

  /** Writes every UTC day that ends at or before `untilMs`. */
  flushUntil(untilMs: number): void {
    const days = [...this.buckets.keys()].filter((d) => (d + 1) * DAY_MS <= untilMs).sort((a, b) => a - b);
    for (const d of days) this.flushDay(d);
  }

  flushAll(): void {
    const days = [...this.buckets.keys()].sort((a, b) => a - b);
    for (const d of days) this.flushDay(d);
    this.webhooks.seal();
    this.outbound.seal();
  }

  get bytes(): number {
    return this.webhooks.totalBytes + this.outbound.totalBytes;
  }

  get files(): string[] {
    return [...this.webhooks.sealed, ...this.outbound.sealed];
  }

  private flushDay(day: number): void {
    const b = this.buckets.get(day);
    if (!b) return;
    this.buckets.delete(day);
    const rng = this.rng;
    const byTime = (x: { at: number; seq: number }, y: { at: number; seq: number }): number =>
      x.at - y.at || x.seq - y.seq;
    b.items.sort(byTime);
    const posts = b.posts;
    const items = b.items;
    let i = 0;
    while (i < items.length) {
      const first = items[i] as WebhookItem;
      let k = 1;
      if (first.kind !== "account" && first.kind !== "echo") {
        const r = rng.float();
        const max = r < 0.66 ? 1 : r < 0.88 ? rng.int(2, 4) : r < 0.97 ? rng.int(5, 15) : rng.int(16, 60);
        while (k < max && i + k < items.length) {
          const next = items[i + k] as WebhookItem;
          if (next.kind === "account" || next.kind === "echo" || next.at - first.at > 4000) break;
          k++;
        }
      }
      const batch = items.slice(i, i + k);
      i += k;
      const last = batch[batch.length - 1] as WebhookItem;
      const body = buildBody(batch, this.numbers, rng);
      posts.push({ at: last.at, seq: last.seq, body });
      // Meta re-delivers some bodies minutes later (byte-identical).
      if (rng.chance(0.015)) {
        const at = last.at + rng.int(1, 20) * MIN_MS + rng.int(0, 59_999);
        if (this.inRange(at)) {
          const dup = { at, seq: ++this.seq, body };
          if (Math.floor(at / DAY_MS) === day) posts.push(dup);
          else this.bucket(at).posts.push(dup);
          this.stats.duplicatePosts++;
        }
      }
    }
    posts.sort(byTime);
    for (const p of posts) {
      this.receipts++;
      const line = receiptLineString({
        receiptId: `demo-${String(this.receipts).padStart(10, "0")}`,
        receivedAt: p.at,
        remoteAddr: rng.pick(META_PREFIXES) + rng.int(1, 254) + "." + rng.int(1, 254),
        body: p.body,
        appSecret: this.appSecret,
      });
      this.webhooks.append(line, new Date(p.at));
      this.stats.posts++;
    }
    b.outbound.sort(byTime);
    for (const o of b.outbound) {
      this.outbound.append(o.line, new Date(o.at));
      this.stats.outboundLines++;
    }
    // One segment per UTC day and stream.
    this.webhooks.seal();
    this.outbound.seal();
  }
}
