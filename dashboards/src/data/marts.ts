// Shared by the page loaders; not a loader itself. Reads marts (and the ml schema's outputs)
// defensively: a table that is not built yet becomes an entry in `missing`, never a failed build.
// Loaders only select and shape; every metric is defined once, in the dbt marts.
import { ident, pickColumn, warn, type Row, type Warehouse } from "./warehouse.ts";

/** What a page could not show, and which table/metric it needs. Rendered as a notice. */
export interface Missing {
  what: string;
  needs: string;
}

export interface PageData {
  missing: Missing[];
  [key: string]: unknown;
}

export function page(): PageData {
  return { missing: [] };
}

/** Columns of schema.table, or null (and a `missing` entry when `need` is given). */
export async function table(wh: Warehouse, schema: string, name: string): Promise<Set<string> | null> {
  return wh.columns(schema, name);
}

/** Rows of `sql` with every numeric-looking value as a JS number (BIGINT/DECIMAL come back as strings). */
export async function rows(wh: Warehouse, sql: string, params?: Record<string, string | number>): Promise<Row[]> {
  const out = await wh.query(sql, params);
  return out;
}

/** Columnar form of rows: {columns, data: column arrays}; about half the bytes of row objects. */
export function columnar(list: readonly Row[], columns?: readonly string[]): { columns: string[]; data: unknown[][] } {
  const cols = columns ? [...columns] : list.length ? Object.keys(list[0]!) : [];
  return { columns: cols, data: cols.map((c) => list.map((r) => r[c] ?? null)) };
}

export { ident, pickColumn, warn };

// ---------------------------------------------------------------------------------------------
// marts.agg_kpi_daily: every series of a set of metrics, per dimension slice, columnar.

export interface KpiSeries {
  metric: string;
  dimension: string;
  value: string;
  /** Aligned to `dates`; null when the mart has no row for that date. */
  v: (number | null)[];
  /** Numerator and denominator (ratios only), aligned to `dates`. */
  n?: (number | null)[];
  d?: (number | null)[];
}

export interface KpiSeriesSet {
  dates: string[];
  series: KpiSeries[];
  /** Metrics asked for that the mart does not have. */
  absent: string[];
  /** Every metric name in the mart, to tell the reader what exists. */
  available: string[];
}

const DATE_COLUMNS = ["metric_date", "date", "local_date", "business_date"];

/**
 * The daily series of `metrics` from marts.agg_kpi_daily, for the dimensions in `dimensions`
 * ('all' is the overall series), over the last `lastDays` days of the mart.
 */
export async function kpiSeries(
  wh: Warehouse,
  metrics: readonly string[],
  opts: { dimensions?: readonly string[]; byMetric?: Readonly<Record<string, readonly string[]>>; lastDays?: number } = {},
): Promise<KpiSeriesSet> {
  const cols = await wh.columns("marts", "agg_kpi_daily");
  const date = pickColumn(cols, DATE_COLUMNS);
  if (!cols || !date) return { dates: [], series: [], absent: [...metrics], available: [] };
  const available = (await wh.query(`select distinct metric from marts.agg_kpi_daily order by 1`)).map((r) => String(r.metric));
  const wanted = metrics.filter((m) => available.includes(m));
  const absent = metrics.filter((m) => !available.includes(m));
  if (wanted.length === 0) return { dates: [], series: [], absent, available };
  const hasDims = cols.has("dimension") && cols.has("dimension_value");
  const dims = opts.dimensions ?? ["all"];
  const parts = cols.has("numerator") && cols.has("denominator");
  const lastDays = Math.max(1, Math.floor(opts.lastDays ?? 400));
  const list = (xs: readonly string[]) => xs.map((x) => `'${x.replaceAll("'", "''")}'`).join(", ");
  const result = await wh.query(
    `select strftime(${ident(date)}::date, '%Y-%m-%d') as date, metric,
            ${hasDims ? "dimension, dimension_value" : "'all' as dimension, 'all' as dimension_value"},
            value::double as v
            ${parts ? ", numerator::double as n, denominator::double as d" : ""}
     from marts.agg_kpi_daily
     where metric in (${list(wanted)})
       ${hasDims ? `and (${wanted.map((m) => `(metric = '${m.replaceAll("'", "''")}' and dimension in (${list(opts.byMetric?.[m] ?? dims)}))`).join(" or ")})` : ""}
       and ${ident(date)}::date > (select max(${ident(date)})::date from marts.agg_kpi_daily) - ${lastDays}
     order by 1`,
  );
  const dates = [...new Set(result.map((r) => String(r.date)))].sort();
  const index = new Map(dates.map((d, i) => [d, i]));
  const byKey = new Map<string, KpiSeries>();
  for (const r of result) {
    const key = `${r.metric}\u0000${r.dimension}\u0000${r.dimension_value}`;
    let s = byKey.get(key);
    if (!s) {
      s = { metric: String(r.metric), dimension: String(r.dimension), value: String(r.dimension_value), v: dates.map(() => null) };
      if (parts) {
        s.n = dates.map(() => null);
        s.d = dates.map(() => null);
      }
      byKey.set(key, s);
    }
    const i = index.get(String(r.date))!;
    s.v[i] = num(r.v);
    if (s.n && s.d) {
      s.n[i] = num(r.n);
      s.d[i] = num(r.d);
    }
  }
  // Drop all-null part arrays (counts) to keep the file small.
  for (const s of byKey.values()) {
    if (s.d && s.d.every((x) => x === null)) {
      delete s.n;
      delete s.d;
    }
  }
  return { dates, series: [...byKey.values()], absent, available };
}

