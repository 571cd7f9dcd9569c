// Loader for data/series/funnel.json: the agg_kpi_daily series the Funnel page shows.
import { emitPageSeries } from "./page.ts";

await emitPageSeries({
  orders: ["all", "channel", "payment_method"],
  conversion_rate: ["all"],
  order_paid_rate: ["all", "payment_method"],
});
