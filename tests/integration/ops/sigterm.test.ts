import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../../core/project.ts";
import { withWarehouse } from "../../../core/warehouse.ts";
import { tempHome } from "../../helpers/temp-home.ts";

describe("`scrm schedule` and SIGTERM", () => {
  const { home, cleanup } = tempHome("scrm-sigterm-");
  afterAll(() => cleanup());

  it("finishes the current step, records the run as stopped and exits 0", async () => {
    const script = join(home.root, "scheduler-child.mts");
    const mod = (p: string) => JSON.stringify(join(PROJECT_ROOT, p));
    writeFileSync(
      script,
      `import { parseConfig } from ${mod("core/config.ts")};
       import { homeLayout } from ${mod("core/home.ts")};
       import { consoleLogger } from ${mod("core/log.ts")};
       import { noProgress } from ${mod("core/progress.ts")};
       import { scheduleCommand } from ${mod("scheduler/scheduler.ts")};
       import { scheduleConfigSchema } from ${mod("scheduler/schedule-config.ts")};
       import { StepRegistry } from ${mod("scheduler/steps.ts")};
       const registry = new StepRegistry();
       registry.register("slow", async () => { process.stdout.write("slow started\\n"); await new Promise((r) => setTimeout(r, 1500)); return { detail: "slow done" }; });
       registry.register("second", async () => { process.stdout.write("second ran\\n"); return { detail: "" }; });
       const schedule = scheduleConfigSchema.parse({ jobs: { nightly: { cron: "0 1 * * *", steps: ["slow", "second"] } } });
       const ctx = { loaded: { config: parseConfig({}, "test", {}), home: homeLayout(${JSON.stringify(home.root)}), file: null },
                     log: consoleLogger(process.stdout), progress: noProgress, now: () => new Date() };
       process.exitCode = await scheduleCommand(ctx, { registry, schedule, runNow: ["nightly"] });`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: PROJECT_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (d.toString().includes("slow started")) child.kill("SIGTERM");
    });
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    expect(out).toMatch(/SIGTERM: stopping after the current step/);
    expect(out).toMatch(/✓ slow/);
    expect(out).not.toMatch(/second ran/);
    expect(out).toMatch(/scheduler stopped/);
    expect(code).toBe(0);
    const runs = await withWarehouse(home.warehouse, { readOnly: true }, (wh) =>
      wh.rows("select job, status from ops.pipeline_runs"),
    );
    expect(runs).toEqual([{ job: "nightly", status: "stopped" }]);
  });
});
