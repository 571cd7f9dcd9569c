import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { OPEN_SUFFIX, SEALED_SUFFIX, segmentRelativePath } from "./format.ts";

export interface SegmentWriterOptions {
  /** The landing root (`<home>/landing`). */
  readonly landingRoot: string;
  readonly kind: "webhooks" | "outbound";
  /** Distinguishes concurrent writers (a receiver process, the demo generator). */
  readonly writerId: string;
  /** Rotate once a segment holds this many bytes. */
  readonly maxBytes: number;
  /** fsync before sealing and on `flush()`; off for bulk writers that need no durability (the demo). */
  readonly durable: boolean;
}

/** Lines are written in chunks of about this size: one syscall per line costs more than the line. */
const CHUNK_BYTES = 1 << 20;

/**
 * Appends NDJSON lines to an open segment and seals it (fsync + rename to `.ndjson`) when it is
 * full or when asked. A sealed segment is never written again, so loaders may read it any time.
 * (The webhook receiver acknowledges per request and has its own group-commit writer.)
 */
export class SegmentWriter {
  private fd: number | null = null;
  private openPath = "";
  private sealedPath = "";
  private bytes = 0;
  private seq = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  readonly sealed: string[] = [];
  /** Bytes appended over the writer's life, across segments. */
  totalBytes = 0;

  constructor(private readonly options: SegmentWriterOptions) {}

  /** Appends one record; `at` dates the segment when this line opens a new one. */
  append(line: string, at: Date): void {
    if (line.includes("\n")) throw new Error("a landing line must not contain a newline");
    if (this.fd === null) this.open(at);
    const n = Buffer.byteLength(line, "utf8") + 1;
    this.pending.push(line);
    this.pendingBytes += n;
    this.bytes += n;
    this.totalBytes += n;
    if (this.pendingBytes >= CHUNK_BYTES) this.write();
    if (this.bytes >= this.options.maxBytes) this.seal();
  }

  /** Writes everything appended so far and, for a durable writer, fsyncs it, without sealing. */
  flush(): void {
    this.write();
    if (this.fd !== null && this.options.durable) fsyncSync(this.fd);
  }

  seal(): void {
    if (this.fd === null) return;
    this.flush();
    closeSync(this.fd);
    renameSync(this.openPath, this.sealedPath);
    this.sealed.push(this.sealedPath);
    this.fd = null;
    this.bytes = 0;
  }

  private write(): void {
    if (this.fd === null || this.pending.length === 0) return;
    writeSync(this.fd, this.pending.join("\n") + "\n");
    this.pending = [];
    this.pendingBytes = 0;
  }

  private open(at: Date): void {
    this.seq += 1;
    const rel = segmentRelativePath(this.options.kind, at, this.options.writerId, this.seq);
    this.sealedPath = join(this.options.landingRoot, rel);
    this.openPath = this.sealedPath.slice(0, -SEALED_SUFFIX.length) + OPEN_SUFFIX;
    mkdirSync(dirname(this.sealedPath), { recursive: true });
    this.fd = openSync(this.openPath, "wx");
  }
}
