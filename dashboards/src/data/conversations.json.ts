// Loader for data/conversations.json: hot keywords per week (marts.agg_keyword_daily: its daily
// counts of conversations mentioning each topic, summed per week, which the mart's unit rule
// allows for counts). The complaint rate, discount share and customers per R15/R16 segment are
// series of marts.agg_kpi_daily (series/conversations.json).
import { page } from "./marts.ts";
import { emit, ident, loaderEnv, pickColumn, withWarehouse } from "./warehouse.ts";

const env = loaderEnv();
const result = await withWarehouse(env.warehouse, async (wh) => {
  const out = page();
  const kw = await wh.columns("marts", "agg_keyword_daily");
  const date = pickColumn(kw, ["keyword_date", "metric_date", "local_date", "date", "sent_date_local"]);
  const keyword = pickColumn(kw, ["label", "topic", "keyword", "keyword_normalized", "keyword_code", "term"]);
  const count = pickColumn(kw, ["conversations_with_topic", "conversations", "conversation_count", "mentions", "messages", "message_count", "n"]);
  const category = pickColumn(kw, ["topic", "keyword_category", "category", "tag", "intent"]);
  const market = pickColumn(kw, ["market_country", "market"]);
  if (kw && date && keyword && count) {
    // Weekly totals per keyword; only the 60 most frequent keywords are shipped.
    const rows = await wh.query(
      `with k as (
         select strftime(date_trunc('week', ${ident(date)}::date), '%Y-%m-%d') as week, ${ident(keyword)}::varchar as keyword,
                ${category ? `${ident(category)}::varchar` : "null"} as category,
                ${market ? `coalesce(${ident(market)}::varchar, 'all')` : "'all'"} as market,
                sum(${ident(count)})::double as n
         from marts.agg_keyword_daily group by all),
       top as (select keyword from k group by 1 order by sum(n) desc limit 60)
       select * from k where keyword in (select keyword from top) order by week, n desc`,
    );
    const cols = ["week", "keyword", "category", "market", "n"];
    out.keywords = { columns: cols, data: cols.map((c) => rows.map((r) => (c === "n" ? (r[c] == null ? null : Number(r[c])) : r[c]))) };
  } else out.missing.push({ what: "Hot keywords over time (R15, R23)", needs: "marts.agg_keyword_daily (keyword_date, keyword, category, conversations)" });

  return out;
});
emit(result);
