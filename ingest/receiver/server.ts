import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Config } from "../../core/config.ts";
import type { HomeLayout } from "../../core/home.ts";
import { redact, registerSecret, type Logger } from "../../core/log.ts";
import { receiptLine } from "../landing/format.ts";
import { GroupCommitWriter } from "./group-commit.ts";
import { handshake } from "./handshake.ts";
import { ReceiverMetrics, type MetricsSnapshot, type RejectionReason } from "./metrics.ts";
import { acquireWriterLock, receiverRunTag, recoverOpenSegments } from "./recovery.ts";
import { SIGNATURE_HEADER, verifySignature } from "./signature.ts";

/**
 * The WhatsApp webhook receiver (`scrm serve`): Meta's GET handshake, signed POSTs landed as one
 * receipt line each and answered 200 only once that line is fsynced (group commit), 401 for a bad
 * or missing signature, 413 above `maxBodyBytes`, `GET /healthz`, `GET /metrics`.
 */

/** Keys the receiver reads beyond today's `receiver` config; optional, with these defaults. */
export const DEFAULT_SEGMENT_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_SEGMENT_MAX_AGE_MS = 60_000;

export type ReceiverConfig = Config["receiver"] & {
  /** Optional config keys (not yet in core/config.ts): rotation thresholds. */
  readonly segmentMaxBytes?: number;
  readonly segmentMaxAgeSeconds?: number;
};

export interface ReceiverOptions {
  readonly home: HomeLayout;
  readonly config: ReceiverConfig;
  readonly log: Logger;
  /** Letters and digits; one live receiver per writer id (default "rcv"). */
  readonly writerId?: string;
  /** fsync before acknowledging (default true); false only for the benchmark baseline. */
  readonly durable?: boolean;
  /** Local testing only: with no app secret configured, land POSTs as signature "not-checked". */
  readonly allowUnsigned?: boolean;
  readonly segmentMaxBytes?: number;
  readonly segmentMaxAgeMs?: number;
  /** How long `close()` waits for in-flight requests before cutting connections (default 10 s). */
  readonly closeGraceMs?: number;
}

export interface RunningReceiver {
  readonly port: number;
  readonly host: string;
  /** The webhook URL (no secrets in it). */
  readonly url: string;
  /** This run's writer tag: the prefix of its receipt ids and part of its segment names. */
  readonly writerTag: string;
  metrics(): MetricsSnapshot;
  /** Stops accepting, finishes in-flight requests, seals the open segment. Idempotent. */
  close(): Promise<void>;
}

export class ReceiverConfigError extends Error {
  override readonly name = "ReceiverConfigError";
}

const WEBHOOK_PATHS = new Set(["/webhook", "/"]);

function redactingLogger(log: Logger): Logger {
  return {
    info: (m) => log.info(redact(m)),
    warn: (m) => log.warn(redact(m)),
    error: (m) => log.error(redact(m)),
  };
}

/** Warns about rejections at most once per reason every 10 s, with a count of the quiet ones. */
function rejectionLogger(log: Logger): (reason: RejectionReason, detail: string) => void {
  const last = new Map<RejectionReason, { at: number; suppressed: number }>();
  return (reason, detail) => {
    const now = Date.now();
    const entry = last.get(reason);
    if (entry && now - entry.at < 10_000) {
      entry.suppressed += 1;
      return;
    }
    const more = entry && entry.suppressed > 0 ? ` (${entry.suppressed} more since the last warning)` : "";
    last.set(reason, { at: now, suppressed: 0 });
    log.warn(`rejected: ${reason}: ${detail}${more}`);
  };
}

