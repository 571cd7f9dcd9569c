import { closeSync, fdatasync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Logger } from "../../core/log.ts";
import { OPEN_SUFFIX, SEALED_SUFFIX, segmentRelativePath } from "../landing/format.ts";

/**
 * Appends landing lines to webhook segments with group commit: every `append` resolves only once
 * its line has been written AND fsynced (when `durable`); all lines that arrive in the same
 * event-loop turn, or while earlier fsyncs are in flight, are written together and share one
 * fdatasync. Writes are serial (so lines reach the file in append order and a torn write can only
 * ever be the final line); up to `maxInflightSyncs` fdatasyncs overlap, and a batch is
 * acknowledged when the fdatasync issued after its own write returns (it covers every byte
 * written before it started).
 *
 * Segments are `<name>.ndjson.open` while written and sealed (fsync, close, rename to `.ndjson`,
 * fsync of the folder) once they reach `maxSegmentBytes`, are older than `maxSegmentAgeMs`, the
 * UTC day of the next line differs from the segment's first line, or on `close()`. A sealed
 * segment is never opened again. Opening and sealing (rare) are synchronous.
 */
export interface GroupCommitOptions {
  /** `<home>/landing`. */
  readonly landingRoot: string;
  /** Goes into segment names; must be unique per process run (see `receiverRunTag`). */
  readonly writer: string;
  readonly maxSegmentBytes: number;
  readonly maxSegmentAgeMs: number;
  /** fsync before acknowledging; false only for the benchmark baseline. */
  readonly durable: boolean;
  readonly log: Logger;
  /** fdatasyncs allowed in flight at once (default 2). */
  readonly maxInflightSyncs?: number;
  /** Called after each segment is sealed (absolute path). */
  readonly onSeal?: (path: string) => void;
}

export interface GroupCommitStats {
  commits: number;
  linesCommitted: number;
  bytesCommitted: number;
  largestBatch: number;
  segmentsOpened: number;
  segmentsSealed: number;
  /** Sum over commits of write start -> acknowledged. */
  commitMsTotal: number;
}

type Waiter = (err: Error | null) => void;

export class WriterClosedError extends Error {
  override readonly name = "WriterClosedError";
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class GroupCommitWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingFirstAt: Date | null = null;
  private waiters: Waiter[] = [];
  private scheduled = false;
  private inflight = 0;
  private fd: number | null = null;
  private openPath = "";
  private sealedPath = "";
  private segDay = "";
  private segOpenedAt = 0;
  private segBytes = 0;
  private seq = 0;
  private rotateDue = false;
  private closing = false;
  private closeWaiters: Array<(err: Error | null) => void> = [];
  private failure: Error | null = null;
  private readonly maxInflight: number;
  private readonly timer: NodeJS.Timeout;
  readonly sealed: string[] = [];
  readonly stats: GroupCommitStats = {
    commits: 0,
    linesCommitted: 0,
    bytesCommitted: 0,
    largestBatch: 0,
    segmentsOpened: 0,
    segmentsSealed: 0,
    commitMsTotal: 0,
  };

  constructor(private readonly options: GroupCommitOptions) {
    this.maxInflight = Math.max(1, options.maxInflightSyncs ?? 2);
    const tick = Math.max(20, Math.min(1000, Math.floor(options.maxSegmentAgeMs / 4)));
    this.timer = setInterval(() => {
      if (this.fd !== null && Date.now() - this.segOpenedAt >= this.options.maxSegmentAgeMs) {
        this.rotateDue = true;
        this.pump();
      }
    }, tick);
    this.timer.unref();
  }

  /** The error that stopped the writer (the receiver then answers 503 and reports unhealthy). */
  get failed(): Error | null {
    return this.failure;
  }

