// Loader for data/service.json: service efficiency (R22, R24, R31), selected as the marts give it.
// Per agent and day from marts.fct_agent_daily (first responses, their average, median and p90,
// the R22 coaching flag, CSAT answers; the agent id, never the name), and the weekday x hour
// activity of marts.agg_activity_heatmap. Daily medians, resolution and CSAT series come from
// marts.agg_kpi_daily (series/service.json).
import { page, selectAggregate } from "./marts.ts";
import { emit, loaderEnv, withWarehouse } from "./warehouse.ts";

const env = loaderEnv();
const result = await withWarehouse(env.warehouse, async (wh) => {
  const out = page();
  const heat = await selectAggregate(
    wh,
    "marts",
    "agg_activity_heatmap",
    {
      weekday: ["weekday"],
      hour: ["hour"],
      inbound: ["inbound_messages"],
      conversations: ["conversations_started"],
      agent_messages: ["agent_messages"],
      share: ["inbound_share"],
    },
    { required: ["weekday", "hour", "inbound"], orderBy: "1, 2" },
  );
  if (heat) out.heatmap = heat;
  else out.missing.push({ what: "Weekday x hour heatmap (R24)", needs: "marts.agg_activity_heatmap" });

  const agents = await selectAggregate(
    wh,
    "marts",
    "fct_agent_daily",
    {
      date: ["activity_date"],
      agent: ["agent_id"],
      first_responses: ["first_responses"],
      frt_avg: ["avg_first_response_seconds"],
      frt_median: ["median_first_response_seconds"],
      frt_p90: ["p90_first_response_seconds"],
      reply_avg_bh: ["avg_reply_seconds_business"],
      flagged: ["is_flagged_slow"],
      replies_over: ["replies_over_threshold"],
      replies: ["replies"],
    },
    { required: ["date", "agent"], orderBy: "1" },
  );
  if (agents) out.agents = agents;
  else out.missing.push({ what: "Agents above 6 minutes (R22)", needs: "marts.fct_agent_daily" });
  return out;
});
emit(result);
