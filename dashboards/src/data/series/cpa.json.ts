// Loader for data/series/cpa.json: the agg_kpi_daily series the Cost per acquisition page shows.
import { emitPageSeries } from "./page.ts";

await emitPageSeries({
  ad_spend: ["all", "channel"],
  message_cost: ["all", "pricing_category"],
  cpa: ["all"],
});