/**
 * The daily series one page shows: `wanted` maps each metric to the dimensions it is charted or
 * filtered by ('all' is the overall series). Each page ships only these, not the whole mart.
 */
export async function pageSeries(wh: Warehouse, wanted: Readonly<Record<string, readonly string[]>>, lastDays = 400): Promise<KpiSeriesSet> {
  const set = await kpiSeries(wh, Object.keys(wanted), { byMetric: wanted, lastDays });
  // `available` helps a reader of the build log, not the page: keep the file small.
  return { ...set, available: [] };
}

export function num(x: unknown): number | null {
  if (x === null || x === undefined || x === "") return null;
  const n = Number(x);
  return Number.isFinite(n) ? n : null;
}

/**
 * Selects `columns` (those that exist) of a mart table, with a row cap. Used for tables that are
 * already aggregates (agg_*, fct_*_daily); never for customer- or message-level tables.
 * `rename` maps output names to candidate source columns (first that exists wins).
 */
export async function selectAggregate(
  wh: Warehouse,
  schema: string,
  name: string,
  pick: Record<string, readonly string[]>,
  opts: { where?: string; orderBy?: string; limit?: number; required?: readonly string[] } = {},
): Promise<{ columns: string[]; data: unknown[][]; rows: number } | null> {
  const cols = await wh.columns(schema, name);
  if (!cols) return null;
  const chosen: [string, string][] = [];
  for (const [out, candidates] of Object.entries(pick)) {
    const c = pickColumn(cols, candidates);
    if (c) chosen.push([out, c]);
  }
  const have = new Set(chosen.map(([o]) => o));
  const lacking = (opts.required ?? []).filter((r) => !have.has(r));
  if (lacking.length) {
    warn(`${schema}.${name} lacks ${lacking.join(", ")} (has: ${[...cols].join(", ")}); not shown.`);
    return null;
  }
  const types = new Map<string, string>();
  for (const t of await wh.query(
    `select lower(column_name) as name, data_type from information_schema.columns where table_schema = $s and table_name = $t`,
    { s: schema, t: name },
  ))
    types.set(String(t.name), String(t.data_type).toUpperCase());
  const numeric = new Set<string>();
  const select = chosen
    .map(([out, c]) => {
      const type = types.get(c) ?? "VARCHAR";
      if (type === "DATE") return `strftime(${ident(c)}, '%Y-%m-%d') as ${ident(out)}`;
      if (type.startsWith("TIMESTAMP")) return `strftime(${ident(c)}::timestamp, '%Y-%m-%dT%H:%M:%SZ') as ${ident(out)}`;
      if (type === "BOOLEAN") return `${ident(c)}::integer::double as ${ident(out)}`;
      if (/INT|DECIMAL|DOUBLE|FLOAT|REAL|NUMERIC/.test(type)) {
        numeric.add(c);
        return `${ident(c)}::double as ${ident(out)}`;
      }
      return `${ident(c)}::varchar as ${ident(out)}`;
    })
    .join(", ");
  const limit = opts.limit ?? 20_000;
  const list = await wh.query(
    `select ${select} from ${schema}.${name} ${opts.where ? `where ${opts.where}` : ""} ${opts.orderBy ? `order by ${opts.orderBy}` : ""} limit ${limit}`,
  );
  const columns = chosen.map(([o]) => o);
  const data = chosen.map(([out, c]) => list.map((r) => (numeric.has(c) || types.get(c) === "BOOLEAN" ? num(r[out]) : (r[out] ?? null))));
  if (list.length === limit) warn(`${schema}.${name}: capped at ${limit} rows.`);
  return { columns, data, rows: list.length };
}
