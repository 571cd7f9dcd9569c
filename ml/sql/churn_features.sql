-- Point-in-time churn features and labels (issue 7, R16, R27), one row per customer x as-of time.
--
-- Input: temp table ml_as_of(as_of_at timestamptz) - the moments the features are computed at.
-- Every feature reads only rows whose event time is strictly before as_of_at (messages by sent_at,
-- reads by read_at, replies by their send time, orders by ordered_at, keyword tags and sentiment by
-- the message's send time, an order's status by its last update). The label and the treatment-in-outcome flag look at
-- [as_of_at, as_of_at + horizon) and are never features.
-- Reads: marts.fct_messages, marts.fct_orders, marts.dim_customers, ml_keywords (a temp view over
-- marts.fct_message_keywords or an empty stand-in), ml.message_sentiment, ml.treatments.
-- Tokens replaced by ml/churn/features.ts (integers only): __HORIZON_DAYS__, __ACTIVE_DAYS__.

create or replace temp table ml_feat_asof as
select distinct as_of_at from ml_as_of;

create or replace temp table ml_feat_inbound as
select m.message_id, m.customer_key, m.sent_at_utc, m.text
from marts.fct_messages as m
where m.direction = 'inbound' and m.customer_key is not null and m.sent_at_utc is not null;

-- Orders as outcome for the label (after as_of_at, so the final status is what happened).
create or replace temp table ml_feat_orders as
select o.customer_key, o.ordered_at_utc
from marts.fct_orders as o
where o.customer_key is not null and o.ordered_at_utc is not null and coalesce(o.order_status, '') <> 'cancelled';

