import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { LoadedConfig } from "../core/config.ts";
import { formatDuration, type Logger } from "../core/log.ts";
import type { Progress } from "../core/progress.ts";
import { withWarehouse } from "../core/warehouse.ts";
import { ingestCrm } from "../ingest/crm/ingest.ts";
import { generateDemo } from "../ingest/demo/generate.ts";
import { loadLanded, type SourceReport } from "../ingest/load/loader.ts";
import { buildSite } from "../dashboards/build.ts";
import { dbtOptionsFor, describeDbtFailure, PIPELINE_BUILD, runDbt, type DbtNodeResult } from "./dbt.ts";

export interface StepReport {
  readonly step: string;
  readonly ms: number;
  readonly detail: string;
  /** Per-source load figures, from the ingest step. */
  readonly sources?: SourceReport[];
  /** Per-node dbt results, from the transform step. */
  readonly dbt?: DbtNodeResult[];
}

export interface PipelineContext {
  readonly loaded: LoadedConfig;
  readonly log: Logger;
  readonly progress: Progress;
  /** The pipeline's clock; tests pass a fixed one. */
  readonly now: () => Date;
}

/** The demo signs its webhook bodies like Meta does, with this secret unless one is configured. */
export const DEMO_APP_SECRET = "scrm-demo-app-secret";

function hasAnyData(ctx: PipelineContext): boolean {
  const { home } = ctx.loaded;
  const nonEmpty = (dir: string) => existsSync(dir) && readdirSync(dir).length > 0;
  return nonEmpty(home.landing.root) || existsSync(home.crmSqlite);
}

export async function stepDemo(
  ctx: PipelineContext,
  opts: { customers?: number; days?: number; seed?: number; end?: Date } = {},
): Promise<StepReport> {
  const { config, home } = ctx.loaded;
  const started = performance.now();
  const now = ctx.now();
  const end = opts.end ?? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const summary = await generateDemo({
    home,
    seed: opts.seed ?? config.demo.seed,
    customers: opts.customers ?? config.demo.customers,
    days: opts.days ?? config.demo.days,
    end,
    timezone: config.business.timezone,
    appSecret: config.receiver.appSecrets[0] ?? DEMO_APP_SECRET,
    onProgress: (done, total) => ctx.progress.update("demo days", done, total),
  });
  ctx.progress.done();
  return { step: "demo", ms: performance.now() - started, detail: describeDemo(summary) };
}

function describeDemo(summary: object): string {
  return Object.entries(summary)
    .filter(([, v]) => typeof v === "number")
    .map(([k, v]) => `${k} ${(v as number).toLocaleString("en-US")}`)
    .join(", ");
}

/** Demo data is generated only into an empty home with no configuration of its own. */
export async function stepDemoIfEmpty(ctx: PipelineContext): Promise<StepReport | null> {
  if (ctx.loaded.file !== null || hasAnyData(ctx)) return null;
  ctx.log.info(`no data in ${ctx.loaded.home.root}: generating the demo data set`);
  return stepDemo(ctx);
}

export async function stepIngest(ctx: PipelineContext): Promise<StepReport> {
  const started = performance.now();
  const crm = await ingestCrm(ctx, { load: false });
  const parts: string[] = [crm.detail];
  const reports = await withWarehouse(ctx.loaded.home.warehouse, { timezone: "UTC" }, (wh) =>
    loadLanded(wh, ctx.loaded.home, ctx.log, (source, done, total) =>
      ctx.progress.update(`load ${source}`, done, total),
    ),
  );
  ctx.progress.done();
  for (const r of reports.filter((r) => r.files > 0)) {
    parts.push(
      `${r.source}: ${r.files} file(s), ${r.loaded.toLocaleString("en-US")} rows${r.quarantined ? `, ${r.quarantined} quarantined` : ""}`,
    );
  }
  const skipped = reports.reduce((n, r) => n + r.alreadyLoaded, 0);
  if (reports.every((r) => r.files === 0)) parts.push("nothing new to load");
  if (skipped > 0) parts.push(`${skipped} file(s) already loaded`);
  return { step: "ingest", ms: performance.now() - started, detail: parts.join("; "), sources: reports };
}

