import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { isAbsolute, join } from "node:path";
import { formatDuration, redact } from "../core/log.ts";
import type { PipelineContext } from "./pipeline.ts";
import { raiseAlert, type AlertResult } from "./alert.ts";
import { PipelineLock, type LockInfo } from "./lock.ts";
import {
  finishRun,
  insertDbtResults,
  insertRun,
  insertStep,
  markAbandoned,
  withOps,
  type StepRow,
} from "./ops-store.ts";
import { scheduleConfigOf, type ScheduleConfig } from "./schedule-config.ts";
import { StepFailure, type StepOutcome, type StepRegistry } from "./steps.ts";

export interface RunRequest {
  readonly job: string;
  readonly steps: readonly string[];
  readonly dbtSelect?: readonly string[];
  /** schedule | queued | catch-up | manual */
  readonly trigger: string;
  /** The local cron slot that fired it, e.g. "2026-10-01 01:00". */
  readonly slot?: string | null;
}

export type RunStatus = "succeeded" | "failed" | "stopped" | "skipped";

export interface RunSummary {
  readonly runId: string | null;
  readonly job: string;
  readonly status: RunStatus;
  readonly steps: StepRow[];
  readonly error: string | null;
  readonly alert: AlertResult | null;
  /** When skipped: who holds the lock. */
  readonly holder?: LockInfo | null;
}

