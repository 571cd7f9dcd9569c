-- The one daily KPI feed (R21, R26): one row per local date x metric x dimension x
-- dimension_value, the input for period-over-period comparison and anomaly alerts.
-- Dates are local business dates (to_local_time). Every (metric, dimension, dimension_value)
-- series is zero-filled from the first to the last date in the data so that gaps are visible as
-- zeros, not missing rows (medians stay null on days without data). Each metric is computed here
-- once from the row-level marts that define it (see the mart named in brackets).
-- units and how to re-aggregate over a period:
--   count / amount   value = numerator: sum the values;
--   ratio / average  value = numerator / denominator: sum both parts, then divide (never average values);
--   median_seconds   value = the day's median, denominator = its sample size: not additive, use the
--                    row-level mart for other periods.
--
-- metrics (unit; dimensions besides `all`):
--   inbound_messages (count; market)              outbound_messages (count; sender_kind)
--   active_customers (count; market) customers who wrote that day [both: int_customers__inbound_days]
--   new_customers (count) first inbound ever [fct_funnel]
--   conversations (count) started that day [fct_conversations]
--   complaint_rate (ratio) conversations with a complaint / conversations (R26: alert > 5% 3 days running)
--   discount_share (ratio) conversations asking for a discount / conversations (R23: < 8% in a promotion)
--   agent_request_rate (ratio) conversations asking for a human / conversations (R20: 15% = broken flow)
--   keyword_share (ratio; topic) conversations mentioning the topic / conversations [agg_keyword_daily]
--   first_response_median_seconds, first_response_median_seconds_business (median_seconds)
--   first_response_avg_seconds (average; agent) conversations by start date (R22, R28)
--   reply_time_median_seconds (median_seconds), reply_time_avg_seconds (average; agent): exchanges by reply date
--   resolution_rate (ratio) resolved / closed conversations by start date (R28 [85%])
--   resolution_median_seconds (median_seconds) resolved conversations by start date
--   csat_score (ratio) positive (4-5) / responses, by answer date; csat_avg_rating (average);
--   csat_response_rate (ratio) responses / surveys, by survey date (R31, Chatwoot's definitions)
--   conversion_rate (ratio) conversations followed by an order within 7 days / conversations;
--   discount_conversion_rate (ratio) the same over conversations with a discount question (R20: 12%)
--   orders (count; payment_method, channel)       order_paid_rate (ratio; payment_method) paid / orders (R25)
--   revenue (amount; currency) paid orders in their own currency
--   revenue_business (amount; all, channel) paid orders in the business currency
--   ad_spend (amount; channel), message_cost (amount; pricing_category) in the business currency
--   cpa (average) (ad spend + message cost) / new paying customers that day (R28 [~$1.2 per message])
--   read_rate (ratio; sender_kind) read / delivered of messages sent that day (R24)
--   delivery_failure_rate (ratio; template_category) failed / attempted sends
--   reply_rate_72h (ratio; template_category) replied within 72 h / delivered
--   unread_24h_rate (ratio) delivered but not read within 24 h / delivered (R17, R29 [~8%])
--   policy_violations (count; violation_kind) [fct_policy_violations] (R4)
--   segment_customers (count; segment) customers in each R16 segment that day [fct_customer_segments]
--   load_success_rate (ratio; source) loaded rows / landed lines (R11) [agg_sync_health_daily]

with

inbound_days as materialized (

    -- one row per customer and day with an inbound message (incremental by day upstream): counting
    -- rows here replaces grouping every message by customer and day on every build
    select d.sent_date_local, d.customer_key, d.inbound_messages, coalesce(c.market_country, 'unknown') as market
    from {{ ref('int_customers__inbound_days') }} as d
    left join {{ ref('dim_customers') }} as c on c.customer_key = d.customer_key

),

outbound_days as materialized (

    select
        sent_date_local,
        sender_kind,
        count(*) as messages,
        count(*) filter (where is_read) as read,
        count(*) filter (where is_delivered) as delivered
    from {{ ref('fct_messages') }}
    where direction = 'outbound' and sent_date_local is not null
    group by all

),

last_message_date as (

    select max(sent_date_local) as last_date from {{ ref('fct_messages') }}

),

orders as materialized (

    select * from {{ ref('fct_orders') }}
    where ordered_date_local is not null

),

conversations as materialized (

    select * from {{ ref('fct_conversations') }}

),

exchanges as (

    select * from {{ ref('int_conversations__exchanges') }}
    where is_replied

),

csat as (

    select * from {{ ref('fct_csat_responses') }}

),

-- R16: customers per segment and day, what fct_customer_segments_daily counts, from the spells'
-- start and end days (one row per spell, not per customer and day)
segment_levels as (

    select segment, day, sum(sum(delta)) over (partition by segment order by day) as customers
    from (
        select valid_from as day, segment, 1 as delta from {{ ref('fct_customer_segments') }}
        union all
        select valid_to, segment, -1 from {{ ref('fct_customer_segments') }} where valid_to is not null
    )
    group by segment, day

),

segment_daily as (

    select d.day, l.segment, l.customers
    from (
        select cast(r.d as date) as day
        from (select min(day) as first_day from segment_levels) as b,
             range(b.first_day, (select last_date from last_message_date) + interval 1 day, interval 1 day) as r(d)
    ) as d
    cross join (select distinct segment from segment_levels) as s
    asof inner join segment_levels as l on l.segment = s.segment and l.day <= d.day

),

funnel as materialized (

    select * from {{ ref('fct_outbound_funnel') }}

),

facts as (

    -- inbound messages
    select sent_date_local as metric_date, 'inbound_messages' as metric, 'count' as unit,
           'all' as dimension, 'all' as dimension_value, sum(inbound_messages)::double as numerator, null::double as denominator, null::double as stat
    from inbound_days group by all
    union all
    select sent_date_local, 'inbound_messages', 'count', 'market', market, sum(inbound_messages), null, null
    from inbound_days group by all

    -- outbound messages
    union all
    select sent_date_local, 'outbound_messages', 'count', 'all', 'all', sum(messages), null, null
    from outbound_days group by all
    union all
    select sent_date_local, 'outbound_messages', 'count', 'sender_kind', sender_kind, messages, null, null
    from outbound_days

    -- active customers (a customer has one market)
    union all
    select sent_date_local, 'active_customers', 'count', 'all', 'all', count(customer_key), null, null
    from inbound_days group by all having count(customer_key) > 0
    union all
    select sent_date_local, 'active_customers', 'count', 'market', market, count(*), null, null
    from inbound_days where customer_key is not null group by all

    -- new customers (first inbound message ever)
    union all
    select first_contact_date_local, 'new_customers', 'count', 'all', 'all', count(*), null, null
    from {{ ref('fct_funnel') }} group by all

    -- conversations and their rates (by local start date)
    union all
    select started_date_local, 'conversations', 'count', 'all', 'all', count(*), null, null
    from conversations group by all
    union all
    select started_date_local, 'complaint_rate', 'ratio', 'all', 'all', count(*) filter (where has_complaint), count(*), null
    from conversations group by all
    union all
    select started_date_local, 'discount_share', 'ratio', 'all', 'all', count(*) filter (where has_discount_question), count(*), null
    from conversations group by all
    union all
    select started_date_local, 'agent_request_rate', 'ratio', 'all', 'all', count(*) filter (where has_agent_request), count(*), null
    from conversations group by all
    union all
    select keyword_date, 'keyword_share', 'ratio', 'topic', topic, conversations_with_topic, conversations, null
    from {{ ref('agg_keyword_daily') }}
    union all
    select started_date_local, 'first_response_median_seconds', 'median_seconds', 'all', 'all',
           null, count(first_response_seconds), {{ median_of('first_response_seconds') }}
    from conversations where first_response_seconds is not null group by all
    union all
    select started_date_local, 'first_response_median_seconds_business', 'median_seconds', 'all', 'all',
           null, count(first_response_seconds_business), {{ median_of('first_response_seconds_business') }}
    from conversations where first_response_seconds_business is not null group by all
    union all
    select started_date_local, 'first_response_avg_seconds', 'average', 'all', 'all',
           sum(first_response_seconds), count(first_response_seconds), null
    from conversations where first_response_seconds is not null group by all
    union all
    select started_date_local, 'first_response_avg_seconds', 'average', 'agent', first_agent_id,
           sum(first_response_seconds), count(first_response_seconds), null
    from conversations where first_response_seconds is not null and first_agent_id is not null group by all
    union all
    select started_date_local, 'resolution_rate', 'ratio', 'all', 'all',
           count(*) filter (where status = 'resolved'), count(*) filter (where is_closed), null
    from conversations group by all
    union all
    select started_date_local, 'resolution_median_seconds', 'median_seconds', 'all', 'all',
           null, count(resolution_seconds), {{ median_of('resolution_seconds') }}
    from conversations where resolution_seconds is not null group by all
    union all
    select started_date_local, 'conversion_rate', 'ratio', 'all', 'all', count(*) filter (where converted_within_7d), count(*), null
    from conversations group by all
    union all
    select started_date_local, 'discount_conversion_rate', 'ratio', 'all', 'all', count(*) filter (where converted_within_7d), count(*), null
    from conversations where has_discount_question group by all

    -- reply time per exchange (by local reply date)
    union all
    select replied_date_local, 'reply_time_median_seconds', 'median_seconds', 'all', 'all',
           null, count(*), {{ median_of('reply_seconds') }}
    from exchanges group by all
    union all
    select replied_date_local, 'reply_time_avg_seconds', 'average', 'all', 'all', sum(reply_seconds), count(*), null
    from exchanges group by all
    union all
    select replied_date_local, 'reply_time_avg_seconds', 'average', 'agent', agent_id, sum(reply_seconds), count(*), null
    from exchanges where agent_id is not null group by all

    -- CSAT (Chatwoot's definitions)
    union all
    select responded_date_local, 'csat_score', 'ratio', 'all', 'all', count(*) filter (where is_positive), count(*), null
    from csat where has_response group by all
    union all
    select responded_date_local, 'csat_avg_rating', 'average', 'all', 'all', sum(rating), count(*), null
    from csat where has_response group by all
    union all
    select survey_sent_date_local, 'csat_response_rate', 'ratio', 'all', 'all', count(*) filter (where has_response), count(*), null
    from csat group by all

    -- orders
    union all
    select ordered_date_local, 'orders', 'count', 'all', 'all', count(*), null, null
    from orders group by all
    union all
    select ordered_date_local, 'orders', 'count', 'payment_method', coalesce(payment_method, 'unknown'), count(*), null, null
    from orders group by all
    union all
    select ordered_date_local, 'orders', 'count', 'channel', coalesce(channel, 'unknown'), count(*), null, null
    from orders group by all
    union all
    select ordered_date_local, 'order_paid_rate', 'ratio', 'payment_method', coalesce(payment_method, 'unknown'),
           count(*) filter (where is_paid), count(*), null
    from orders group by all

    -- revenue (paid orders): per currency in the original currency; in the business currency overall
    union all
    select ordered_date_local, 'revenue', 'amount', 'currency', coalesce(currency, 'unknown'), sum(revenue_amount), null, null
    from orders group by all
    union all
    select ordered_date_local, 'revenue_business', 'amount', 'all', 'all', coalesce(sum(revenue_amount_business), 0), null, null
    from orders group by all
    union all
    select ordered_date_local, 'revenue_business', 'amount', 'channel', coalesce(channel, 'unknown'), coalesce(sum(revenue_amount_business), 0), null, null
    from orders group by all

    -- spend and cost (business currency)
    union all
    select s.spend_date, 'ad_spend', 'amount', 'all', 'all', sum(s.spend * fx.to_business_rate), null, null
    from {{ ref('stg_marketing__ad_spend') }} as s
    asof left join {{ ref('int_fx_rates') }} as fx on fx.currency = s.currency and s.spend_date >= fx.valid_from
    group by all
    union all
    select s.spend_date, 'ad_spend', 'amount', 'channel', lower(s.channel), sum(s.spend * fx.to_business_rate), null, null
    from {{ ref('stg_marketing__ad_spend') }} as s
    asof left join {{ ref('int_fx_rates') }} as fx on fx.currency = s.currency and s.spend_date >= fx.valid_from
    group by all
    union all
    select sent_date_local, 'message_cost', 'amount', 'all', 'all', sum(cost_business), null, null
    from {{ ref('int_messages__costed') }} group by all
    union all
    select sent_date_local, 'message_cost', 'amount', 'pricing_category', pricing_category, sum(cost_business), null, null
    from {{ ref('int_messages__costed') }} group by all

    -- read rate of outbound messages sent that day
    union all
    select sent_date_local, 'read_rate', 'ratio', 'all', 'all', sum(read), sum(delivered), null
    from outbound_days group by all
    union all
    select sent_date_local, 'read_rate', 'ratio', 'sender_kind', sender_kind, read, delivered, null
    from outbound_days

    -- delivery funnel of outbound messages sent that day
    union all
    select sent_date_local, 'delivery_failure_rate', 'ratio', 'all', 'all', count(*) filter (where is_failed), count(*), null
    from funnel group by all
    union all
    select sent_date_local, 'delivery_failure_rate', 'ratio', 'template_category', coalesce(template_category, 'none'),
           count(*) filter (where is_failed), count(*), null
    from funnel group by all
    union all
    select sent_date_local, 'reply_rate_72h', 'ratio', 'all', 'all',
           count(*) filter (where is_replied and is_delivered), count(*) filter (where is_delivered), null
    from funnel group by all
    union all
    select sent_date_local, 'reply_rate_72h', 'ratio', 'template_category', coalesce(template_category, 'none'),
           count(*) filter (where is_replied and is_delivered), count(*) filter (where is_delivered), null
    from funnel group by all
    union all
    select sent_date_local, 'unread_24h_rate', 'ratio', 'all', 'all',
           count(*) filter (where is_delivered and not is_read_within_24h), count(*) filter (where is_delivered), null
    from funnel group by all

    -- R4 policy violations
    union all
    select violation_date, 'policy_violations', 'count', 'all', 'all', count(*), null, null
    from {{ ref('fct_policy_violations') }} group by all
    union all
    select violation_date, 'policy_violations', 'count', 'violation_kind', violation_kind, count(*), null, null
    from {{ ref('fct_policy_violations') }} group by all

    -- R16 segments as of each day
    union all
    select day, 'segment_customers', 'count', 'segment', segment, customers, null, null
    from segment_daily

    -- R11 load success
    union all
    select load_date, 'load_success_rate', 'ratio', 'source', source, sum(loaded_rows), sum(lines), null
    from {{ ref('agg_sync_health_daily') }} group by all

),

new_payers as (

    select ordered_date_local as metric_date
    from orders
    where is_paid and customer_key is not null
    qualify row_number() over (partition by customer_key order by ordered_at_utc, order_key) = 1

),

cpa as (

    select
        d.metric_date,
        'cpa' as metric, 'average' as unit, 'all' as dimension, 'all' as dimension_value,
        sum(f.numerator) as numerator,
        any_value(n.acquisitions) as denominator,
        null::double as stat
    from (select distinct metric_date from facts) as d
    left join facts as f on f.metric_date = d.metric_date and f.metric in ('ad_spend', 'message_cost') and f.dimension = 'all'
    left join (select metric_date, count(*) as acquisitions from new_payers group by all) as n on n.metric_date = d.metric_date
    group by d.metric_date

),

all_facts as (

    select * from facts
    union all
    select * from cpa

),

series as (

    select metric, unit, dimension, dimension_value
    from all_facts
    group by all

),

bounds as (

    select
        min(metric_date) filter (where metric = 'inbound_messages') as first_date,
        max(metric_date) filter (where metric = 'inbound_messages') as last_date
    from all_facts

),

spine as (

    select cast(d as date) as metric_date
    from bounds, range(bounds.first_date, bounds.last_date + interval 1 day, interval 1 day) as r(d)

),

filled as (

    select
        sp.metric_date,
        se.metric,
        se.unit,
        se.dimension,
        se.dimension_value,
        case when se.unit = 'median_seconds' then f.numerator else coalesce(f.numerator, 0) end as numerator,
        case when se.unit in ('ratio', 'average', 'median_seconds') then coalesce(f.denominator, 0) end as denominator,
        f.stat
    from series as se
    cross join spine as sp
    left join all_facts as f
        on f.metric_date = sp.metric_date
        and f.metric = se.metric
        and f.dimension = se.dimension
        and f.dimension_value = se.dimension_value

)

select
    metric_date,
    metric,
    dimension,
    dimension_value,
    case
        when unit in ('ratio', 'average') then numerator / nullif(denominator, 0)
        when unit = 'median_seconds' then stat
        else numerator
    end as value,
    numerator,
    denominator,
    unit
from filled