  /** Resolves once `line` is durable in an open segment; rejects if it could not be written. */
  append(line: string, at: Date): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new WriterClosedError("the landing writer is closing"));
    if (line.includes("\n")) return Promise.reject(new Error("a landing line must not contain a newline"));
    const buf = Buffer.from(line + "\n", "utf8");
    return new Promise<void>((resolve, reject) => {
      this.pending.push(buf);
      this.pendingBytes += buf.length;
      if (this.pendingFirstAt === null) this.pendingFirstAt = at;
      this.waiters.push((err) => (err ? reject(err) : resolve()));
      this.schedule();
    });
  }

  /** Accepts nothing new; writes and syncs what is pending, seals the open segment. */
  close(): Promise<void> {
    this.closing = true;
    clearInterval(this.timer);
    return new Promise<void>((resolve, reject) => {
      this.closeWaiters.push((err) => (err ? reject(err) : resolve()));
      this.pump();
    });
  }

  /** Batches everything appended in this event-loop turn. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** Does whatever can be done now: commit a batch, rotate, finish closing. Never throws. */
  private pump(): void {
    try {
      this.pumpUnsafe();
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private pumpUnsafe(): void {
    for (;;) {
      if (this.failure) return this.settleClose();
      const firstAt = this.pendingFirstAt;
      const newDay = firstAt !== null && this.fd !== null && this.segDay !== firstAt.toISOString().slice(0, 10);
      const wantSeal = this.fd !== null && (this.rotateDue || newDay || (this.closing && this.pending.length === 0));
      if (wantSeal) {
        // The fd is in use by in-flight fdatasyncs; their completion pumps again.
        if (this.inflight > 0) return;
        this.seal();
        continue;
      }
      if (this.pending.length === 0) return this.settleClose();
      if (this.inflight >= this.maxInflight) return;
      this.commitBatch();
    }
  }

  private commitBatch(): void {
    const batch = this.pending;
    const waiters = this.waiters;
    const bytes = this.pendingBytes;
    const firstAt = this.pendingFirstAt!;
    this.pending = [];
    this.waiters = [];
    this.pendingBytes = 0;
    this.pendingFirstAt = null;
    const started = performance.now();
    try {
      if (this.fd === null) this.openSegment(firstAt);
      const data = batch.length === 1 ? batch[0]! : Buffer.concat(batch, bytes);
      let off = 0;
      while (off < data.length) off += writeSync(this.fd!, data, off, data.length - off);
    } catch (err) {
      // After a failed write the file's state is unknown: acknowledge nothing more.
      this.fail(err as Error);
      for (const w of waiters) w(this.failure);
      return;
    }
    this.segBytes += bytes;
    if (
      this.segBytes >= this.options.maxSegmentBytes ||
      Date.now() - this.segOpenedAt >= this.options.maxSegmentAgeMs
    ) {
      this.rotateDue = true;
    }
    const done = (err: Error | null) => {
      if (err) {
        this.fail(err);
        for (const w of waiters) w(this.failure);
        return;
      }
      const s = this.stats;
      s.commits += 1;
      s.linesCommitted += batch.length;
      s.bytesCommitted += bytes;
      s.largestBatch = Math.max(s.largestBatch, batch.length);
      s.commitMsTotal += performance.now() - started;
      for (const w of waiters) w(null);
    };
    if (!this.options.durable) {
      done(null);
      return;
    }
    this.inflight += 1;
    fdatasync(this.fd!, (err) => {
      this.inflight -= 1;
      done(err);
      this.pump();
    });
  }

  private settleClose(): void {
    if (!this.closing || this.inflight > 0 || this.closeWaiters.length === 0) return;
    if (!this.failure && (this.pending.length > 0 || this.fd !== null)) return;
    const waiters = this.closeWaiters;
    this.closeWaiters = [];
    for (const w of waiters) w(this.failure);
  }

  private fail(err: Error): void {
    if (!this.failure) {
      this.failure = err;
      this.options.log.error(
        `landing writer stopped: ${err.message}; no further webhooks are acknowledged (the open segment is recovered on the next start)`,
      );
    }
    const waiters = this.waiters;
    this.waiters = [];
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingFirstAt = null;
    for (const w of waiters) w(this.failure);
    this.settleClose();
  }

  private openSegment(at: Date): void {
    this.seq += 1;
    const rel = segmentRelativePath("webhooks", at, this.options.writer, this.seq);
    const sealedPath = join(this.options.landingRoot, rel);
    const openPath = sealedPath.slice(0, -SEALED_SUFFIX.length) + OPEN_SUFFIX;
    const dir = dirname(sealedPath);
    const created = mkdirSync(dir, { recursive: true });
    const fd = openSync(openPath, "wx");
    if (this.options.durable) {
      // The new file's name must survive a crash too, and so must any folder created for it.
      fsyncDir(dir);
      if (created !== undefined) {
        for (let d = dirname(dir); d.startsWith(this.options.landingRoot); d = dirname(d)) {
          fsyncDir(d);
          if (d === this.options.landingRoot) break;
        }
      }
    }
    this.fd = fd;
    this.openPath = openPath;
    this.sealedPath = sealedPath;
    this.segDay = at.toISOString().slice(0, 10);
    this.segOpenedAt = Date.now();
    this.segBytes = 0;
    this.stats.segmentsOpened += 1;
  }

  private seal(): void {
    const fd = this.fd;
    if (fd === null) return;
    this.fd = null;
    this.rotateDue = false;
    if (this.options.durable) fsyncSync(fd);
    closeSync(fd);
    renameSync(this.openPath, this.sealedPath);
    if (this.options.durable) fsyncDir(dirname(this.sealedPath));
    this.sealed.push(this.sealedPath);
    this.stats.segmentsSealed += 1;
    this.options.onSeal?.(this.sealedPath);
  }
}
