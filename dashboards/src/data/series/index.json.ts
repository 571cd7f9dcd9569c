// Loader for data/series/index.json: the agg_kpi_daily series the Overview page shows.
import { emitPageSeries } from "./page.ts";

await emitPageSeries({
  inbound_messages: ["all", "market"],
  outbound_messages: ["all", "sender_kind"],
  active_customers: ["all", "market"],
  orders: ["all", "channel", "payment_method"],
  revenue_business: ["all", "channel"],
  read_rate: ["all", "sender_kind"],
  first_response_median_seconds: ["all"],
});
