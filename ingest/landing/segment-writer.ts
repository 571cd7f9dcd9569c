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
  /** fsync before sealing; the receiver also fsyncs before acknowledging (see `flush`). */
  readonly durable: boolean;
}

/**
 * Appends NDJSON lines to an open segment and seals it (fsync + rename to `.ndjson`) when it is
 * full or when asked. A sealed segment is never written again, so loaders may read it any time.
 */
export class SegmentWriter {
  private fd: number | null = null;
  private openPath = "";
  private sealedPath = "";
  private bytes = 0;
  private seq = 0;
  readonly sealed: string[] = [];

  constructor(private readonly options: SegmentWriterOptions) {}

  /** Appends one record; `at` dates the segment when this line opens a new one. */
  append(line: string, at: Date): void {
    if (line.includes("\n")) throw new Error("a landing line must not contain a newline");
    if (this.fd === null) this.open(at);
    const buf = Buffer.from(line + "\n", "utf8");
    writeSync(this.fd!, buf);
    this.bytes += buf.length;
    if (this.bytes >= this.options.maxBytes) this.seal();
  }

  /** Makes everything appended so far durable without sealing. */
  flush(): void {
    if (this.fd !== null) fsyncSync(this.fd);
  }

  seal(): void {
    if (this.fd === null) return;
    if (this.options.durable) fsyncSync(this.fd);
    closeSync(this.fd);
    renameSync(this.openPath, this.sealedPath);
    this.sealed.push(this.sealedPath);
    this.fd = null;
    this.bytes = 0;
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
