import { z } from "zod";
import { validate as validateCron } from "node-cron";

/**
 * Configuration of the scheduler and of operations (retries, alerts, retention, backups).
 * Mounted in core/config.ts under the key `schedule`; every field has a default, so an empty
 * config file yields the seed's cadences (R5, R6, R21, R28, R29).
 */

const cronExpression = z.string().refine((expr) => validateCron(expr), {
  message: 'not a cron expression (minute hour day-of-month month day-of-week, e.g. "*/5 * * * *")',
});

export const jobSchema = z
  .object({
    /** Cron expression in the business time zone (or `schedule.timezone`). */
    cron: cronExpression,
    /** Named steps from the step registry, run in order. Unregistered steps are skipped and logged. */
    steps: z.array(z.string().min(1)).min(1),
    /** dbt selection for the `transform` step of this job; empty = the whole project. */
    dbtSelect: z.array(z.string().min(1)).default([]),
    /**
     * What to do when the trigger fires while another run holds the pipeline lock:
     * `skip` (micro-batches: the next one comes soon) or `queue` (run once the current run ends).
     */
    onOverlap: z.enum(["skip", "queue"]).default("skip"),
    enabled: z.boolean().default(true),
    description: z.string().default(""),
  })
  .strict();

export type JobConfig = z.infer<typeof jobSchema>;

export const DEFAULT_JOBS: Record<string, z.input<typeof jobSchema>> = {
  "micro-batch": {
    cron: "*/5 * * * *",
    steps: ["ingest"],
    onOverlap: "skip",
    description: "R5/R21: load newly landed webhooks, outbound logs, CRM changes (batch sync every few minutes)",
  },
  hourly: {
    cron: "7 * * * *",
    steps: ["ingest", "transform"],
    dbtSelect: ["tag:hourly"],
    onOverlap: "skip",
    description: "R21: behaviour data (click-through, read rate) refreshed hourly: dbt models tagged `hourly`",
  },
  nightly: {
    cron: "0 1 * * *",
    steps: ["ingest", "transform", "scoring", "anomalies", "writeback", "dashboards", "archive"],
    onOverlap: "queue",
    description:
      "R5: off-peak 01:00-05:00: full dbt build, churn scoring, KPI anomalies, CRM write-back, site build, compress landing",
  },
  "unread-export": {
    cron: "0 2 * * *",
    steps: ["exports", "writeback"],
    onOverlap: "queue",
    description: "R29: at 02:00 the unread-messages list is exported and its follow-up tags written to the CRM",
  },
  "weekly-full-tests": {
    cron: "0 3 * * 0",
    steps: ["ingest", "transform-all-rows"],
    onOverlap: "queue",
    description:
      "Sunday 03:00 (off-peak): dbt build whose data tests read every row; daily builds test the rows they wrote",
  },
  "weekly-reports": {
    cron: "30 4 * * 1",
    steps: ["reports"],
    onOverlap: "queue",
    description: "R28: the three weekly core reports (service efficiency, sales funnel, cost efficiency)",
  },
};

/** R3: chat history is kept at least 180 days; configuring less is refused. */
export const MIN_RETENTION_DAYS = 180;

export const scheduleConfigSchema = z
  .object({
    /** IANA zone for the cron expressions; defaults to `business.timezone`. */
    timezone: z.string().optional(),
    jobs: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/), jobSchema).default(() => parseDefaultJobs()),
    retry: z
      .object({
        /** R6: a failed step is retried up to 3 times ... */
        retries: z.number().int().min(0).max(20).default(3),
        /** ... every 5 minutes. */
        delaySeconds: z.number().min(0).default(300),
        /** Each further wait is multiplied by this (1 = fixed interval as in R6). */
        backoffFactor: z.number().min(1).max(10).default(1),
      })
      .strict()
      .default({ retries: 3, delaySeconds: 300, backoffFactor: 1 }),
    alerts: z
      .object({
        /** Optional webhook: a JSON POST per alert (Slack-compatible `text` field included). */
        url: z.string().url().optional(),
        timeoutMs: z.number().int().positive().default(5000),
      })
      .strict()
      .default({ timeoutMs: 5000 }),
    /** Pipeline lock file; relative paths are inside the home folder. */
    lockFile: z.string().default("run/pipeline.lock"),
    /** A lock held by another host (shared folder) is considered stale after this long. */
    lockStaleHours: z.number().positive().default(12),
    retention: z
      .object({
        days: z
          .number()
          .int()
          .min(MIN_RETENTION_DAYS, { message: `R3: history is kept at least ${MIN_RETENTION_DAYS} days` })
          .default(MIN_RETENTION_DAYS),
        /** Compress landing files once loaded (R12); they stay the replayable record. */
        compressLoaded: z.boolean().default(true),
        /** Only files sealed this long ago are compressed (the ingest step may still be reading newer ones). */
        compressAfterHours: z.number().min(0).default(24),
      })
      .strict()
      .default({ days: MIN_RETENTION_DAYS, compressLoaded: true, compressAfterHours: 24 }),
    status: z
      .object({
        /** Sealed landing files waiting longer than this are a loading lag worth attention. */
        maxLoadLagMinutes: z.number().positive().default(30),
        /** No webhook received for this long is worth attention (receiver or Meta subscription down?). */
        maxReceiveGapHours: z.number().positive().default(24),
        /** The nightly job must have succeeded within this many hours. */
        nightlyMaxAgeHours: z.number().positive().default(26),
        /** A run still `running` after this long is stuck. */
        maxRunMinutes: z.number().positive().default(240),
      })
      .strict()
      .default({ maxLoadLagMinutes: 30, maxReceiveGapHours: 24, nightlyMaxAgeHours: 26, maxRunMinutes: 240 }),
  })
  .strict();

export type ScheduleConfig = z.infer<typeof scheduleConfigSchema>;

function parseDefaultJobs(): Record<string, JobConfig> {
  const out: Record<string, JobConfig> = {};
  for (const [name, job] of Object.entries(DEFAULT_JOBS)) out[name] = jobSchema.parse(job);
  return out;
}

/** The defaults, for callers whose config does not carry a `schedule` key yet. */
export function defaultScheduleConfig(): ScheduleConfig {
  return scheduleConfigSchema.parse({});
}

/** Reads the `schedule` key from a loaded config object if the lead has mounted it. */
export function scheduleConfigOf(config: object): ScheduleConfig {
  const raw = (config as { schedule?: unknown }).schedule;
  return raw === undefined ? defaultScheduleConfig() : scheduleConfigSchema.parse(raw);
}
