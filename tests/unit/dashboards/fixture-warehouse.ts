import { DuckDBInstance } from "@duckdb/node-api";

/**
 * A tiny warehouse shaped like the planned marts contract (marts.agg_kpi_daily, fct_messages,
 * fct_conversations, dim_customers, fct_orders), deterministic, with personal data planted in
 * columns the dashboard loaders must never select. Used by the dashboard build test and, through
 * `npx tsx tests/unit/dashboards/fixture-warehouse.ts <path>`, as development data.
 */
export interface FixtureOptions {
  /** Last business date in the data (YYYY-MM-DD). */
  endDate?: string;
  days?: number;
}

/** Phone numbers and names planted in the fixture; the built site must contain none of them. */
export const PLANTED_PII = {
  phones: ["+85291234567", "+886912345678", "0912-345-678", "852 9123 4567"],
  names: ["Chan Tai Man", "Lin Mei-Hua"],
  emails: ["tai.man@example.com"],
  messageText: ["I want to buy the APL-IP15PM, too expensive"],
};

export async function createFixtureWarehouse(path: string, opts: FixtureOptions = {}): Promise<void> {
  const endDate = opts.endDate ?? "2026-04-30";
  const days = opts.days ?? 70;
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  try {
    const run = (sql: string) => conn.run(sql);
    await run("create schema if not exists marts");
    await run(`create or replace temp table days as
      select d::date as date, (row_number() over (order by d))::integer as i
      from generate_series(date '${endDate}' - interval ${days - 1} day, date '${endDate}', interval 1 day) t(d)`);
    // Daily KPIs in the mart's contract (models/models/marts/agg_kpi_daily.sql): overall rows have
    // dimension = dimension_value = 'all'; ratios carry numerator and denominator; revenue per currency
    // and, converted, in the business currency. Weekly seasonality plus slow growth, deterministic.
    await run(`create or replace table marts.agg_kpi_daily as
      with base as (
        select date, i,
               (1 + 0.004 * i) * (case dayofweek(date) when 0 then 0.6 when 6 then 0.75 else 1.0 end) as f
        from days
      ),
      counts as (
        select date, 'inbound_messages' as metric, round(420 * f + (i * 37) % 23) as value from base
        union all select date, 'outbound_messages', round(510 * f + (i * 53) % 31) from base
        union all select date, 'active_customers', round(160 * f + (i * 11) % 13) from base
        union all select date, 'orders', round(21 * f + (i * 7) % 5) from base
      ),
      reads as (
        select date, round(510 * f) as delivered, round(510 * f * (0.62 + ((i * 13) % 17) / 200.0)) as read from base
      )
      select date as metric_date, metric, 'all' as dimension, 'all' as dimension_value, value::double as value,
             value::double as numerator, null::double as denominator, 'count' as unit
      from counts
      union all
      select date, metric, 'market', m, round(value / 2)::double, round(value / 2)::double, null, 'count'
      from counts, (values ('HK'), ('TW')) mk(m)
      where metric in ('inbound_messages', 'active_customers')
      union all
      select date, 'read_rate', 'all', 'all', read / delivered, read, delivered, 'ratio' from reads
      union all
      select date, 'revenue', 'currency', c, round(21 * f * rate + (i * 97) % 61, 2), round(21 * f * rate + (i * 97) % 61, 2), null, 'amount'
      from base, (values ('HKD', 680.0), ('TWD', 2700.0)) cur(c, rate)
      union all
      select date, 'revenue_business', 'all', 'all', round(21 * f * 680 + (i * 97) % 61, 2), round(21 * f * 680 + (i * 97) % 61, 2), null, 'amount'
      from base
      union all
      -- a daily median the marts may add later; the page prefers conversation-level rows when present
      select date, 'median_first_response_seconds', 'all', 'all', 200 + (i * 29) % 140, null, null, 'seconds' from base`);
    await run(`create or replace table marts.dim_customers as
      select * from (values
        ('c1', '${PLANTED_PII.phones[0]}', '${PLANTED_PII.names[0]}', '${PLANTED_PII.emails[0]}', 'HK'),
        ('c2', '${PLANTED_PII.phones[1]}', '${PLANTED_PII.names[1]}', null, 'TW')
      ) t(customer_id, phone_e164, display_name, email, market)`);
    await run(`create or replace table marts.fct_messages as
      select 'm' || i as message_id,
             case when i % 2 = 0 then 'inbound' else 'outbound' end as direction,
             (date + interval 2 hour)::timestamptz as sent_at_utc,
             date as sent_date_local, 10 as sent_hour_local, dayofweek(date) as sent_weekday_local,
             case when i % 2 = 0 then 'customer' else 'agent' end as sender_kind,
             'a1' as agent_id, 'read' as status,
             case when i % 2 = 0 then 'c1' else 'c2' end as customer_id,
             '${PLANTED_PII.phones[0]}' as wa_id,
             '${PLANTED_PII.messageText[0]}' as text,
             (date + interval 3 hour)::timestamptz as last_loaded_at
      from days`);
    await run(`create or replace table marts.fct_conversations as
      select 'cv' || i as conversation_id, 'c1' as customer_id,
             (date + interval 9 hour)::timestamptz as started_at, date as local_date,
             (180 + (i * 41) % 200)::integer as first_response_seconds
      from days`);
    await run(`create or replace table marts.fct_orders as
      select 'o' || i as order_id, 'c1' as customer_id, date as local_date,
             (date + interval 15 hour)::timestamptz as ordered_at, 86.5::double as amount, 'card' as payment_method
      from days`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const target = process.argv[2];
  if (!target)
    throw new Error("usage: tsx tests/unit/dashboards/fixture-warehouse.ts <warehouse.duckdb> [endDate] [days]");
  await createFixtureWarehouse(target, {
    endDate: process.argv[3],
    days: process.argv[4] ? Number(process.argv[4]) : 120,
  });
  console.log(`fixture warehouse written to ${target}`);
}
