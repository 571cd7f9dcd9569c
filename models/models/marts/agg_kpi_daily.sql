-- The one daily KPI feed (R21, R26): one row per local date x metric x dimension x
-- dimension_value, the input for period-over-period comparison and anomaly alerts.
-- Dates are local business dates (to_local_time). Every (metric, dimension, dimension_value)
-- series is zero-filled from the first to the last date in the data so that gaps are visible as
-- zeros, not missing rows. Ratios carry numerator and denominator so they can be re-aggregated
-- over any period (sum the parts, then divide), never averaged.
--
-- metrics (unit):
--   inbound_messages (count)    inbound messages by local date;            dims: all, market
--   outbound_messages (count)   outbound messages by local date;           dims: all, sender_kind
--   active_customers (count)    distinct customers with an inbound message; dims: all, market
--   orders (count)              orders by local order date;                dims: all, payment_method, channel
--   revenue (amount)            paid order amounts; never mixed across currencies, so only by currency
--   read_rate (ratio)           outbound messages sent that day: read / delivered (read counts
--                               as delivered; Meta may skip `delivered`);  dims: all, sender_kind

with

messages as (

    select
        m.*,
        coalesce(c.market_country, 'unknown') as market
    from {{ ref('fct_messages') }} as m
    left join {{ ref('dim_customers') }} as c on c.customer_key = m.customer_key
    where m.sent_date_local is not null

),

orders as (

    select * from {{ ref('fct_orders') }}
    where ordered_date_local is not null

),

facts as (

    -- inbound messages
    select sent_date_local as metric_date, 'inbound_messages' as metric, 'count' as unit,
           'all' as dimension, 'all' as dimension_value, count(*)::double as numerator, null::double as denominator
    from messages where direction = 'inbound' group by all
    union all
    select sent_date_local, 'inbound_messages', 'count', 'market', market, count(*), null
    from messages where direction = 'inbound' group by all

    -- outbound messages
    union all
    select sent_date_local, 'outbound_messages', 'count', 'all', 'all', count(*), null
    from messages where direction = 'outbound' group by all
    union all
    select sent_date_local, 'outbound_messages', 'count', 'sender_kind', sender_kind, count(*), null
    from messages where direction = 'outbound' group by all

    -- active customers
    union all
    select sent_date_local, 'active_customers', 'count', 'all', 'all', count(distinct customer_key), null
    from messages where direction = 'inbound' and customer_key is not null group by all
    union all
    select sent_date_local, 'active_customers', 'count', 'market', market, count(distinct customer_key), null
    from messages where direction = 'inbound' and customer_key is not null group by all

    -- orders
    union all
    select ordered_date_local, 'orders', 'count', 'all', 'all', count(*), null
    from orders group by all
    union all
    select ordered_date_local, 'orders', 'count', 'payment_method', coalesce(payment_method, 'unknown'), count(*), null
    from orders group by all
    union all
    select ordered_date_local, 'orders', 'count', 'channel', coalesce(channel, 'unknown'), count(*), null
    from orders group by all

    -- revenue (paid orders), per currency only
    union all
    select ordered_date_local, 'revenue', 'amount', 'currency', coalesce(currency, 'unknown'), sum(revenue_amount), null
    from orders group by all

    -- read rate of outbound messages sent that day
    union all
    select sent_date_local, 'read_rate', 'ratio', 'all', 'all',
           count(*) filter (where is_read), count(*) filter (where is_delivered)
    from messages where direction = 'outbound' group by all
    union all
    select sent_date_local, 'read_rate', 'ratio', 'sender_kind', sender_kind,
           count(*) filter (where is_read), count(*) filter (where is_delivered)
    from messages where direction = 'outbound' group by all

),

series as (

    select metric, unit, dimension, dimension_value, min(metric_date) as first_date, max(metric_date) as last_date
    from facts
    group by all

),

bounds as (

    select min(metric_date) as first_date, max(metric_date) as last_date from facts

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
        coalesce(f.numerator, 0) as numerator,
        case when se.unit = 'ratio' then coalesce(f.denominator, 0) end as denominator
    from series as se
    inner join spine as sp on sp.metric_date between (select first_date from bounds) and (select last_date from bounds)
    left join facts as f
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
        when unit = 'ratio' then numerator / nullif(denominator, 0)
        else numerator
    end as value,
    numerator,
    denominator,
    unit
from filled
