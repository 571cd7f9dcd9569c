import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  ftruncateSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import type { Logger } from "../../core/log.ts";
import { OPEN_SUFFIX, SEALED_SUFFIX } from "../landing/format.ts";

/** A writer id goes into file names and receipt ids: letters and digits only. */
export const WRITER_ID = /^[A-Za-z0-9]{1,32}$/;

/**
 * The per-run writer tag `<writerId>_<start time base36><random letters>`: receipt ids and segment
 * names stay unique across restarts (and a clock stepping back) without any state on disk. The
 * random part is letters only, so a tag never holds a digit run that reads like a phone number in
 * the logs.
 */
export function receiverRunTag(writerId: string, startedAt: number = Date.now()): string {
  if (!WRITER_ID.test(writerId)) throw new Error(`writer id "${writerId}" must be 1-32 letters or digits`);
  const letters = Array.from(randomBytes(6), (byte) => String.fromCharCode(97 + (byte % 26))).join("");
  return `${writerId}_${startedAt.toString(36)}${letters}`;
}

const OPEN_NAME = /^wh-\d{8}T\d{6}Z-([A-Za-z0-9]+)_[a-z0-9]+-\d+\.ndjson\.open$/;

export interface RecoveryReport {
  /** Leftover open segments sealed as they were (minus a torn final line). */
  readonly sealed: string[];
  /** Empty leftovers removed. */
  readonly removed: string[];
  readonly lines: number;
  /** Bytes of torn final lines cut off: those lines were never acknowledged. */
  readonly tornBytes: number;
}

function fsyncPath(path: string, flags: string = "r"): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function openSegments(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...openSegments(p));
    else if (entry.isFile() && entry.name.endsWith(OPEN_SUFFIX)) out.push(p);
  }
  return out.sort();
}

/**
 * Seals the `.ndjson.open` segments a crashed run of `writerId` left behind. Every line in them
 * may or may not have been acknowledged, so all complete lines are kept; only a final line without
 * its newline is cut (its POST was never answered 200). Callers hold the writer lock, so no live
 * process is writing these files.
 */
export function recoverOpenSegments(webhooksDir: string, writerId: string, log: Logger): RecoveryReport {
  const report = { sealed: [] as string[], removed: [] as string[], lines: 0, tornBytes: 0 };
  for (const path of openSegments(webhooksDir)) {
    const name = path.slice(dirname(path).length + 1);
    const m = OPEN_NAME.exec(name);
    if (!m || m[1] !== writerId) continue;
    const size = statSync(path).size;
    const fd = openSync(path, "r+");
    let keep = 0;
    let lines = 0;
    try {
      const buf = Buffer.alloc(size);
      let off = 0;
      while (off < size) {
        const n = readSync(fd, buf, off, size - off, off);
        if (n === 0) break;
        off += n;
      }
      keep = buf.lastIndexOf(10, off - 1) + 1;
      for (let i = buf.indexOf(10); i >= 0 && i < keep; i = buf.indexOf(10, i + 1)) lines += 1;
      if (keep < size) ftruncateSync(fd, keep);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    report.tornBytes += size - keep;
    if (keep === 0) {
      unlinkSync(path);
      report.removed.push(path);
    } else {
      const sealedPath = path.slice(0, -OPEN_SUFFIX.length) + SEALED_SUFFIX;
      renameSync(path, sealedPath);
      report.sealed.push(sealedPath);
      report.lines += lines;
    }
    fsyncPath(dirname(path));
  }
  if (report.sealed.length + report.removed.length > 0) {
    log.warn(
      `recovered ${report.sealed.length} open segment(s) of writer ${writerId} left by a crashed run: ` +
        `${report.lines} line(s) kept and sealed, ${report.tornBytes} byte(s) of an unacknowledged torn line cut, ` +
        `${report.removed.length} empty segment(s) removed`,
    );
  }
  return report;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One live receiver per writer id: recovery seals other runs' open segments, which is only safe
 * when their process is gone. The lock holds the pid; a lock whose process is dead is stale.
 */
export function acquireWriterLock(landingRoot: string, writerId: string): () => void {
  mkdirSync(landingRoot, { recursive: true });
  const path = join(landingRoot, `.receiver-${writerId}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: "wx" });
      return () => {
        try {
          if (readFileSync(path, "utf8").trim() === String(process.pid)) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(readFileSync(path, "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
        throw new Error(
          `another receiver (pid ${pid}) is landing webhooks as writer "${writerId}" (lock ${path}); ` +
            `stop it, or give this one a different writer id`,
        );
      }
      unlinkSync(path);
    }
  }
  throw new Error(`could not take the receiver lock ${path}`);
}
