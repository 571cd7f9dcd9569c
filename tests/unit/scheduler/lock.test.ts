import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../../core/project.ts";
import { currentHolder, PipelineLock, readLockInfo } from "../../../scheduler/lock.ts";
import { tempHome } from "../../helpers/temp-home.ts";

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function lockPath(): string {
  const { home, cleanup } = tempHome("scrm-lock-");
  cleanups.push(cleanup);
  return join(home.root, "run", "pipeline.lock");
}

describe("the pipeline lock", () => {
  it("admits one holder at a time and is released by its owner only", () => {
    const path = lockPath();
    const a = PipelineLock.tryAcquire(path, { purpose: "a" });
    expect(a.acquired).toBe(true);
    const b = PipelineLock.tryAcquire(path, { purpose: "b" });
    expect(b).toMatchObject({ acquired: false, holder: { pid: process.pid, purpose: "a" } });
    if (a.acquired) a.lock.release();
    expect(currentHolder(path)).toBeNull();
    expect(PipelineLock.tryAcquire(path, { purpose: "c" }).acquired).toBe(true);
  });

  it("is taken over when the holder was killed with SIGKILL", async () => {
    const path = lockPath();
    const script = join(path, "..", "..", "hold-lock.mts");
    writeFileSync(
      script,
      `import { PipelineLock } from ${JSON.stringify(join(PROJECT_ROOT, "scheduler", "lock.ts"))};
       const r = PipelineLock.tryAcquire(${JSON.stringify(path)}, { purpose: "child" });
       process.stdout.write(r.acquired ? "locked\\n" : "busy\\n");
       setInterval(() => {}, 1000);`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: PROJECT_ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) =>
        d.toString().includes("locked") ? resolve() : reject(new Error(d.toString())),
      );
      child.on("exit", (code) => reject(new Error(`child exited ${code}`)));
    });
    expect(readLockInfo(path)?.pid).toBe(child.pid);
    // While the child lives, the lock holds.
    expect(PipelineLock.tryAcquire(path, { purpose: "parent" }).acquired).toBe(false);

    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const after = PipelineLock.tryAcquire(path, { purpose: "parent" });
    expect(after.acquired).toBe(true);
    if (after.acquired) {
      expect(after.tookOverStale?.pid).toBe(child.pid);
      after.lock.release();
    }
  });

  it("treats a lock of a reused pid or an empty lock file as stale", () => {
    const path = lockPath();
    const a = PipelineLock.tryAcquire(path, { purpose: "x" });
    expect(a.acquired).toBe(true);
    // Same pid, different process start time: the pid was reused after a crash.
    const info = readLockInfo(path)!;
    writeFileSync(path, JSON.stringify({ ...info, procStart: "1" }));
    const b = PipelineLock.tryAcquire(path, { purpose: "y" });
    expect(b.acquired).toBe(true);
    if (b.acquired) b.lock.release();
    writeFileSync(path, "");
    const c = PipelineLock.tryAcquire(path, { purpose: "z", now: new Date(Date.now() + 60_000) });
    expect(c.acquired).toBe(true);
  });
});
