/**
 * Command functions of issue 7, for the CLI (`scrm train | score | export churn | export unread |
 * anomalies`) and the pipeline (`stepMl`). Each opens the warehouse read-write for its own work
 * and closes it before returning (one writer at a time).
 */
import { withWarehouse, type Warehouse } from "../core/warehouse.ts";
import type { PipelineContext, StepReport } from "../scheduler/pipeline.ts";
import { runAnomalies, type AnomalyOptions } from "./anomalies/run.ts";
import { ensureSchema } from "./churn/features.ts";
import { scoreChurn, type ScoreOptions, type ScoreResult } from "./churn/score.ts";
import { metricsTable, trainChurn, type TrainOptions, type TrainResult } from "./churn/train.ts";
import { exportChurnList, type ChurnExportOptions, type ExportResult } from "./exports/churn-list.ts";
import { exportUnreadList } from "./exports/unread-list.ts";

async function withMl<T>(ctx: PipelineContext, work: (wh: Warehouse) => Promise<T>): Promise<T> {
  return withWarehouse(ctx.loaded.home.warehouse, { timezone: "UTC" }, async (wh) => {
    const marts = Number(
      await wh.scalar(
        "select count(*)::integer from information_schema.tables where table_schema = 'marts' and table_name in ('fct_messages', 'fct_orders', 'dim_customers')",
      ),
    );
    if (marts < 3) throw new Error("the marts are not built yet: run `scrm transform` first");
    await ensureSchema(wh);
    return work(wh);
  });
}

/** `scrm train`: trains, evaluates against the baselines, writes <home>/models/<version>/ and ml.model_runs. */
export async function trainCommand(ctx: PipelineContext, opts: TrainOptions = {}): Promise<TrainResult> {
  const r = await withMl(ctx, (wh) => trainChurn(wh, ctx.loaded.home.root, ctx.now(), opts));
  if (r.status === "skipped") ctx.log.warn(`churn model not trained: ${r.message}`);
  else {
    ctx.log.info(`${r.message}; model card ${r.cardPath}`);
    ctx.log.info(`\n${metricsTable(r.comparisons ?? [])}`);
  }
  return r;
}

/** `scrm score`: scores with the latest model, fills ml.churn_scores and crm_sync.desired_tags. */
export async function scoreCommand(ctx: PipelineContext, opts: ScoreOptions = {}): Promise<ScoreResult> {
  const r = await withMl(ctx, (wh) => scoreChurn(wh, ctx.now(), opts));
  if (r.status === "skipped") ctx.log.warn(`churn scoring skipped: ${r.message}`);
  else ctx.log.info(r.message);
  return r;
}

/** `scrm export churn [--include-no-opt-in]`: the win-back list as CSV + Parquet in <home>/exports/. */
export async function exportChurnCommand(ctx: PipelineContext, opts: ChurnExportOptions = {}): Promise<ExportResult> {
  const r = await withMl(ctx, (wh) => exportChurnList(wh, ctx.loaded.home.exports, ctx.now(), opts));
  ctx.log.info(r.message);
  return r;
}

/** `scrm export unread`: R29's list of messages not read for 24 h, plus its follow-up tag. */
export async function exportUnreadCommand(
  ctx: PipelineContext,
  opts: { tag?: boolean; lookbackDays?: number } = {},
): Promise<ExportResult> {
  const r = await withMl(ctx, (wh) => exportUnreadList(wh, ctx.loaded.home.exports, ctx.now(), opts));
  ctx.log.info(r.message);
  return r;
}

/** `scrm anomalies`: KPI anomaly detection into ml.kpi_anomalies. */
export async function anomaliesCommand(ctx: PipelineContext, opts: AnomalyOptions = {}) {
  const r = await withMl(ctx, (wh) => runAnomalies(wh, ctx.now(), opts));
  const rule = r.anomalies.filter((a) => a.method === "rule_r26_complaint_rate_3d").length;
  ctx.log.info(
    `anomalies: ${r.anomalies.length} flagged day(s) over ${r.series} series (${r.skippedSeries} too short or sparse); R26 complaint rule fired on ${rule} day(s)`,
  );
  return r;
}

/** Retrain when no model exists or the latest is older than this (default 7 days). */
export interface StepMlOptions {
  retrainAfterDays?: number;
  train?: TrainOptions;
  score?: ScoreOptions;
  exportChurn?: ChurnExportOptions;
}

async function needsTraining(ctx: PipelineContext, days: number): Promise<boolean> {
  return withMl(ctx, async (wh) => {
    const last = await wh.scalar<string | null>(
      "select strftime(max(trained_at), '%Y-%m-%dT%H:%M:%SZ') from ml.model_runs where status = 'trained'",
    );
    return !last || ctx.now().getTime() - Date.parse(last) > days * 86_400_000;
  });
}

/** Trains when no model exists or the latest is older than `retrainAfterDays` (default 7); else null. */
export async function trainIfNeededCommand(
  ctx: PipelineContext,
  opts: { retrainAfterDays?: number; train?: TrainOptions } = {},
): Promise<TrainResult | null> {
  if (!(await needsTraining(ctx, opts.retrainAfterDays ?? 7))) return null;
  return trainCommand(ctx, opts.train);
}

/**
 * The pipeline's ML step, after transform: train if needed, score (tags into the outbox), export
 * the win-back and unread lists, detect KPI anomalies. Never throws for "too little data".
 */
export async function stepMl(ctx: PipelineContext, opts: StepMlOptions = {}): Promise<StepReport> {
  const started = performance.now();
  const parts: string[] = [];
  const t = await trainIfNeededCommand(ctx, opts);
  if (t) parts.push(t.status === "trained" ? `trained ${t.version}` : `training skipped (${t.message})`);
  const s = await scoreCommand(ctx, opts.score);
  parts.push(
    s.status === "scored"
      ? `${s.scored} scored, ${s.tags} tags, ${s.holdout} held out`
      : `scoring skipped (${s.message})`,
  );
  if (s.status === "scored") {
    const e = await exportChurnCommand(ctx, opts.exportChurn);
    parts.push(`win-back list ${e.rows} rows`);
  }
  const u = await exportUnreadCommand(ctx);
  parts.push(u.status === "exported" ? `unread list ${u.rows} rows` : u.message);
  const a = await anomaliesCommand(ctx);
  parts.push(`${a.anomalies.length} KPI anomalies`);
  return { step: "ml", ms: performance.now() - started, detail: parts.join("; ") };
}
