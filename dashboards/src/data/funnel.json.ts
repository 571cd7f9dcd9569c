// Loader for data/funnel.json: the sales funnel (R25, R28). Preferred source is
// marts.agg_funnel_monthly: stage counts, conversions and median / p90 days to convert per cohort
// month x market x acquisition channel x first-touch campaign, with 'all' totals for every
// combination (the page filters these rows client-side). Fallback: marts.fct_funnel aggregated
// here to customer counts per cohort month x market x channel x campaign x stage, and the median
// days between stages; never a customer key.
import { page, selectAggregate } from "./marts.ts";
import { emit, ident, loaderEnv, pickColumn, warn, withWarehouse } from "./warehouse.ts";

export const STAGES = [
  { key: "first_contact", label: "First contact", columns: ["first_contact_at_utc", "first_contact_at", "first_inbound_at", "first_contact_date_local"] },
  { key: "inquiry", label: "Inquiry", columns: ["inquiry_at_utc", "inquiry_at", "first_inquiry_at", "inquiry_date_local"] },
  { key: "price_question", label: "Price question", columns: ["price_question_at_utc", "price_question_at", "first_price_question_at", "price_question_date_local"] },
  { key: "order", label: "Order", columns: ["first_order_at_utc", "first_order_at", "order_at", "first_order_date_local"] },
  { key: "repeat", label: "Repeat order", columns: ["repeat_order_at_utc", "repeat_order_at", "second_order_at", "repeat_order_date_local"] },
];

const env = loaderEnv();
const result = await withWarehouse(env.warehouse, async (wh) => {
  const out = page();
  // The mart's own monthly funnel (stage counts, conversions, time-to-convert) comes first.
  const monthly = await selectAggregate(
    wh,
    "marts",
    "agg_funnel_monthly",
    {
      cohort: ["cohort_month"],
      market: ["market_country"],
      channel: ["acquisition_channel"],
      campaign: ["first_touch_campaign"],
      stage_no: ["stage_no"],
      stage: ["stage"],
      customers: ["customers"],
      previous: ["previous_stage_customers"],
      step: ["step_conversion"],
      overall: ["overall_conversion"],
      median_days: ["median_days_from_previous"],
      p90_days: ["p90_days_from_previous"],
    },
    { required: ["cohort", "stage", "customers"], orderBy: "1, 2, 3, 4, 5", limit: 200_000 },
  );
  if (monthly) {
    out.monthly = monthly;
    out.stages = STAGES.map(({ key, label }) => ({ key, label }));
    const dims = new Set(monthly.columns);
    if (!["market", "channel", "campaign"].every((d) => dims.has(d)))
      out.missing.push({ what: "Funnel by market, channel and campaign (R25, R28)", needs: "market_country, acquisition_channel and first_touch_campaign columns in marts.agg_funnel_monthly" });
    return out;
  }
  const cols = await wh.columns("marts", "fct_funnel");
  const stages = STAGES.map((s) => ({ ...s, column: pickColumn(cols, s.columns) }));
  const present = stages.filter((s) => s.column);
  if (!cols || present.length < 2 || !stages[0]!.column) {
    if (cols) warn(`marts.fct_funnel lacks stage columns (has: ${[...cols].join(", ")}).`);
    out.missing.push({ what: "Funnel stages first contact -> inquiry -> price question -> order -> repeat (R25, R28)", needs: "marts.fct_funnel (one row per customer: first_contact_at, inquiry_at, price_question_at, first_order_at, repeat_order_at, market_country, acquisition_channel, first_touch_campaign)" });
    out.stages = STAGES.map(({ key, label }) => ({ key, label }));
    return out;
  }
  const dim = (names: string[]) => {
    const c = pickColumn(cols, names);
    return c ? `coalesce(${ident(c)}::varchar, '(none)')` : `'(all)'`;
  };
  const first = ident(stages[0]!.column!);
  const reached = present.map((s) => `count(${ident(s.column!)})::integer as ${s.key}`).join(", ");
  const rows = await wh.query(
    `select strftime(date_trunc('month', ${first}::date), '%Y-%m') as cohort, ${dim(["market_country", "market"])} as market,
            ${dim(["acquisition_channel", "channel", "first_channel"])} as channel, ${dim(["first_touch_campaign", "campaign_id", "first_campaign_id", "campaign"])} as campaign,
            ${reached}
     from marts.fct_funnel where ${first} is not null group by all order by 1`,
  );
  const keys = ["cohort", "market", "channel", "campaign", ...present.map((s) => s.key)];
  out.counts = { columns: keys, data: keys.map((k) => rows.map((r) => (["cohort", "market", "channel", "campaign"].includes(k) ? r[k] : Number(r[k])))) };
  // Median days from each stage to the next present stage, per market and channel.
  const gaps: string[] = [];
  for (let i = 1; i < present.length; ++i) {
    const a = ident(present[i - 1]!.column!);
    const b = ident(present[i]!.column!);
    gaps.push(`median(date_diff('minute', ${a}::timestamp, ${b}::timestamp) / 1440.0)::double as "${present[i - 1]!.key}__${present[i]!.key}"`);
  }
  const t = await wh.query(
    `select ${dim(["market_country", "market"])} as market, ${dim(["acquisition_channel", "channel", "first_channel"])} as channel, ${gaps.join(", ")}
     from marts.fct_funnel group by all`,
  );
  const tk = ["market", "channel", ...gaps.map((g) => /as "(.+)"$/.exec(g)![1]!)];
  out.timeToConvert = { columns: tk, data: tk.map((k) => t.map((r) => (k === "market" || k === "channel" ? r[k] : r[k] == null ? null : Number(r[k])))) };
  out.stages = present.map(({ key, label }) => ({ key, label }));
  for (const s of stages.filter((s) => !s.column)) out.missing.push({ what: `Funnel stage "${s.label}"`, needs: `marts.fct_funnel.${s.columns[0]}` });
  return out;
});
emit(result);
