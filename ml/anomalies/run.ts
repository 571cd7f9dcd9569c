/**
 * `scrm anomalies` (R26): the weekly-seasonal median/MAD detector over the daily series of
 * marts.agg_kpi_daily (every metric is defined once there, complaint_rate and
 * delivery_failure_rate included), and the seed's rule "complaint rate above 5% three days in a
 * row". By default only the overall series (dimension `all`) are checked, at `threshold`;
 * breakdown series (market, agent, template category, ...) are opt-in (`breakdowns: true`) and then
 * only when their typical daily volume reaches `minBreakdownVolume`, at the stricter
 * `breakdownThreshold`: checking all 111 series turned sampling noise into 1,166 flagged days. Flagged days go to ml.kpi_anomalies (replaced on every
 * run) for the dashboard's Anomalies page.
 */
import type { Warehouse } from "../../core/warehouse.ts";
import { detectConsecutiveAbove, detectSeasonalAnomalies, type DailyPoint, type SeasonalOptions } from "../anomaly.ts";
import { loadSql } from "../churn/sql.ts";

export interface AnomalyRow {
  metric_date: string;
  metric: string;
  dimension: string;
  dimension_value: string;
  value: number;
  expected: number | null;
  lower: number | null;
  upper: number | null;
  score: number | null;
  severity: "low" | "medium" | "high";
  direction: "spike" | "drop" | "streak" | null;
  method: "seasonal_median_mad" | "rule_r26_complaint_rate_3d";
}

export interface AnomalyOptions extends SeasonalOptions {
  /** Series with fewer points are skipped (default 28: four weeks). */
  minPoints?: number;
  /** Count series whose median is below this are skipped (too sparse for a band; default 5). */
  minCountMedian?: number;
  /** R26 rule threshold and run length (default 5%, 3 days). */
  complaintThreshold?: number;
  complaintDays?: number;
  /** Absolute spread floor of ratio series (default 0.02). */
  ratioFloor?: number;
  /** Also check breakdown series (default false: overall series only; see README). */
  breakdowns?: boolean;
  /** Robust-z threshold of breakdown series (default 2 x threshold). */
  breakdownThreshold?: number;
  /** Median daily volume (denominator, or the count) a breakdown needs to be checked (default 100). */
  minBreakdownVolume?: number;
  /** R26 rule: days with fewer conversations than this give no verdict and break a run (default 30). */
  minRuleVolume?: number;
}

export interface AnomalyResult {
  series: number;
  skippedSeries: number;
  anomalies: AnomalyRow[];
}

export interface SeriesRow {
  metric_date: string;
  metric: string;
  dimension: string;
  dimension_value: string;
  value: number;
  unit: string;
  /** The day's sample size (denominator; the value for counts); defaults to the value. */
  volume?: number;
}

/** Default robust-z threshold for overall series (5, not the detector's 3.5: see README). */
export const DEFAULT_THRESHOLD = 5;

