/**
 * `scrm anomalies` (R26): the weekly-seasonal median/MAD detector over every daily series (the
 * marts' agg_kpi_daily plus derived complaint and delivery-failure rates), and the seed's rule
 * "complaint rate above 5% three days in a row". Flagged days go to ml.kpi_anomalies (replaced
 * on every run) for the dashboard's Anomalies page.
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
}

export interface AnomalyResult {
  series: number;
  skippedSeries: number;
  anomalies: AnomalyRow[];
}

interface SeriesRow {
  metric_date: string;
  metric: string;
  dimension: string;
  dimension_value: string;
  value: number;
  unit: string;
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
  const out: AnomalyRow[] = [];
  let series = 0;
  let skipped = 0;
  for (const g of groups.values()) {
    const first = g[0]!;
    const points: DailyPoint[] = g.map((r) => ({ date: r.metric_date, value: r.value }));
    if (points.length < minPoints) {
      skipped++;
      continue;
    }
    if (first.unit !== "ratio") {
      const byValue = points.map((p) => p.value).sort((a, b) => a - b);
      if ((byValue[Math.floor(byValue.length / 2)] ?? 0) < minCount) {
        skipped++;
        continue;
      }
    }
    series++;
    // Noise floor per series: counts are roughly Poisson (sd ~ sqrt(level)), ratios get an
    // absolute floor of `ratioFloor` (default 2 points), so tiny denominators do not alarm.
    const sorted = points.map((p) => p.value).sort((a, b) => a - b);
    const level = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const absoluteFloor = first.unit === "ratio" ? (opts.ratioFloor ?? 0.02) : Math.sqrt(Math.max(level, 1));
    // threshold 5 (not the detector's 3.5): on the demo it halves false alarms at equal recall.
    for (const a of detectSeasonalAnomalies(points, { absoluteFloor, threshold: 5, ...opts })) {
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
    if (first.metric === "complaint_rate" && first.dimension === "all") {
      for (const s of detectConsecutiveAbove(points, opts.complaintThreshold ?? 0.05, opts.complaintDays ?? 3)) {
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

export async function runAnomalies(wh: Warehouse, now: Date, opts: AnomalyOptions = {}): Promise<AnomalyResult> {
  const has = async (name: string) =>
    Number(
      await wh.scalar(
        "select count(*)::integer from information_schema.tables where table_schema = 'marts' and table_name = $1",
        [name],
      ),
    ) > 0;
  if (!(await has("agg_kpi_daily"))) return { series: 0, skippedSeries: 0, anomalies: [] };
  await wh.run(loadSql("kpi_series", { HAS_KEYWORDS: (await has("fct_message_keywords")) ? 1 : 0 }));
  const rows = await wh.rows<SeriesRow>(
    "select strftime(metric_date, '%Y-%m-%d') as metric_date, metric, dimension, dimension_value, value, unit from ml_kpi_series order by metric, dimension, dimension_value, metric_date",
  );
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