export interface RunnerDeps {
  readonly registry: StepRegistry;
  readonly schedule?: ScheduleConfig;
  /** Aborted on SIGTERM: the run stops after the current step (and stops waiting to retry). */
  readonly signal?: AbortSignal;
  /** Waits between retries; tests pass one that advances a fake clock. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export function lockPathOf(ctx: PipelineContext, schedule: ScheduleConfig): string {
  return isAbsolute(schedule.lockFile) ? schedule.lockFile : join(ctx.loaded.home.root, schedule.lockFile);
}

export function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

function newRunId(now: Date, job: string): string {
  return `${now.toISOString().replace(/[-:.]/g, "")}-${job}-${randomBytes(3).toString("hex")}`;
}

/**
 * Runs one job's steps under the pipeline lock, recording the run, each step (attempts, rows,
 * duration, errors) and dbt's per-node results in the `ops` schema. A failing step is retried
 * (R6: every 5 min, up to 3 times, configurable); one that keeps failing stops the run, marks it
 * failed and raises an alert. The warehouse is opened only between steps.
 */
export async function runJob(ctx: PipelineContext, req: RunRequest, deps: RunnerDeps): Promise<RunSummary> {
  const schedule = deps.schedule ?? scheduleConfigOf(ctx.loaded.config);
  const signal = deps.signal ?? new AbortController().signal;
  const sleep = deps.sleep ?? realSleep;
  const warehouse = ctx.loaded.home.warehouse;
  const acquired = PipelineLock.tryAcquire(lockPathOf(ctx, schedule), {
    purpose: `${req.job} (${req.trigger})`,
    now: ctx.now(),
    staleHours: schedule.lockStaleHours,
  });
  if (!acquired.acquired) {
    const h = acquired.holder;
    ctx.log.warn(
      `${req.job}: skipped, another run holds the pipeline lock${h ? ` (${h.purpose}, pid ${h.pid} on ${h.hostname} since ${h.startedAt})` : ""}`,
    );
    return { runId: null, job: req.job, status: "skipped", steps: [], error: null, alert: null, holder: h };
  }
  const lock = acquired.lock;
  if (acquired.tookOverStale) {
    const s = acquired.tookOverStale;
    ctx.log.warn(`took over a stale pipeline lock (pid ${s.pid} on ${s.hostname}, since ${s.startedAt})`);
  }

  const startedAt = ctx.now();
  const runId = newRunId(startedAt, req.job);
  const steps: StepRow[] = [];
  let status: RunStatus = "succeeded";
  let error: string | null = null;
  let alert: AlertResult | null = null;

  const record = async (what: string, work: Parameters<typeof withOps>[1]) => {
    try {
      await withOps(warehouse, work);
    } catch (err) {
      ctx.log.error(`could not record ${what} in ops: ${(err as Error).message}`);
    }
  };

  try {
    await record("the run start", async (wh) => {
      const abandoned = await markAbandoned(wh, startedAt);
      if (abandoned > 0) ctx.log.warn(`${abandoned} earlier run(s) had died mid-run; marked abandoned`);
      await insertRun(wh, {
        runId,
        job: req.job,
        trigger: req.trigger,
        slot: req.slot ?? null,
        startedAt,
        steps: [...req.steps],
        host: hostname(),
        pid: process.pid,
      });
    });
    ctx.log.info(`${req.job}: run ${runId} started (${req.trigger}${req.slot ? `, slot ${req.slot}` : ""})`);

    for (const [seq, name] of req.steps.entries()) {
      if (signal.aborted) {
        status = "stopped";
        error = `stopped by a signal before step ${name}`;
        ctx.log.warn(`${req.job}: ${error}`);
        break;
      }
      const stepStarted = ctx.now();
      const registered = deps.registry.get(name);
      if (!registered) {
        const row: StepRow = {
          runId,
          seq,
          step: name,
          status: "skipped",
          attempts: 0,
          startedAt: stepStarted,
          finishedAt: stepStarted,
          rowsIn: null,
          rowsOut: null,
          detail: "no module has registered this step yet",
          error: null,
        };
        steps.push(row);
        ctx.log.info(`- ${name}: skipped (not registered)`);
        await record(`step ${name}`, (wh) => insertStep(wh, row));
        continue;
      }
      let outcome: Partial<StepOutcome> = {};
      let stepError: string | null = null;
      let attempts = 0;
      let stopped = false;
      const maxAttempts = schedule.retry.retries + 1;
      while (attempts < maxAttempts) {
        attempts += 1;
        try {
          outcome = await registered.run({
            ...ctx,
            job: req.job,
            runId,
            dbtSelect: req.dbtSelect ?? [],
            signal,
          });
          stepError = null;
          break;
        } catch (err) {
          stepError = redact((err as Error).message);
          outcome = err instanceof StepFailure ? err.outcome : {};
          if (attempts >= maxAttempts) break;
          const waitMs = schedule.retry.delaySeconds * 1000 * schedule.retry.backoffFactor ** (attempts - 1);
          ctx.log.warn(
            `${req.job}: step ${name} failed (attempt ${attempts}/${maxAttempts}): ${stepError.split("\n")[0]}; retrying in ${formatDuration(waitMs)}`,
          );
          await sleep(waitMs, signal);
          if (signal.aborted) {
            stopped = true;
            break;
          }
        }
      }
      const row: StepRow = {
        runId,
        seq,
        step: name,
        status: stepError === null ? "succeeded" : stopped ? "stopped" : "failed",
        attempts,
        startedAt: stepStarted,
        finishedAt: ctx.now(),
        rowsIn: outcome.rowsIn ?? null,
        rowsOut: outcome.rowsOut ?? null,
        detail: outcome.detail ?? "",
        error: stepError,
      };
      steps.push(row);
      await record(`step ${name}`, async (wh) => {
        await insertStep(wh, row);
        if (outcome.dbt?.length) await insertDbtResults(wh, runId, seq, outcome.dbt);
      });
      if (row.status === "succeeded") {
        ctx.log.info(
          `✓ ${name} (${formatDuration(row.finishedAt.getTime() - row.startedAt.getTime())}${attempts > 1 ? `, attempt ${attempts}` : ""}): ${row.detail}`,
        );
        continue;
      }
      if (row.status === "stopped") {
        status = "stopped";
        error = `stopped by a signal while waiting to retry step ${name}: ${stepError}`;
        break;
      }
      status = "failed";
      error = `step ${name} failed after ${attempts} attempt(s): ${stepError}`;
      alert = await raiseAlert(
        { severity: "critical", message: error, runId, job: req.job, step: name },
        {
          log: ctx.log,
          now: ctx.now(),
          warehouse,
          url: schedule.alerts.url,
          timeoutMs: schedule.alerts.timeoutMs,
        },
      );
      break;
    }
  } catch (err) {
    status = "failed";
    error = redact((err as Error).message);
  } finally {
    await record("the run end", (wh) => finishRun(wh, runId, status, ctx.now(), error));
    lock.release();
  }
  ctx.log.info(`${req.job}: run ${runId} ${status}`);
  return { runId, job: req.job, status, steps, error, alert };
}
