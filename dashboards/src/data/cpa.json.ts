// Loader for data/cpa.json: spend, acquisitions and cost per acquisition by month, campaign and
// channel (R26, R28, R32) from marts.agg_cpa_monthly. Daily spend / CPA series, when the mart
// has them, come from marts.agg_kpi_daily (series/cpa.json).
import { page, selectAggregate } from "./marts.ts";
import { emit, loaderEnv, withWarehouse } from "./warehouse.ts";

const env = loaderEnv();
const result = await withWarehouse(env.warehouse, async (wh) => {
  const out = page();
  const cpa = await selectAggregate(
    wh,
    "marts",
    "agg_cpa_monthly",
    {
      month: ["month", "spend_month", "metric_month", "month_start", "month_local"],
      channel: ["channel", "acquisition_channel"],
      campaign: ["campaign_id", "campaign"],
      campaign_name: ["campaign_name"],
      market: ["market_country", "market"],
      currency: ["business_currency", "currency", "spend_currency"],
      ad_spend: ["ad_spend", "ad_spend_amount", "media_spend"],
      message_cost: ["message_cost", "message_costs", "messaging_cost", "message_cost_amount"],
      spend: ["total_cost", "total_spend", "spend", "spend_amount", "total_cost", "cost"],
      messages: ["billable_messages", "messages", "messages_sent", "billable_messages"],
      acquisitions: ["acquisitions", "new_customers", "acquired_customers", "conversions", "first_orders"],
      leads: ["leads"],
      clicks: ["clicks"],
      first_order_revenue: ["first_order_revenue"],
      cpa: ["cpa", "cost_per_acquisition"],
      cost_per_lead: ["cost_per_lead"],
      cost_per_message: ["cost_per_message"],
    },
    { required: ["month"], orderBy: "1" },
  );
  if (cpa) out.monthly = cpa;
  else out.missing.push({ what: "Spend, message costs, acquisitions and CPA by campaign, channel and month (R26, R28, R32)", needs: "marts.agg_cpa_monthly (month, channel, campaign_id, currency, ad_spend, message_cost, total_spend, acquisitions, cpa)" });
  return out;
});
emit(result);