function medianOf(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Pure detection over grouped series (exported for tests). */
export function detectAll(rows: readonly SeriesRow[], opts: AnomalyOptions = {}): AnomalyResult {
  const groups = new Map<string, SeriesRow[]>();
  for (const r of rows) {
    const k = `${r.metric}\u0000${r.dimension}\u0000${r.dimension_value}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  const minPoints = opts.minPoints ?? 28;
  const minCount = opts.minCountMedian ?? 5;
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const breakdownThreshold = opts.breakdownThreshold ?? 2 * threshold;
  const minVolume = opts.minBreakdownVolume ?? 100;
  const out: AnomalyRow[] = [];
  let series = 0;
  let skipped = 0;
  for (const g of groups.values()) {
    const first = g[0]!;
    const overall = first.dimension === "all";
    const volume = medianOf(g.map((r) => r.volume ?? r.value));
    // The data usually stops mid-day: a series' last day with under half its usual volume is
    // incomplete, not a drop (or, for ratios, a handful of samples), and gets no verdict.
    const last = g[g.length - 1]!;
    const kept = (last.volume ?? last.value) < 0.5 * volume ? g.slice(0, -1) : g;
    const points: DailyPoint[] = kept.map((r) => ({ date: r.metric_date, value: r.value }));
    if (
      points.length < minPoints ||
      (!overall && (opts.breakdowns !== true || volume < minVolume)) ||
      ((first.unit === "count" || first.unit === "amount") && medianOf(points.map((p) => p.value)) < minCount)
    ) {
      skipped++;
      continue;
    }
    series++;
    // Noise floor per series: counts are roughly Poisson (sd ~ sqrt(level)); ratios get the
    // binomial sampling sd at their typical volume, at least `ratioFloor` (2 points), so small
    // denominators do not alarm.
    const level = medianOf(points.map((p) => p.value));
    const absoluteFloor =
      first.unit === "ratio"
        ? Math.max(opts.ratioFloor ?? 0.02, Math.sqrt((level * (1 - level)) / Math.max(volume, 1)))
        : Math.sqrt(Math.max(level, 1));
    const { threshold: _t, ...rest } = opts;
    void _t;
    const t = overall ? threshold : breakdownThreshold;
    for (const a of detectSeasonalAnomalies(points, { absoluteFloor, ...rest, threshold: t })) {
      if (!a.isAnomaly || a.severity === "none") continue;
      out.push({
        metric_date: a.date,
        metric: first.metric,
        dimension: first.dimension,
        dimension_value: first.dimension_value,
        value: a.value,
        expected: a.expected,
        lower: a.lower,
        upper: a.upper,
        score: a.score,
        severity: a.severity,
        direction: a.direction,
        method: "seasonal_median_mad",
      });
    }
    if (first.metric === "complaint_rate" && overall) {
      // A day with a handful of conversations (2 of 17 = 12%) is no evidence either way: it gets
      // no verdict and, like a missing day, breaks the run.
      const minRule = opts.minRuleVolume ?? 30;
      const rulePoints = kept
        .filter((r) => (r.volume ?? Infinity) >= minRule)
        .map((r) => ({ date: r.metric_date, value: r.value }));
      for (const s of detectConsecutiveAbove(rulePoints, opts.complaintThreshold ?? 0.05, opts.complaintDays ?? 3)) {
        out.push({
          metric_date: s.date,
          metric: first.metric,
          dimension: first.dimension,
          dimension_value: first.dimension_value,
          value: s.value,
          expected: null,
          lower: null,
          upper: opts.complaintThreshold ?? 0.05,
          score: s.streak,
          severity: s.streak >= 5 ? "high" : "medium",
          direction: "streak",
          method: "rule_r26_complaint_rate_3d",
        });
      }
    }
  }
  return { series, skippedSeries: skipped, anomalies: out };
}

/** Reads the KPI series (exported for the evaluation script and tests). */
export async function loadKpiSeries(wh: Warehouse): Promise<SeriesRow[]> {
  await wh.run(loadSql("kpi_series"));
  return wh.rows<SeriesRow>(
    "select strftime(metric_date, '%Y-%m-%d') as metric_date, metric, dimension, dimension_value, value, unit, volume from ml_kpi_series order by metric, dimension, dimension_value, metric_date",
  );
}

export async function runAnomalies(wh: Warehouse, now: Date, opts: AnomalyOptions = {}): Promise<AnomalyResult> {
  const has = async (name: string) =>
    Number(
      await wh.scalar(
        "select count(*)::integer from information_schema.tables where table_schema = 'marts' and table_name = $1",
        [name],
      ),
    ) > 0;
  if (!(await has("agg_kpi_daily"))) return { series: 0, skippedSeries: 0, anomalies: [] };
  const rows = await loadKpiSeries(wh);
  const result = detectAll(rows, opts);
  await wh.transaction(async () => {
    await wh.run("delete from ml.kpi_anomalies");
    await wh.run(
      "create or replace table ml._stage_anomalies (d varchar, metric varchar, dim varchar, dv varchar, value double, expected double, lower double, upper double, score double, severity varchar, direction varchar, method varchar)",
    );
    const app = await wh.connection.createAppender("_stage_anomalies", "ml");
    try {
      for (const a of result.anomalies) {
        app.appendVarchar(a.metric_date);
        app.appendVarchar(a.metric);
        app.appendVarchar(a.dimension);
        app.appendVarchar(a.dimension_value);
        for (const v of [a.value, a.expected, a.lower, a.upper, a.score]) {
          if (v === null || !Number.isFinite(v)) app.appendNull();
          else app.appendDouble(v);
        }
        app.appendVarchar(a.severity);
        if (a.direction) app.appendVarchar(a.direction);
        else app.appendNull();
        app.appendVarchar(a.method);
        app.endRow();
      }
      app.flushSync();
    } finally {
      app.closeSync();
    }
    await wh.run(
      "insert into ml.kpi_anomalies select d::date, metric, dim, dv, value, expected, lower, upper, score, severity, direction, method, true, $1::timestamptz from ml._stage_anomalies",
      [now.toISOString()],
    );
    await wh.run("drop table ml._stage_anomalies");
  });
  return result;
}