/** dbt build failed; carries per-node results so run history can record them. */
export class DbtBuildError extends Error {
  constructor(
    message: string,
    readonly detail: string,
    readonly nodes: DbtNodeResult[],
  ) {
    super(message);
  }
}

/**
 * dbt build of the selection (empty = the whole project). Data tests on the large models check the
 * rows written since the last build that passed whole; `testAllRows` makes them check every row.
 */
export async function stepTransform(
  ctx: PipelineContext,
  select: readonly string[] = [],
  options: { readonly testAllRows?: boolean } = {},
): Promise<StepReport> {
  const args = [
    ...PIPELINE_BUILD,
    ...(select.length ? ["--select", ...select] : []),
    ...(options.testAllRows ? ["--vars", "{test_all_rows: true}"] : []),
  ];
  const result = await runDbt(args, {
    ...dbtOptionsFor(ctx.loaded),
    onProgress: (done, total) => ctx.progress.update("dbt build", done, total),
  });
  ctx.progress.done();
  const c = result.counts;
  const failed = (c.error ?? 0) + (c.fail ?? 0);
  const detail =
    `dbt build${select.length ? ` --select ${select.join(" ")}` : ""}${options.testAllRows ? " (tests on every row)" : ""}: ` +
    `${c.success ?? 0} models/seeds ok, ` +
    `${c.pass ?? 0} tests passed, ${c.warn ?? 0} warnings${failed ? `, ${failed} failed` : ""}`;
  if (result.exitCode !== 0) {
    throw new DbtBuildError(
      `dbt build failed (exit ${result.exitCode}):\n${describeDbtFailure(result)}`,
      detail,
      result.nodes,
    );
  }
  return { step: "transform", ms: result.ms, detail, dbt: result.nodes };
}

export async function stepDashboards(ctx: PipelineContext): Promise<StepReport> {
  const { config, home } = ctx.loaded;
  const built = await buildSite({
    warehouse: home.warehouse,
    outDir: home.site,
    timezone: config.business.timezone,
    dbtTarget: join(home.dbt, "target"),
  });
  return {
    step: "dashboards",
    ms: built.ms,
    detail: `${built.pages} page(s), ${(built.bytes / 1024).toFixed(0)} KiB in ${home.site}`,
  };
}

/**
 * `scrm run` / `npm start`: demo data into an empty home, then ingest, transform, ml and
 * dashboards through the scheduler's runner, so a manual run takes the same lock and lands in the
 * same run history as a scheduled one. It fails fast: nobody waits five minutes for a retry.
 */
export async function runPipeline(ctx: PipelineContext): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  const demo = await stepDemoIfEmpty(ctx);
  if (demo) {
    reports.push(demo);
    ctx.log.info(`✓ demo (${formatDuration(demo.ms)}): ${demo.detail}`);
  }
  // Loaded here: the runner and the step registry import this module.
  const { runJob } = await import("./runner.ts");
  const { defaultRegistry } = await import("./steps.ts");
  (await import("../ml/steps.ts")).registerMlSteps();
  const schedule = ctx.loaded.config.schedule;
  const run = await runJob(
    ctx,
    { job: "manual", steps: ["ingest", "transform", "ml", "dashboards"], trigger: "manual" },
    { registry: defaultRegistry, schedule: { ...schedule, retry: { ...schedule.retry, retries: 0 } } },
  );
  if (run.status !== "succeeded") {
    throw new Error(`pipeline run ${run.runId ?? ""} ${run.status}: ${run.error ?? "see scrm status"}`);
  }
  for (const r of run.steps) {
    reports.push({ step: r.step, ms: r.finishedAt.getTime() - r.startedAt.getTime(), detail: r.detail });
  }
  return reports;
}
