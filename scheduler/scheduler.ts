import cron, { type ScheduledTask } from "node-cron";
import { wallClock } from "../core/time.ts";
import type { PipelineContext } from "./pipeline.ts";
import { runJob, type RunnerDeps, type RunSummary } from "./runner.ts";
import { scheduleConfigOf, type JobConfig, type ScheduleConfig } from "./schedule-config.ts";
import { defaultRegistry, type StepRegistry } from "./steps.ts";

/**
 * The long-running scheduler. node-cron ticks once a minute in the business time zone; each
 * tick asks which jobs' cron expressions matched a *local wall-clock* minute since the previous
 * tick (the classic cron treatment of daylight saving time):
 *  - spring forward (01:00 -> 02:00 skipped): a job due in the skipped hour runs at 02:00, late;
 *  - fall back (01:00-01:59 twice): the wall clock goes backwards, so nothing runs twice;
 *  - a stalled event loop or a suspended machine: missed slots run once (coalesced) when it wakes.
 * Only one run at a time (a lock shared with every other process); overlapping triggers are
 * skipped or queued per job (`onOverlap`), and logged.
 */

export interface Trigger {
  readonly job: string;
  /** The local wall-clock slot ("YYYY-MM-DD HH:MM") the job was due at. */
  readonly slot: string;
  /** The instant the trigger was raised. */
  readonly at: Date;
  /** True when raised after its slot (DST gap, stall, downtime). */
  readonly late: boolean;
  /** How many slots were coalesced into this trigger. */
  readonly coalesced: number;
}

export { wallClock };

export function formatSlot(wall: Date): string {
  return wall.toISOString().slice(0, 16).replace("T", " ");
}

/** node-cron's own matcher, applied to wall-clock minutes (so it runs in UTC on purpose). */
export class CronMatcher {
  private readonly task: ScheduledTask;
  constructor(readonly expression: string) {
    this.task = cron.createTask(expression, () => {}, { timezone: "UTC" });
  }
  matches(wall: Date): boolean {
    return this.task.match(wall);
  }
}

const MINUTE = 60_000;
/** How far back a tick looks for missed slots (longer outages are coalesced into one run). */
export const CATCH_UP_LIMIT_MS = 36 * 3_600_000;

/**
 * Jobs due between two ticks by local wall-clock minutes: after `prevWallMs` (a wall-clock
 * high-water mark, see wallClock) up to and including the wall-clock minute of `now`.
 */
export function dueTriggersSince(
  matchers: ReadonlyMap<string, CronMatcher>,
  timezone: string,
  prevWallMs: number,
  now: Date,
): Trigger[] {
  const prevWall = Math.floor(prevWallMs / MINUTE) * MINUTE;
  const nowWall = Math.floor(wallClock(now, timezone).getTime() / MINUTE) * MINUTE;
  if (nowWall <= prevWall) return []; // same minute, or the clock went back (DST fall-back)
  const from = Math.max(prevWall + MINUTE, nowWall - CATCH_UP_LIMIT_MS);
  const out: Trigger[] = [];
  for (const [job, matcher] of matchers) {
    let last: number | null = null;
    let count = 0;
    for (let m = from; m <= nowWall; m += MINUTE) {
      if (matcher.matches(new Date(m))) {
        last = m;
        count += 1;
      }
    }
    if (last !== null) {
      out.push({ job, slot: formatSlot(new Date(last)), at: now, late: last !== nowWall, coalesced: count });
    }
  }
  return out;
}

/** Jobs due between two instants (prev exclusive, now inclusive). */
export function dueTriggers(
  matchers: ReadonlyMap<string, CronMatcher>,
  timezone: string,
  prev: Date,
  now: Date,
): Trigger[] {
  return dueTriggersSince(matchers, timezone, wallClock(prev, timezone).getTime(), now);
}

/**
 * Remembers the highest wall-clock minute already handled, so that a repeated local hour (DST
 * fall-back) raises nothing a second time.
 */
export class TriggerClock {
  private highWater: number | null = null;
  constructor(
    readonly matchers: ReadonlyMap<string, CronMatcher>,
    readonly timezone: string,
  ) {}