export async function startReceiver(opts: ReceiverOptions): Promise<RunningReceiver> {
  const { home, config } = opts;
  const log = redactingLogger(opts.log);
  const secrets = config.appSecrets.filter((s) => s.length > 0);
  for (const s of secrets) registerSecret(s);
  registerSecret(config.verifyToken);
  if (secrets.length === 0 && !opts.allowUnsigned) {
    throw new ReceiverConfigError(
      "no WhatsApp app secret configured, so webhook signatures cannot be checked: set WHATSAPP_APP_SECRET " +
        "(several secrets comma-separated) or receiver.appSecrets in scrm.config.json",
    );
  }
  const unsigned = secrets.length === 0;
  const durable = opts.durable ?? true;
  const maxBody = config.maxBodyBytes;
  const writerId = opts.writerId ?? "rcv";
  const writerTag = receiverRunTag(writerId);
  const segmentMaxBytes = opts.segmentMaxBytes ?? config.segmentMaxBytes ?? DEFAULT_SEGMENT_MAX_BYTES;
  const segmentMaxAgeMs =
    opts.segmentMaxAgeMs ??
    (config.segmentMaxAgeSeconds !== undefined ? config.segmentMaxAgeSeconds * 1000 : DEFAULT_SEGMENT_MAX_AGE_MS);

  const releaseLock = acquireWriterLock(home.landing.root, writerId);
  let writer: GroupCommitWriter;
  try {
    recoverOpenSegments(home.landing.webhooks, writerId, log);
    writer = new GroupCommitWriter({
      landingRoot: home.landing.root,
      writer: writerTag,
      maxSegmentBytes: segmentMaxBytes,
      maxSegmentAgeMs: segmentMaxAgeMs,
      durable,
      log,
    });
  } catch (err) {
    releaseLock();
    throw err;
  }

  const metrics = new ReceiverMetrics();
  const warnRejected = rejectionLogger(log);
  let seq = 0;
  let closing = false;
  let drained: (() => void) | null = null;

  const send = (
    res: ServerResponse,
    status: number,
    body: string,
    type = "text/plain; charset=utf-8",
    extra: Record<string, string> = {},
  ) => {
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string | number> = {
      "content-type": type,
      "content-length": Buffer.byteLength(body),
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
      ...extra,
    };
    if (closing) headers.connection = "close";
    res.writeHead(status, headers);
    res.end(body);
  };

  const reject = (res: ServerResponse, status: number, reason: RejectionReason, detail: string, extra = {}) => {
    metrics.reject(reason);
    warnRejected(reason, detail);
    send(res, status, `${reason.replace(/_/g, " ")}\n`, undefined, extra);
  };

  const describe = (req: IncomingMessage, path: string) =>
    `${req.method} ${path} from ${req.socket.remoteAddress ?? "?"}`;

  const onPost = (req: IncomingMessage, res: ServerResponse, path: string, receivedAt: Date, t0: number) => {
    metrics.webhookPosts += 1;
    const tooLarge = () => {
      metrics.reject("too_large");
      warnRejected("too_large", `${describe(req, path)}: body above ${maxBody} bytes`);
      // Stop reading: answer, then drop the connection instead of draining megabytes.
      req.removeAllListeners("data");
      req.pause();
      if (!res.headersSent) {
        res.writeHead(413, { "content-type": "text/plain; charset=utf-8", connection: "close" });
        res.end(`payload too large (limit ${maxBody} bytes)\n`, () => setImmediate(() => req.socket.destroy()));
      }
    };
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBody) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBody) {
        done = true;
        return tooLarge();
      }
      chunks.push(chunk);
    });
    req.on("close", () => {
      if (!done && !req.complete) {
        done = true;
        metrics.reject("aborted");
      }
    });
    req.on("end", () => {
      if (done) return;
      done = true;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      if (!unsigned) {
        const check = verifySignature(req.headers[SIGNATURE_HEADER], body, secrets);
        if (!check.ok) return reject(res, 401, check.reason, `${describe(req, path)}, ${size} bytes, not landed`);
      }
      seq += 1;
      const line = JSON.stringify(
        receiptLine({
          receiptId: `${writerTag}-${seq}`,
          receivedAt,
          path,
          remoteAddr: req.socket.remoteAddress ?? null,
          headers: req.headers,
          signature: unsigned ? "not-checked" : "valid",
          body,
        }),
      );
      writer.append(line, receivedAt).then(
        () => {
          metrics.landed(size, Buffer.byteLength(line) + 1, performance.now() - t0);
          send(res, 200, "OK\n");
        },
        (err: Error) => {
          metrics.reject("landing_failed");
          warnRejected("landing_failed", `${describe(req, path)}: ${err.message}`);
          send(res, 503, "not landed, retry later\n", undefined, { "retry-after": "5" });
        },
      );
    });
  };

  const onGet = (res: ServerResponse, rawUrl: string, req: IncomingMessage, path: string) => {
    metrics.handshakes += 1;
    const q = rawUrl.indexOf("?");
    const result = handshake(new URLSearchParams(q < 0 ? "" : rawUrl.slice(q + 1)), config.verifyToken);
    if (result.ok) {
      log.info(`webhook verification handshake answered (${describe(req, path)})`);
      return send(res, 200, result.challenge);
    }
    return reject(res, result.status, result.reason, describe(req, path));
  };

  const healthBody = () => {
    const failure = writer.failed;
    const status = failure ? "failing" : closing ? "closing" : "ok";
    return { code: status === "ok" ? 200 : 503, body: { status, durable, writer: writerTag } };
  };

  const server = createServer((req, res) => {
    const t0 = performance.now();
    const receivedAt = new Date();
    metrics.requests += 1;
    metrics.inFlight += 1;
    res.on("close", () => {
      metrics.inFlight -= 1;
      if (metrics.inFlight === 0 && drained) drained();
    });
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const method = req.method ?? "";
    if (WEBHOOK_PATHS.has(path)) {
      if (method === "POST") return onPost(req, res, path, receivedAt, t0);
      if (method === "GET") return onGet(res, rawUrl, req, path);
      return reject(res, 405, "method_not_allowed", describe(req, path), { allow: "GET, POST" });
    }
    if (path === "/healthz" || path === "/metrics") {
      if (method !== "GET") return reject(res, 405, "method_not_allowed", describe(req, path), { allow: "GET" });
      if (path === "/healthz") {
        const h = healthBody();
        return send(res, h.code, JSON.stringify(h.body) + "\n", "application/json");
      }
      return send(res, 200, JSON.stringify(snapshot(), null, 2) + "\n", "application/json");
    }
    return reject(res, 404, "not_found", describe(req, path));
  });
  server.keepAliveTimeout = 30_000;
  server.requestTimeout = 60_000;

  const snapshot = () =>
    metrics.snapshot({
      durable,
      writer: writerTag,
      status: healthBody().body.status,
      group_commit: {
        ...writer.stats,
        mean_batch: writer.stats.commits === 0 ? 0 : round(writer.stats.linesCommitted / writer.stats.commits),
        mean_commit_ms: writer.stats.commits === 0 ? 0 : round(writer.stats.commitMsTotal / writer.stats.commits),
      },
    });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    await writer.close().catch(() => {});
    releaseLock();
    throw new ReceiverConfigError(`cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`);
  }
  server.on("error", (err) => log.error(`receiver server error: ${err.message}`));
  const addr = server.address() as AddressInfo;
  const hostForUrl = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  const url = `http://${hostForUrl}:${addr.port}/webhook`;
  log.info(
    `receiver listening on ${url} (${durable ? "durable acknowledgement" : "fsync OFF: benchmark baseline only"}, ` +
      `${unsigned ? "signatures NOT checked (allowUnsigned)" : `${secrets.length} app secret(s)`}, writer ${writerTag})`,
  );

  let closed: Promise<void> | null = null;
  const close = () => {
    closed ??= (async () => {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (metrics.inFlight > 0) {
        const grace = opts.closeGraceMs ?? 10_000;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, grace);
          drained = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      server.closeAllConnections();
      await stopped;
      try {
        await writer.close();
      } finally {
        releaseLock();
      }
      const m = metrics.snapshot();
      log.info(
        `receiver stopped: ${m.acknowledged} webhook(s) acknowledged, ${m.rejected_total} rejected, ` +
          `${writer.stats.segmentsSealed} segment(s) sealed`,
      );
    })();
    return closed;
  };

  return { port: addr.port, host: addr.address, url, writerTag, metrics: snapshot, close };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
