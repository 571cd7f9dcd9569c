// Loader for data/kpi-daily.json: the overall daily series of the headline KPIs for the last
// 120 days, for trend charts. Columnar ({dates, series}) to keep the file small.
import { readOverallDaily } from "./kpi-source.ts";
import { emit, loaderEnv, withWarehouse } from "./warehouse.ts";

const DAYS = 120;

const env = loaderEnv();
const result = await withWarehouse(env.warehouse, (wh) => readOverallDaily(wh, { lastDays: DAYS }));
const dates = [...new Set(result.points.map((p) => p.date))].sort();
const index = new Map(dates.map((d, i) => [d, i]));
const series: Record<string, (number | null)[]> = {};
for (const spec of result.specs) series[spec.metric] = dates.map(() => null);
for (const p of result.points) {
  const column = series[p.metric];
  const i = index.get(p.date);
  if (column && i !== undefined) column[i] = p.value;
}
emit({ dates, series });