  tick(now: Date): Trigger[] {
    const wall = wallClock(now, this.timezone).getTime();
    const prev = this.highWater ?? wall - MINUTE;
    const due = dueTriggersSince(this.matchers, this.timezone, prev, now);
    this.highWater = Math.max(prev, wall);
    return due;
  }
}

/** The next local slots of a cron expression after an instant (for `scrm status` and the start banner). */
export function nextSlots(expression: string, timezone: string, after: Date, count = 1): string[] {
  const matcher = new CronMatcher(expression);
  const out: string[] = [];
  let m = Math.floor(wallClock(after, timezone).getTime() / MINUTE) * MINUTE + MINUTE;
  const limit = m + 400 * 24 * 60 * MINUTE;
  for (; m < limit && out.length < count; m += MINUTE)
    if (matcher.matches(new Date(m))) out.push(formatSlot(new Date(m)));
  return out;
}

export interface SchedulerOptions {
  readonly ctx: PipelineContext;
  readonly schedule?: ScheduleConfig;
  readonly registry?: StepRegistry;
  /** Overrides how a run is executed (tests); defaults to runJob. */
  readonly run?: (trigger: Trigger, job: JobConfig, signal: AbortSignal) => Promise<RunSummary>;
  readonly runnerDeps?: Partial<RunnerDeps>;
  /** node-cron expression of the tick (default every minute). */
  readonly tickCron?: string;
}

export class Scheduler {
  readonly schedule: ScheduleConfig;
  readonly timezone: string;
  readonly jobs: ReadonlyMap<string, JobConfig>;
  private readonly matchers = new Map<string, CronMatcher>();
  private readonly clock: TriggerClock;
  private readonly abort = new AbortController();
  private current: { job: string; promise: Promise<RunSummary> } | null = null;
  private readonly queue: Trigger[] = [];
  private task: ScheduledTask | null = null;
  readonly history: Array<{ trigger: Trigger; outcome: RunSummary | "skipped-overlap" | "queued" }> = [];

  constructor(private readonly opts: SchedulerOptions) {
    this.schedule = opts.schedule ?? scheduleConfigOf(opts.ctx.loaded.config);
    this.timezone = this.schedule.timezone ?? opts.ctx.loaded.config.business.timezone;
    const jobs = new Map<string, JobConfig>();
    for (const [name, job] of Object.entries(this.schedule.jobs)) {
      if (!job.enabled) continue;
      jobs.set(name, job);
      this.matchers.set(name, new CronMatcher(job.cron));
    }
    this.jobs = jobs;
    this.clock = new TriggerClock(this.matchers, this.timezone);
  }

  get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  /** One tick: raise the triggers due since the previous tick and dispatch them. */
  tick(now: Date = this.opts.ctx.now()): Trigger[] {
    if (this.stopping) return [];
    const due = this.clock.tick(now);
    // Queued triggers first (they waited), then the new ones in configuration order.
    for (const t of due) this.dispatch(t);
    this.drain();
    return due;
  }

  /** Triggers a job now, outside its schedule (`scrm schedule --run-now <job>`). */
  runNow(job: string, now: Date = this.opts.ctx.now()): void {
    if (!this.jobs.has(job)) throw new Error(`no enabled job "${job}" (jobs: ${[...this.jobs.keys()].join(", ")})`);
    this.dispatch({ job, slot: formatSlot(wallClock(now, this.timezone)), at: now, late: false, coalesced: 1 });
  }

  private dispatch(t: Trigger): void {
    const job = this.jobs.get(t.job)!;
    const log = this.opts.ctx.log;
    if (t.late)
      log.warn(`${t.job}: slot ${t.slot} ran late (${t.coalesced} slot(s) coalesced: DST gap, stall or downtime)`);
    if (this.current) {
      if (job.onOverlap === "queue") {
        if (!this.queue.some((q) => q.job === t.job)) this.queue.push(t);
        log.info(`${t.job}: slot ${t.slot} queued behind the running ${this.current.job} run`);
        this.history.push({ trigger: t, outcome: "queued" });
      } else {
        log.warn(`${t.job}: slot ${t.slot} skipped, the ${this.current.job} run is still going (overlap)`);
        this.history.push({ trigger: t, outcome: "skipped-overlap" });
      }
      return;
    }
    this.launch(t, job);
  }

