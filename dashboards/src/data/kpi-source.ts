// Reads the daily KPI series from marts.agg_kpi_daily, tolerating the naming variations the
// marts may settle on. Shared by loaders; not a loader itself.
import { HEADLINE_METRICS, METRIC_ALIASES, specsFor, type DailyPoint, type MetricSpec } from "./kpi-periods.ts";
import { ident, pickColumn, warn, type Warehouse } from "./warehouse.ts";

export const KPI_TABLE = "agg_kpi_daily";
const DATE_COLUMNS = ["metric_date", "date", "local_date", "business_date", "date_local", "day", "kpi_date"];
/** Dimension values that mean "the overall series". */
const OVERALL = ["all", "total", "overall", "*"];
/**
 * Headline metrics the mart may give only per slice, never as one total: then each slice of this
 * dimension becomes its own KPI. Empty since revenue_business (one currency) exists.
 */
const SLICED_FALLBACK: Readonly<Record<string, string>> = {};

export interface DailySeries {
  points: DailyPoint[];
  /** What to show, in order (headline metrics present, per-slice ones expanded). */
  specs: MetricSpec[];
  /** Headline metrics that the mart does not (yet) provide. */
  missing: string[];
}

/** The overall daily series of the headline metrics; `lastDays` keeps only the latest days. */
export async function readOverallDaily(wh: Warehouse, opts: { lastDays?: number } = {}): Promise<DailySeries> {
  const cols = await wh.columns("marts", KPI_TABLE);
  if (!cols) throw new Error(`marts.${KPI_TABLE} does not exist in the warehouse: run \`scrm transform\` (dbt build) first.`);
  const date = pickColumn(cols, DATE_COLUMNS);
  if (!date || !cols.has("metric") || !cols.has("value")) {
    throw new Error(`marts.${KPI_TABLE} lacks a date, metric or value column (has: ${[...cols].join(", ")}).`);
  }
  const hasDims = cols.has("dimension") && cols.has("dimension_value");
  const overall = `(${OVERALL.map((v) => `'${v}'`).join(", ")})`;
  const sliceOf = hasDims
    ? `case when (dimension is null or lower(dimension) in ${overall}) and (dimension_value is null or lower(dimension_value) in ${overall})
            then null else dimension_value end`
    : "null";
  const slicedWanted = Object.entries(SLICED_FALLBACK).map(([metric, dim]) => `(metric = '${metric}' and dimension = '${dim}')`);
  const filters = [hasDims ? `((${sliceOf}) is null${slicedWanted.length ? ` or ${slicedWanted.join(" or ")}` : ""})` : "true"];
  if (opts.lastDays !== undefined) {
    const n = Math.max(1, Math.floor(opts.lastDays));
    filters.push(`${ident(date)}::date > (select max(${ident(date)})::date from marts.${KPI_TABLE}) - ${n}`);
  }
  const parts = cols.has("numerator") && cols.has("denominator")
    ? "sum(numerator)::double as numerator, sum(denominator)::double as denominator"
    : "null::double as numerator, null::double as denominator";
  // One row per date, metric and slice is the mart's grain; `n` guards it.
  const rows = await wh.query(
    `select strftime(${ident(date)}::date, '%Y-%m-%d') as date, metric, ${sliceOf} as slice,
            max(value)::double as value, ${parts}, count(*)::integer as n
     from marts.${KPI_TABLE}
     where ${filters.join(" and ")}
     group by all order by 1, 2, 3`,
  );

  const canonical = new Map<string, string>(); // mart name -> headline name
  for (const spec of HEADLINE_METRICS) {
    for (const alias of METRIC_ALIASES[spec.metric] ?? [spec.metric]) canonical.set(alias, spec.metric);
  }
  const overallMetrics = new Set(rows.filter((r) => r.slice === null).map((r) => canonical.get(String(r.metric))));
  const points: DailyPoint[] = [];
  let duplicated = 0;
  for (const r of rows) {
    const metric = canonical.get(String(r.metric));
    if (!metric || r.value === null) continue;
    // A slice is used only when the mart has no overall series for that metric.
    if (r.slice !== null && overallMetrics.has(metric)) continue;
    if (Number(r.n) > 1) duplicated++;
    points.push({
      date: String(r.date),
      metric: r.slice === null ? metric : `${metric}:${String(r.slice)}`,
      value: Number(r.value),
      numerator: r.numerator == null || Number(r.n) > 1 ? null : Number(r.numerator),
      denominator: r.denominator == null || Number(r.n) > 1 ? null : Number(r.denominator),
    });
  }
  if (duplicated > 0) warn(`marts.${KPI_TABLE}: ${duplicated} (date, metric) pairs have several overall rows; the largest value was used.`);
  const specs = specsFor(points.map((p) => p.metric));
  const shown = new Set(specs.map((s) => s.metric.split(":")[0]));
  const missing = HEADLINE_METRICS.map((s) => s.metric).filter((m) => !shown.has(m));
  if (missing.length) warn(`marts.${KPI_TABLE} has no series for: ${missing.join(", ")}.`);
  return { points, specs, missing };
}
