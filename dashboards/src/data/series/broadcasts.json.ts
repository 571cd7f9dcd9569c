// Loader for data/series/broadcasts.json: the agg_kpi_daily series the Broadcasts page shows.
import { emitPageSeries } from "./page.ts";

await emitPageSeries({
  outbound_messages: ["all", "sender_kind"],
  read_rate: ["all", "sender_kind"],
  delivery_failure_rate: ["all", "template_category"],
  reply_rate_72h: ["all", "template_category"],
  unread_24h_rate: ["all"],
  policy_violations: ["all", "violation_kind"],
});
