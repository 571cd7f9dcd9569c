// Shared by the per-page series loaders (data/series/<page>.json.ts); not a loader itself.
// Each page ships only the agg_kpi_daily series it shows (a few dozen KiB), never the whole mart.
import { pageSeries } from "../marts.ts";
import { emit, loaderEnv, withWarehouse } from "../warehouse.ts";

export async function emitPageSeries(wanted: Readonly<Record<string, readonly string[]>>, lastDays = 400): Promise<void> {
  const env = loaderEnv();
  emit(await withWarehouse(env.warehouse, (wh) => pageSeries(wh, wanted, lastDays)));
}