-- Orders as features (and as the population's activity). fct_orders holds each order's current
-- version only, so the payment status is not used at all (a paid order refunded after as_of_at,
-- or a pending one paid after it, would show its future status), and a cancellation counts only
-- when the cancelled version was written before as_of_at; an order cancelled later was a live
-- order at as_of_at. Amounts are known when the order is placed.
create or replace temp table ml_feat_order_events as
select o.customer_key, o.ordered_at_utc,
       case when o.order_status = 'cancelled' then o.updated_at end as cancelled_known_at,
       coalesce(o.total_amount, 0)::double as amount
from marts.fct_orders as o
where o.customer_key is not null and o.ordered_at_utc is not null;

-- Each inbound message with the first business reply at or after it (agents, bots, the app).
-- Response times the customer experienced: fct_conversations.first_response_seconds / avg_reply_seconds
-- are final-state per conversation (a reply sent after as_of_at is already in them), so the
-- as-of features below are derived from the message mart, cut at as_of_at.
create or replace temp table ml_feat_replied as
with replies as (
    select customer_key, sent_at_utc
    from marts.fct_messages
    where direction = 'outbound' and customer_key is not null and sent_at_utc is not null
      and sender_kind in ('agent', 'bot', 'business_app')
)
select i.customer_key, i.sent_at_utc, r.sent_at_utc as reply_at
from ml_feat_inbound as i
asof left join replies as r on i.customer_key = r.customer_key and r.sent_at_utc >= i.sent_at_utc;

-- Customers in scope at each as-of time: some inbound message or order in the __ACTIVE_DAYS__
-- days before it (longer-silent customers are already on the R16 "churned" list).
create or replace temp table ml_feat_population as
with activity as (
    select customer_key, sent_at_utc as at, null::timestamptz as cancelled_known_at from ml_feat_inbound
    union all
    select customer_key, ordered_at_utc, cancelled_known_at from ml_feat_order_events
)
select a.as_of_at, x.customer_key,
       max(x.at) as last_activity_at,
       min(x.at) as first_activity_at
from ml_feat_asof as a
inner join activity as x
    on x.at < a.as_of_at and (x.cancelled_known_at is null or x.cancelled_known_at >= a.as_of_at)
group by all
having max(x.at) >= a.as_of_at - interval (__ACTIVE_DAYS__) day;

create or replace temp table ml_feat_inbound_agg as
select p.as_of_at, p.customer_key,
       count(distinct i.sent_at_utc::date) filter (where i.sent_at_utc >= p.as_of_at - interval 14 day) / 2.0 as active_days_per_week_2w,
       count(distinct i.sent_at_utc::date) filter (where i.sent_at_utc < p.as_of_at - interval 14 day and i.sent_at_utc >= p.as_of_at - interval 56 day) / 6.0 as active_days_per_week_prev6w,
       count(*) filter (where i.sent_at_utc >= p.as_of_at - interval 7 day) as inbound_7d,
       count(*) filter (where i.sent_at_utc >= p.as_of_at - interval 30 day) as inbound_30d,
       count(*) filter (where i.sent_at_utc >= p.as_of_at - interval 90 day) as inbound_90d,
       count(distinct i.sent_at_utc::date) filter (where i.sent_at_utc >= p.as_of_at - interval 30 day) as active_days_30d,
       count(distinct i.sent_at_utc::date) as active_days_total,
       max(i.sent_at_utc) as last_inbound_at,
       min(i.sent_at_utc) as first_inbound_at
from ml_feat_population as p
inner join ml_feat_inbound as i on i.customer_key = p.customer_key and i.sent_at_utc < p.as_of_at
group by all;

-- Read rate: agg_kpi_daily.read_rate is a daily business-wide ratio, not per customer; this is
-- the same definition (read / delivered, R24) per customer, counting only reads before as_of_at.
create or replace temp table ml_feat_outbound_agg as
select p.as_of_at, p.customer_key,
       count(*) filter (where m.sent_at_utc >= p.as_of_at - interval 30 day) as outbound_30d,
       count(*) filter (where coalesce(m.delivered_at, m.read_at) < p.as_of_at or m.read_at < p.as_of_at) as delivered_90d,
       count(*) filter (where m.read_at < p.as_of_at) as read_90d
from ml_feat_population as p
inner join marts.fct_messages as m
    on m.customer_key = p.customer_key and m.direction = 'outbound'
   and m.sent_at_utc < p.as_of_at and m.sent_at_utc >= p.as_of_at - interval 90 day
group by all;

create or replace temp table ml_feat_response as
select p.as_of_at, p.customer_key,
       avg(least(epoch(coalesce(case when r.reply_at < p.as_of_at then r.reply_at end, p.as_of_at)) - epoch(r.sent_at_utc), 86400) / 60.0) as avg_response_minutes_90d,
       avg(case when r.reply_at < p.as_of_at and epoch(r.reply_at) - epoch(r.sent_at_utc) <= 86400 then 0.0 else 1.0 end) as unanswered_share_90d
from ml_feat_population as p
inner join ml_feat_replied as r
    on r.customer_key = p.customer_key and r.sent_at_utc < p.as_of_at and r.sent_at_utc >= p.as_of_at - interval 90 day
group by all;

-- Keyword tags, defined once in marts.fct_message_keywords (per message, with its send time), so
-- they can be cut at as_of_at. The customer-level mart columns built from the same tags
-- (dim_customers.is_price_sensitive / discount_mentions / hot_keywords, fct_conversations.has_complaint)
-- are computed over ALL history (or over a whole conversation that may run past as_of_at) and
-- would leak the future into training rows, so they are NOT used here; instead their
-- definitions are re-applied as of as_of_at:
--   complaint_msgs_90d     = messages with topic 'complaint' (the tag behind fct_conversations.has_complaint
--                            and agg_kpi_daily.complaint_rate), last 90 days;
--   discount_mentions_asof = messages with topic 'discount' before as_of_at (dim_customers.discount_mentions
--                            as of that time; >= 3 is dim_customers.is_price_sensitive, R15).
create or replace temp table ml_feat_keywords as
select p.as_of_at, p.customer_key,
       count(distinct k.message_id) filter (where k.topic = 'complaint' and k.sent_at_utc >= p.as_of_at - interval 90 day) as complaint_msgs_90d,
       count(distinct k.message_id) filter (where k.topic = 'discount') as discount_mentions_asof,
       count(distinct k.message_id) filter (where k.topic in ('product_inquiry', 'price', 'size', 'purchase_intent') and k.sent_at_utc >= p.as_of_at - interval 7 day) as product_questions_7d
from ml_feat_population as p
inner join ml_keywords as k
    on k.customer_key = p.customer_key and k.sent_at_utc < p.as_of_at
group by all;

create or replace temp table ml_feat_sentiment as
with recent as (
    select p.as_of_at, p.customer_key, s.sentiment, i.sent_at_utc,
           row_number() over (partition by p.as_of_at, p.customer_key order by i.sent_at_utc desc, i.message_id) as rn
    from ml_feat_population as p
    inner join ml_feat_inbound as i
        on i.customer_key = p.customer_key and i.sent_at_utc < p.as_of_at and i.sent_at_utc >= p.as_of_at - interval 90 day
    inner join ml.message_sentiment as s on s.message_id = i.message_id
)
select as_of_at, customer_key,
       avg(sentiment) filter (where rn <= 5) as sentiment_recent,
       min(sentiment) filter (where sent_at_utc >= as_of_at - interval 30 day) as sentiment_min_30d,
       count(*) as sentiment_messages_90d
from recent
group by all;

-- Transaction history as of as_of_at: recency, frequency and value, the customer's own rhythm
-- (mean gap between orders, how overdue the next order is against it), the value trend (last order
-- against the earlier ones), and how many distinct months had an order.
create or replace temp table ml_feat_order_agg as
with placed as (
    select p.as_of_at, p.customer_key, o.ordered_at_utc, o.amount
    from ml_feat_population as p
    inner join ml_feat_order_events as o
        on o.customer_key = p.customer_key and o.ordered_at_utc < p.as_of_at
       and (o.cancelled_known_at is null or o.cancelled_known_at >= p.as_of_at)
)
select as_of_at, customer_key,
       count(*) filter (where ordered_at_utc >= as_of_at - interval 90 day) as orders_90d,
       count(*) filter (where ordered_at_utc >= as_of_at - interval 365 day) as orders_365d,
       count(*) filter (where ordered_at_utc >= as_of_at - interval 30 day) as orders_30d,
       count(*) as orders_total,
       count(distinct date_trunc('month', ordered_at_utc)) filter (where ordered_at_utc >= as_of_at - interval 365 day) as order_months_365d,
       sum(amount) filter (where ordered_at_utc >= as_of_at - interval 365 day) as order_value_365d,
       avg(amount) as avg_order_value,
       sum(amount) as total_order_value,
       arg_max(amount, ordered_at_utc) as last_order_value,
       max(ordered_at_utc) as last_order_at,
       min(ordered_at_utc) as first_order_at
from placed
group by all;

create or replace temp table ml_feat_treatment as
select p.as_of_at, p.customer_key,
       max(t.treated_at) filter (where t.treated_at < p.as_of_at) as last_treated_at,
       bool_or(t.treated_at >= p.as_of_at and t.treated_at < p.as_of_at + interval (__HORIZON_DAYS__) day) as treated_in_outcome
from ml_feat_population as p
inner join ml.treatments as t on t.customer_key = p.customer_key
group by all;

create or replace temp table ml_feat_label as
with activity as (
    select customer_key, sent_at_utc as at from ml_feat_inbound
    union all
    select customer_key, ordered_at_utc from ml_feat_orders
),
data_end as (
    select greatest(
        (select max(sent_at_utc) from marts.fct_messages),
        coalesce((select max(ordered_at_utc) from marts.fct_orders), '1970-01-01'::timestamptz)
    ) as end_at
)
select p.as_of_at, p.customer_key,
       min(x.at) as next_activity_at,
       p.as_of_at + interval (__HORIZON_DAYS__) day <= (select end_at from data_end) as label_observed
from ml_feat_population as p
left join activity as x on x.customer_key = p.customer_key and x.at >= p.as_of_at
group by p.as_of_at, p.customer_key;

create or replace temp table ml_features as
select
    p.as_of_at as as_of_at,
    p.customer_key as customer_key,
    c.primary_crm_contact_key,
    coalesce(c.market_country, 'ZZ') as market,
    -- WhatsApp features
    coalesce(i.active_days_per_week_2w, 0)::double as active_days_per_week_2w,
    coalesce(i.active_days_per_week_prev6w, 0)::double as active_days_per_week_prev6w,
    ((coalesce(i.active_days_per_week_2w, 0) + 0.1) / (coalesce(i.active_days_per_week_prev6w, 0) + 0.1))::double as frequency_ratio,
    coalesce(i.inbound_7d, 0)::double as inbound_7d,
    coalesce(i.inbound_30d, 0)::double as inbound_30d,
    coalesce(i.inbound_90d, 0)::double as inbound_90d,
    coalesce(i.active_days_30d, 0)::double as active_days_30d,
    least(coalesce((epoch(p.as_of_at) - epoch(i.last_inbound_at)) / 86400.0, 400), 400)::double as days_since_last_inbound,
    coalesce(case when i.active_days_total >= 2 then least(((epoch(p.as_of_at) - epoch(i.last_inbound_at)) / 86400.0)
        / greatest((epoch(i.last_inbound_at) - epoch(i.first_inbound_at)) / 86400.0 / (i.active_days_total - 1), 1), 50) end, -1)::double as inbound_overdue_ratio,
    coalesce(ob.outbound_30d, 0)::double as outbound_30d,
    coalesce(ob.read_90d::double / nullif(ob.delivered_90d, 0), -1)::double as read_rate_90d,
    coalesce(r.avg_response_minutes_90d, -1)::double as avg_response_minutes_90d,
    coalesce(r.unanswered_share_90d, -1)::double as unanswered_share_90d,
    coalesce(k.complaint_msgs_90d, 0)::double as complaint_msgs_90d,
    coalesce(k.discount_mentions_asof, 0)::double as discount_mentions_asof,
    coalesce(k.product_questions_7d, 0)::double as product_questions_7d,
    coalesce(s.sentiment_recent, 0.5)::double as sentiment_recent,
    coalesce(s.sentiment_min_30d, 0.5)::double as sentiment_min_30d,
    -- transaction features
    least(coalesce((epoch(p.as_of_at) - epoch(o.last_order_at)) / 86400.0, 400), 400)::double as days_since_last_order,
    coalesce(o.orders_30d, 0)::double as orders_30d,
    coalesce(o.orders_90d, 0)::double as orders_90d,
    coalesce(o.orders_365d, 0)::double as orders_365d,
    coalesce(o.orders_total, 0)::double as orders_total,
    coalesce(o.order_months_365d, 0)::double as order_months_365d,
    ln(1 + coalesce(o.order_value_365d, 0))::double as log_order_value_365d,
    ln(1 + coalesce(o.avg_order_value, 0))::double as log_avg_order_value,
    coalesce((epoch(p.as_of_at) - epoch(o.first_order_at)) / 86400.0, -1)::double as order_tenure_days,
    coalesce(case when o.orders_total >= 2 then (epoch(o.last_order_at) - epoch(o.first_order_at)) / 86400.0 / (o.orders_total - 1) end, -1)::double as mean_order_gap_days,
    coalesce(case when o.orders_total >= 2 then least(((epoch(p.as_of_at) - epoch(o.last_order_at)) / 86400.0)
        / greatest((epoch(o.last_order_at) - epoch(o.first_order_at)) / 86400.0 / (o.orders_total - 1), 1), 50) end, -1)::double as order_overdue_ratio,
    coalesce(case when o.orders_total >= 2 and o.total_order_value > o.last_order_value then o.last_order_value
        / ((o.total_order_value - o.last_order_value) / (o.orders_total - 1)) end, -1)::double as last_order_value_ratio,
    coalesce(case when c.crm_created_at < p.as_of_at then (epoch(p.as_of_at) - epoch(c.crm_created_at)) / 86400.0 end, -1)::double as crm_tenure_days,
    ((epoch(p.as_of_at) - epoch(least(p.first_activity_at, coalesce(c.crm_created_at, p.first_activity_at)))) / 86400.0)::double as tenure_days,
    least((epoch(p.as_of_at) - epoch(p.last_activity_at)) / 86400.0, 400)::double as days_since_last_activity,
    -- treatment (leakage guard, not a model feature) and label
    least(coalesce((epoch(p.as_of_at) - epoch(t.last_treated_at)) / 86400.0, 9999), 9999)::double as days_since_treatment,
    coalesce(t.treated_in_outcome, false) as treated_in_outcome,
    i.last_inbound_at,
    l.label_observed,
    (l.next_activity_at is null or l.next_activity_at >= p.as_of_at + interval (__HORIZON_DAYS__) day) as churned
from ml_feat_population as p
left join marts.dim_customers as c on c.customer_key = p.customer_key
left join ml_feat_inbound_agg as i on i.as_of_at = p.as_of_at and i.customer_key = p.customer_key
left join ml_feat_outbound_agg as ob on ob.as_of_at = p.as_of_at and ob.customer_key = p.customer_key
left join ml_feat_response as r on r.as_of_at = p.as_of_at and r.customer_key = p.customer_key
left join ml_feat_keywords as k on k.as_of_at = p.as_of_at and k.customer_key = p.customer_key
left join ml_feat_sentiment as s on s.as_of_at = p.as_of_at and s.customer_key = p.customer_key
left join ml_feat_order_agg as o on o.as_of_at = p.as_of_at and o.customer_key = p.customer_key
left join ml_feat_treatment as t on t.as_of_at = p.as_of_at and t.customer_key = p.customer_key
left join ml_feat_label as l on l.as_of_at = p.as_of_at and l.customer_key = p.customer_key;
