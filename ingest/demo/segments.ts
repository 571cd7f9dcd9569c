import { closeSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { OPEN_SUFFIX, SEALED_SUFFIX, segmentRelativePath } from "../landing/format.ts";

/**
 * A buffered twin of `SegmentWriter` (ingest/landing/segment-writer.ts) for the demo's bulk
 * writes: same paths (`segmentRelativePath`), same `.ndjson.open` -> `.ndjson` sealing, same
 * rotation at `maxBytes`, but lines are written in ~1 MiB chunks instead of one syscall per line,
 * and nothing is fsynced (the demo is not durable: `durable: false`).
 */
export class BufferedSegmentWriter {
  private fd: number | null = null;
  private openPath = "";
  private sealedPath = "";
  private bytes = 0;
  private seq = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  readonly sealed: string[] = [];
  totalBytes = 0;

  constructor(
    private readonly options: {
      landingRoot: string;
      kind: "webhooks" | "outbound";
      writerId: string;
      maxBytes: number;
    },
  ) {}

  /** Appends one line; `ascii` lets the caller skip the UTF-8 length computation. */
  append(line: string, at: Date, ascii = false): void {
    if (this.fd === null) this.open(at);
    const n = (ascii ? line.length : Buffer.byteLength(line, "utf8")) + 1;
    this.pending.push(line);
    this.pendingBytes += n;
    this.bytes += n;
    this.totalBytes += n;
    if (this.pendingBytes >= 1 << 20) this.flush();
    if (this.bytes >= this.options.maxBytes) this.seal();
  }

  private flush(): void {
    if (this.fd === null || this.pending.length === 0) return;
    writeSync(this.fd, this.pending.join("\n") + "\n");
    this.pending = [];
    this.pendingBytes = 0;
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

  private open(at: Date): void {
    this.seq += 1;
    const rel = segmentRelativePath(this.options.kind, at, this.options.writerId, this.seq);
    this.sealedPath = join(this.options.landingRoot, rel);
    this.openPath = this.sealedPath.slice(0, -SEALED_SUFFIX.length) + OPEN_SUFFIX;
    mkdirSync(dirname(this.sealedPath), { recursive: true });
    this.fd = openSync(this.openPath, "wx");
  }
}
