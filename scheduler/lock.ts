import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";

/**
 * One pipeline run at a time, across processes. The lock is a file created with O_EXCL holding
 * the owner's pid, host, process start time and purpose. A lock whose owner is gone (crash,
 * SIGKILL, reboot) is stale and taken over, so a killed run never blocks the next one.
 */
export interface LockInfo {
  readonly pid: number;
  readonly hostname: string;
  /** Kernel start time of the owning process (Linux /proc), to detect pid reuse; null elsewhere. */
  readonly procStart: string | null;
  readonly startedAt: string;
  readonly purpose: string;
}

export type AcquireResult =
  | { readonly acquired: true; readonly lock: PipelineLock; readonly tookOverStale: LockInfo | null }
  | { readonly acquired: false; readonly holder: LockInfo | null };

/** The start time (clock ticks since boot) of a process, from /proc; null when unavailable. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22; the command name (field 2) may contain spaces, so count from the closing paren.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function readLockInfo(path: string): LockInfo | null {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as LockInfo;
    return typeof parsed.pid === "number" ? parsed : null;
  } catch {
    return null;
  }
}

/** Why a lock is stale, or null while its owner may still be running. */
export function staleReason(
  path: string,
  info: LockInfo | null,
  opts: { now: Date; staleHours: number },
): string | null {
  if (info === null) {
    // Unreadable: the owner died between creating and writing it, or it is corrupt.
    let ageMs = Infinity;
    try {
      ageMs = opts.now.getTime() - statSync(path).mtimeMs;
    } catch {
      return "lock file vanished";
    }
    return ageMs > 10_000 ? "lock file is empty or corrupt" : null;
  }
  if (info.hostname === hostname()) {
    if (!isProcessAlive(info.pid)) return `process ${info.pid} is not running`;
    const start = processStartTime(info.pid);
    if (info.procStart !== null && start !== null && start !== info.procStart)
      return `process ${info.pid} is a different process now (pid reused)`;
    return null;
  }
  const age = opts.now.getTime() - Date.parse(info.startedAt);
  return age > opts.staleHours * 3_600_000
    ? `held by ${info.hostname} for more than ${opts.staleHours} h (cannot check a remote pid)`
    : null;
}

export class PipelineLock {
  private released = false;
  private constructor(
    readonly path: string,
    readonly info: LockInfo,
  ) {}

  /** Tries once (never waits): a held lock means "skip or queue", decided by the caller. */
  static tryAcquire(
    path: string,
    opts: { purpose: string; now?: Date; staleHours?: number; pid?: number } = { purpose: "pipeline" },
  ): AcquireResult {
    const now = opts.now ?? new Date();
    const pid = opts.pid ?? process.pid;
    const info: LockInfo = {
      pid,
      hostname: hostname(),
      procStart: processStartTime(pid),
      startedAt: now.toISOString(),
      purpose: opts.purpose,
    };
    mkdirSync(dirname(path), { recursive: true });
    let tookOverStale: LockInfo | null = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(path, "wx", 0o644);
        try {
          writeSync(fd, JSON.stringify(info) + "\n");
        } finally {
          closeSync(fd);
        }
        return { acquired: true, lock: new PipelineLock(path, info), tookOverStale };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      const holder = readLockInfo(path);
      const reason = staleReason(path, holder, { now, staleHours: opts.staleHours ?? 12 });
      if (reason === null) return { acquired: false, holder };
      // Move the stale file aside atomically: of two processes racing to take it over, only one
      // rename succeeds against this inode; the other retries the O_EXCL create and finds the winner.
      const aside = `${path}.stale-${process.pid}-${attempt}`;
      try {
        renameSync(path, aside);
        rmSync(aside, { force: true });
        tookOverStale = holder ?? { pid: -1, hostname: "?", procStart: null, startedAt: "?", purpose: reason };
      } catch {
        /* someone else moved it first */
      }
    }
    return { acquired: false, holder: readLockInfo(path) };
  }

  /** Removes the lock if it is still ours. */
  release(): void {
    if (this.released) return;
    this.released = true;
    const current = readLockInfo(this.path);
    if (current && current.pid === this.info.pid && current.startedAt === this.info.startedAt) {
      rmSync(this.path, { force: true });
    }
  }
}

/** Who holds the lock right now (null if free or stale). */
export function currentHolder(path: string, opts: { now?: Date; staleHours?: number } = {}): LockInfo | null {
  if (!existsSync(path)) return null;
  const info = readLockInfo(path);
  return staleReason(path, info, { now: opts.now ?? new Date(), staleHours: opts.staleHours ?? 12 }) === null
    ? info
    : null;
}