  private launch(t: Trigger, job: JobConfig): void {
    const runner =
      this.opts.run ??
      ((trigger: Trigger, j: JobConfig, signal: AbortSignal) =>
        runJob(
          this.opts.ctx,
          {
            job: trigger.job,
            steps: j.steps,
            dbtSelect: j.dbtSelect,
            trigger: trigger.late ? "catch-up" : "schedule",
            slot: trigger.slot,
          },
          { registry: this.opts.registry ?? defaultRegistry, schedule: this.schedule, signal, ...this.opts.runnerDeps },
        ));
    const promise = runner(t, job, this.abort.signal)
      .catch((err: unknown): RunSummary => {
        this.opts.ctx.log.error(`${t.job}: run crashed: ${(err as Error).message}`);
        return { runId: null, job: t.job, status: "failed", steps: [], error: (err as Error).message, alert: null };
      })
      .then((summary) => {
        this.history.push({ trigger: t, outcome: summary });
        this.current = null;
        // Held by another process (a manual run): a queued job waits for the next tick.
        if (summary.status === "skipped" && job.onOverlap === "queue" && !this.queue.some((q) => q.job === t.job)) {
          this.queue.push(t);
        } else {
          this.drain();
        }
        return summary;
      });
    this.current = { job: t.job, promise };
  }

  private drain(): void {
    if (this.current || this.stopping) return;
    const next = this.queue.shift();
    if (next) this.launch({ ...next, late: true }, this.jobs.get(next.job)!);
  }

  /** Resolves when no run is in progress and nothing is queued. */
  async idle(): Promise<void> {
    while (this.current) await this.current.promise;
  }

  /** Starts ticking with node-cron. */
  start(): void {
    if (this.task) return;
    this.task = cron.schedule(this.opts.tickCron ?? "* * * * *", () => void this.tick(), {
      name: "scrm-scheduler-tick",
      timezone: this.timezone,
      noOverlap: false,
    });
  }

  /** Graceful stop: no new runs; the current run stops after its current step. */
  async stop(): Promise<void> {
    this.abort.abort();
    if (this.task) {
      await this.task.stop();
      await this.task.destroy();
      this.task = null;
    }
    this.queue.length = 0;
    await this.idle();
  }
}

export function describeSchedule(s: Scheduler, now: Date): string[] {
  const lines = [`schedules (time zone ${s.timezone}):`];
  for (const [name, job] of s.jobs) {
    const next = nextSlots(job.cron, s.timezone, now, 1)[0] ?? "never";
    lines.push(`  ${name.padEnd(15)} ${job.cron.padEnd(13)} next ${next}  steps: ${job.steps.join(", ")}`);
  }
  return lines;
}

/**
 * `scrm schedule`: runs until SIGTERM/SIGINT, then stops after the current step and exits 0.
 */
export async function scheduleCommand(
  ctx: PipelineContext,
  opts: {
    registry?: StepRegistry;
    schedule?: ScheduleConfig;
    /** Jobs to run once right away (e.g. `scrm schedule --run-now nightly`). */
    runNow?: readonly string[];
    installSignalHandlers?: boolean;
  } = {},
): Promise<number> {
  const scheduler = new Scheduler({ ctx, registry: opts.registry, schedule: opts.schedule });
  for (const line of describeSchedule(scheduler, ctx.now())) ctx.log.info(line);
  const registry = opts.registry ?? defaultRegistry;
  const missing = [...new Set([...scheduler.jobs.values()].flatMap((j) => j.steps))].filter((n) => !registry.get(n));
  if (missing.length) ctx.log.warn(`steps not registered yet (skipped when due): ${missing.join(", ")}`);
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (sig: string) => {
      ctx.log.info(`${sig}: stopping after the current step`);
      void scheduler.stop().then(resolve);
    };
    if (opts.installSignalHandlers !== false) {
      process.once("SIGTERM", () => onSignal("SIGTERM"));
      process.once("SIGINT", () => onSignal("SIGINT"));
    }
  });
  scheduler.start();
  ctx.log.info(`scheduler started (pid ${process.pid}); SIGTERM stops it after the current step`);
  for (const job of opts.runNow ?? []) scheduler.runNow(job);
  await stopped;
  ctx.log.info("scheduler stopped");
  return 0;
}
