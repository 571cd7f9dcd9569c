// Loader for data/broadcasts.json: the delivery funnel per campaign x template
// (marts.agg_campaign_funnel) and failed sends per local date x Meta error code
// (marts.agg_delivery_failures_daily), selected as the marts give them. Daily read, failure and
// reply rates and policy violations per rule are agg_kpi_daily series (series/broadcasts.json).
import { page, selectAggregate } from "./marts.ts";
import { emit, loaderEnv, withWarehouse } from "./warehouse.ts";

const env = loaderEnv();
const result = await withWarehouse(env.warehouse, async (wh) => {
  const out = page();
  const campaigns = await selectAggregate(
    wh,
    "marts",
    "agg_campaign_funnel",
    {
      campaign: ["campaign_id"],
      template: ["template_name"],
      category: ["template_category"],
      first: ["first_sent_date"],
      last: ["last_sent_date"],
      attempted: ["attempted"],
      sent: ["sent"],
      delivered: ["delivered"],
      read: ["read"],
      replied: ["replied"],
      failed: ["failed"],
      delivery_rate: ["delivery_rate"],
      read_rate: ["read_rate"],
      reply_rate: ["reply_rate"],
      failure_rate: ["failure_rate"],
      cost: ["cost_business"],
    },
    { required: ["campaign", "attempted"], orderBy: "attempted desc" },
  );
  if (campaigns) out.campaigns = campaigns;
  else out.missing.push({ what: "Delivery funnel per campaign and template", needs: "marts.agg_campaign_funnel" });

  const failures = await selectAggregate(
    wh,
    "marts",
    "agg_delivery_failures_daily",
    {
      date: ["failure_date"],
      error_code: ["error_code"],
      error_label: ["error_label"],
      sender_kind: ["sender_kind"],
      category: ["template_category"],
      failed: ["failed_messages"],
    },
    { required: ["date", "error_code", "failed"], orderBy: "1" },
  );
  if (failures) out.failures = failures;
  else out.missing.push({ what: "Failures by Meta error code (R6)", needs: "marts.agg_delivery_failures_daily" });
  return out;
});
emit(result);
