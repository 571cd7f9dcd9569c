// Loader for data/series/conversations.json: the agg_kpi_daily series the Conversations page shows.
import { emitPageSeries } from "./page.ts";

await emitPageSeries({
  complaint_rate: ["all"],
  discount_share: ["all"],
  agent_request_rate: ["all"],
  inbound_messages: ["all", "market"],
  segment_customers: ["segment"],
});
