import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { HomeLayout } from "../../../core/home.ts";
import { withWarehouse } from "../../../core/warehouse.ts";
import { PipelineLock } from "../../../scheduler/lock.ts";
import { lockPathOf, runJob } from "../../../scheduler/runner.ts";
import { scheduleConfigSchema } from "../../../scheduler/schedule-config.ts";
import { Scheduler } from "../../../scheduler/scheduler.ts";
import { statusCommand } from "../../../scheduler/status.ts";
import { StepRegistry } from "../../../scheduler/steps.ts";
import { tempHome } from "../../helpers/temp-home.ts";
import { fakeIngest, fakeTransform, landWebhooks, memoryLogger, messageBody, testContext } from "./helpers.ts";

let server: Server;
let alertUrl: string;
const posts: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      posts.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  alertUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alert`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

let home: HomeLayout;
let cleanup: () => void;
afterEach(() => cleanup?.());

function setup() {
  ({ home, cleanup } = tempHome("scrm-ops-"));
  let clock = Date.parse("2026-10-01T00:00:00Z");
  const now = () => new Date(clock);
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    clock += ms;
  };
  const schedule = scheduleConfigSchema.parse({ alerts: { url: alertUrl } });
  const log = memoryLogger();
  const ctx = testContext(home, { now, log, config: {} });
  return { ctx, sleeps, sleep, schedule, log, advance: (ms: number) => (clock += ms) };
}

const q = <T = Record<string, unknown>>(warehouse: string, sql: string) =>
  withWarehouse(warehouse, { readOnly: true }, (wh) => wh.rows<T>(sql));

describe("runs, retries, alerts and the run history", () => {
  it("retries a failing step every 5 minutes (R6) and records the attempts", async () => {
    const { ctx, sleeps, sleep, schedule } = setup();
    const registry = new StepRegistry();
    let calls = 0;
    registry.register("flaky", async () => {
      calls += 1;
      if (calls < 3) throw new Error(`CRM API timeout ${calls}`);
      return { detail: "ok", rowsIn: 10, rowsOut: 9 };
    });
    const r = await runJob(
      ctx,
      { job: "nightly", steps: ["flaky", "scoring"], trigger: "manual" },
      { registry, schedule, sleep },
    );
    expect(r.status).toBe("succeeded");
    expect(sleeps).toEqual([300_000, 300_000]);
    const steps = await q(
      home.warehouse,
      "select step, status, attempts::int as attempts, rows_in::int as rows_in, rows_out::int as rows_out, detail from ops.pipeline_steps order by seq",
    );
    expect(steps).toEqual([
      { step: "flaky", status: "succeeded", attempts: 3, rows_in: 10, rows_out: 9, detail: "ok" },
      {
        step: "scoring",
        status: "skipped",
        attempts: 0,
        rows_in: null,
        rows_out: null,
        detail: "no module has registered this step yet",
      },
    ]);
  });

  it("a step that keeps failing stops the run, marks it failed and raises an alert (log, row, POST)", async () => {
    const { ctx, sleeps, sleep, log } = setup();
    const schedule = scheduleConfigSchema.parse({
      alerts: { url: alertUrl },
      retry: { retries: 2, delaySeconds: 60, backoffFactor: 2 },
    });
    const registry = new StepRegistry();
    registry.register("transform", async () => {
      throw new Error("dbt crashed while building for +85291234567");
    });
    let after = false;
    registry.register("dashboards", async () => {
      after = true;
      return { detail: "" };
    });
    posts.length = 0;
    const r = await runJob(
      ctx,
      { job: "nightly", steps: ["transform", "dashboards"], trigger: "schedule" },
      { registry, schedule, sleep },
    );
    expect(r.status).toBe("failed");
    expect(after).toBe(false);
    expect(sleeps).toEqual([60_000, 120_000]);
    expect(r.alert).toMatchObject({ delivered: true, recorded: true });
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ severity: "critical", job: "nightly", step: "transform" });
    expect(String(posts[0]!.message)).not.toContain("91234567");
    expect(log.lines.some((l) => l.startsWith("error: ALERT [critical] (job nightly, step transform)"))).toBe(true);
    const [run] = await q(home.warehouse, "select status, error from ops.pipeline_runs");
    expect(run).toMatchObject({ status: "failed" });
    expect(String(run!.error)).toMatch(/step transform failed after 3 attempt/);
    const alerts = await q(home.warehouse, "select severity, delivered from ops.alerts");
    expect(alerts).toEqual([{ severity: "critical", delivered: true }]);
  });

  it("records dbt results per model and test, and rows in/out of the loader", async () => {
    const { ctx, schedule } = setup();
    landWebhooks(home, [messageBody("85261234567", "hi", "wamid.1")], new Date("2026-09-30T10:00:00Z"));
    const registry = new StepRegistry();
    registry.register("ingest", fakeIngest);
    registry.register("transform", fakeTransform);
    const r = await runJob(
      ctx,
      { job: "nightly", steps: ["ingest", "transform"], trigger: "manual" },
      { registry, schedule },
    );
    expect(r.status).toBe("succeeded");
    expect(await q(home.warehouse, "select resource_type, status from ops.dbt_results order by 1")).toEqual([
      { resource_type: "model", status: "success" },
      { resource_type: "test", status: "pass" },
    ]);
    const [ing] = await q(
      home.warehouse,
      "select rows_in::int as i, rows_out::int as o from ops.pipeline_steps where step = 'ingest'",
    );
    expect(ing).toEqual({ i: 1, o: 1 });
  });

  it("stops cleanly after the current step on SIGTERM (abort), and marks runs of a killed process abandoned", async () => {
    const { ctx, schedule } = setup();
    const ac = new AbortController();
    const registry = new StepRegistry();
    const ran: string[] = [];
    registry.register("a", async () => {
      ran.push("a");
      ac.abort(); // SIGTERM arrives during step a
      return { detail: "a done" };
    });
    registry.register("b", async () => {
      ran.push("b");
      return { detail: "" };
    });
    const r = await runJob(
      ctx,
      { job: "nightly", steps: ["a", "b"], trigger: "manual" },
      { registry, schedule, signal: ac.signal },
    );
    expect(ran).toEqual(["a"]);
    expect(r.status).toBe("stopped");

    // A run whose process died leaves a 'running' row; the next run marks it abandoned.
    await withWarehouse(home.warehouse, {}, (wh) =>
      wh.run(
        "insert into ops.pipeline_runs values ('dead', 'nightly', 'schedule', null, now(), null, 'running', 'a', null, 'h', 1)",
      ),
    );
    await runJob(ctx, { job: "micro-batch", steps: ["a"], trigger: "schedule" }, { registry, schedule });
    expect(await q(home.warehouse, "select status from ops.pipeline_runs where run_id = 'dead'")).toEqual([
      { status: "abandoned" },
    ]);
  });

  it("skips a trigger while another process holds the lock", async () => {
    const { ctx, schedule, log } = setup();
    const held = PipelineLock.tryAcquire(lockPathOf(ctx, schedule), { purpose: "manual scrm run" });
    expect(held.acquired).toBe(true);
    const r = await runJob(
      ctx,
      { job: "micro-batch", steps: ["ingest"], trigger: "schedule" },
      { registry: new StepRegistry(), schedule },
    );
    expect(r.status).toBe("skipped");
    expect(log.lines.join("\n")).toMatch(/micro-batch: skipped, another run holds the pipeline lock \(manual scrm run/);
    if (held.acquired) held.lock.release();
  });

  it("skips overlapping micro-batches and queues the nightly behind a running job", async () => {
    const { ctx, schedule } = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const s = new Scheduler({
      ctx,
      schedule: scheduleConfigSchema.parse({
        jobs: {
          "micro-batch": { cron: "*/5 * * * *", steps: ["ingest"] },
          nightly: { cron: "0 1 * * *", steps: ["transform"], onOverlap: "queue" },
        },
      }),
      run: async (t) => {
        order.push(`${t.job}@${t.slot}`);
        if (order.length === 1) await gate;
        return { runId: t.job, job: t.job, status: "succeeded", steps: [], error: null, alert: null };
      },
    });
    s.tick(new Date("2026-10-01T16:55:00Z")); // 00:55 HK: micro-batch starts and hangs
    s.tick(new Date("2026-10-01T17:00:00Z")); // 01:00: micro-batch skipped, nightly queued
    expect(s.history.map((h) => [h.trigger.job, typeof h.outcome === "string" ? h.outcome : h.outcome.status])).toEqual(
      [
        ["micro-batch", "skipped-overlap"],
        ["nightly", "queued"],
      ],
    );
    release();
    await s.idle();
    await s.idle();
    expect(order).toEqual(["micro-batch@2026-10-02 00:55", "nightly@2026-10-02 01:00"]);
    await s.stop();
    void schedule;
  });

  it("`scrm status` after a simulated day: last runs, freshness, lag, exit code", async () => {
    const { ctx, advance } = setup();
    const registry = new StepRegistry();
    registry.register("ingest", fakeIngest);
    registry.register("transform", fakeTransform);
    let exportsFail = true;
    registry.register("exports", async () => {
      if (exportsFail) throw new Error("exports folder not writable");
      return { detail: "unread list: 3 rows" };
    });
    const schedule = scheduleConfigSchema.parse({
      retry: { retries: 1, delaySeconds: 1 },
      jobs: {
        "micro-batch": { cron: "30 */4 * * *", steps: ["ingest"] },
        hourly: { cron: "5 */12 * * *", steps: ["ingest", "transform"], dbtSelect: ["tag:hourly"] },
        nightly: {
          cron: "0 1 * * *",
          steps: ["ingest", "transform", "scoring", "writeback", "dashboards"],
          onOverlap: "queue",
        },
        "unread-export": { cron: "0 2 * * *", steps: ["exports"], onOverlap: "queue" },
      },
    });
    const s = new Scheduler({ ctx, schedule, registry, runnerDeps: { sleep: async () => {} } });
    // 2026-10-01 00:00 .. 24:00 Hong Kong; webhooks land every 2 hours.
    const start = Date.parse("2026-09-30T16:00:00Z");
    let t = start;
    while (t < start + 86_400_000) {
      advance(t - ctx.now().getTime());
      if ((t - start) % 7_200_000 === 0)
        landWebhooks(ctx.loaded.home, [messageBody("85261234567", "hi", `wamid.${t}`)], new Date(t), `w${t}`);
      s.tick(ctx.now());
      await s.idle();
      t += 5 * 60_000; // the fake clock ticks every 5 min
    }
    await s.stop();
    exportsFail = false;
    const out: string[] = [];
    const code = await statusCommand(ctx, { write: (c: string) => out.push(c) } as unknown as NodeJS.WritableStream);
    const text = out.join("");
    console.log(text);
    expect(code).toBe(2); // the 02:00 export failed: critical
    expect(text).toMatch(/CRITICAL: last unread-export run failed/);
    // The 22:00 (local) webhooks landed after the last micro-batch: a loading lag.
    expect(text).toMatch(/waiting to load {10}1 file\(s\)/);
    expect(text).toMatch(/latest webhook received {2}2026-10-01 12:00:00 UTC/);
    expect(text).toMatch(/nightly +2026-09-30 17:00 +succeeded +2026-09-30 17:00 +2026-10-02 01:00/);
    const counts = await q<{ job: string; n: number }>(
      home.warehouse,
      "select job, count(*)::int as n from ops.pipeline_runs group by 1 order by 1",
    );
    expect(counts).toEqual([
      { job: "hourly", n: 2 },
      { job: "micro-batch", n: 6 },
      { job: "nightly", n: 1 },
      { job: "unread-export", n: 1 },
    ]);
  });
});
