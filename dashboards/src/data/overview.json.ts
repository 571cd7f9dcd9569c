// Loader for data/overview.json: the headline KPIs for the last 7 and 28 complete business days,
// each against the period before, plus when the data was last refreshed. Aggregates only.
import { statSync } from "node:fs";
import { comparison, lastYearWindow, localDate, pickAnchor, summarise, windows, withLastYear, type KpiSummary } from "./kpi-periods.ts";
import { readOverallDaily } from "./kpi-source.ts";
import { emit, ident, loaderEnv, pickColumn, warn, withWarehouse, type Warehouse } from "./warehouse.ts";

const PERIODS = [7, 28];

/**
 * The median first response over whole periods. agg_kpi_daily's first_response_median_seconds is
 * a daily median (unit median_seconds: "not additive, use the row-level mart for other periods"),
 * so, as the mart prescribes, the period median is taken over its row-level source,
 * marts.fct_conversations.first_response_seconds, with the same date (conversations by start date).
 */
async function firstResponseFromConversations(wh: Warehouse, kpi: KpiSummary): Promise<KpiSummary> {
  const cols = await wh.columns("marts", "fct_conversations");
  const value = pickColumn(cols, ["first_response_seconds", "first_response_time_seconds", "frt_seconds"]);
  const date = pickColumn(cols, ["started_date_local", "local_date", "started_local_date", "date", "business_date"]);
  if (!value || !date) return kpi;
  const median = async ([start, end]: [string, string]) => {
    const [row] = await wh.query(
      `select median(${ident(value)})::double as value, count(distinct ${ident(date)})::integer as days
       from marts.fct_conversations where ${ident(date)} between $start::date and $end::date`,
      { start, end },
    );
    return { start, end, value: row?.value == null ? null : Number(row.value), days: Number(row?.days ?? 0) };
  };
  const periods = [];
  for (const p of kpi.periods) {
    const current = await median([p.current.start, p.current.end]);
    const c = comparison(current, await median([p.previous.start, p.previous.end]), p.days);
    periods.push(withLastYear(c, await median(lastYearWindow([p.current.start, p.current.end]))));
  }
  return { ...kpi, periods, note: "median over all conversations started in the period", source: "fct_conversations" };
}

const LOAD_TIME_COLUMNS = ["last_loaded_at", "loaded_at", "_loaded_at", "refreshed_at", "_refreshed_at", "built_at", "dbt_updated_at"];

/** When data last reached the warehouse: the latest load time in the marts, else the file's mtime. */
async function refreshedAt(wh: Warehouse, warehousePath: string): Promise<{ at: number; source: string }> {
  for (const table of ["agg_kpi_daily", "fct_messages", "fct_orders"]) {
    const col = pickColumn(await wh.columns("marts", table), LOAD_TIME_COLUMNS);
    if (!col) continue;
    const [row] = await wh.query(`select epoch_ms(max(${ident(col)}))::double as at from marts.${table}`);
    if (row?.at != null) return { at: Number(row.at), source: `max(marts.${table}.${col})` };
  }
  return { at: statSync(warehousePath).mtimeMs, source: "warehouse file modification time" };
}

async function latestMessageAt(wh: Warehouse): Promise<number | null> {
  const col = pickColumn(await wh.columns("marts", "fct_messages"), ["sent_at_utc", "sent_at", "occurred_at", "created_at"]);
  if (!col) return null;
  const [row] = await wh.query(`select epoch_ms(max(${ident(col)}))::double as at from marts.fct_messages`);
  return row?.at == null ? null : Number(row.at);
}

const env = loaderEnv();
const now = new Date();
const result = await withWarehouse(env.warehouse, async (wh) => {
  const daily = await readOverallDaily(wh);
  const anchor = pickAnchor(
    daily.points.map((p) => p.date),
    localDate(now, env.timezone),
  );
  let kpis: KpiSummary[] = [];
  if (anchor) {
    kpis = summarise(daily.points, daily.specs, anchor, PERIODS);
    kpis = await Promise.all(kpis.map((k) => (k.metric === "first_response_median_seconds" ? firstResponseFromConversations(wh, k) : k)));
  } else {
    warn("marts.agg_kpi_daily has no overall rows: the overview will be empty.");
  }
  return {
    generatedAt: now.getTime(),
    timezone: env.timezone,
    anchor,
    windows: anchor ? Object.fromEntries(PERIODS.map((d) => [d, windows(anchor, d)])) : {},
    refreshed: await refreshedAt(wh, env.warehouse),
    latestMessageAt: await latestMessageAt(wh),
    kpis,
    missing: daily.missing,
  };
});
emit(result);
