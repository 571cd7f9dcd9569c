-- The sales funnel per customer (R20, R25, R28), ordered (each stage must come at or after the
-- previous one; PostHog's "ordered" funnel, person-level):
--   1 first_contact    the customer's first inbound WhatsApp message;
--   2 inquiry          first inbound message about product details (topics with is_product_question);
--   3 price_question   first inbound price / discount / quote / too-expensive message (is_price_question);
--   4 order            first order (not cancelled) placed at or after the price question;
--   5 repeat_order     the next order after that one.
-- Only customers who wrote to the business on WhatsApp enter the funnel. Time-to-convert columns
-- are the step-to-step durations in days. first_order_at_any is the first order whatever came
-- before (for customers who ordered without asking).
-- Slicing dimensions (R25, R28), reused from dim_customers as-is: market_country, acquisition_channel
-- (dim_customers.lead_source: CRM lead source, else 'WhatsApp') and first_touch_campaign
-- (dim_customers.first_referral_source_id: the CTWA ad / post of the first inbound message with a
-- referral; the campaigns staging model carries no ad ids, so it is not mapped to a campaign_id).

with

first_contact as (

    select customer_key, min(sent_at_utc) as first_contact_at
    from {{ ref('fct_messages') }}
    where direction = 'inbound' and customer_key is not null
    group by customer_key

),

tagged as (

    select k.customer_key, k.sent_at_utc, t.is_product_question, t.is_price_question
    from {{ ref('fct_message_keywords') }} as k
    inner join {{ ref('keyword_topics') }} as t on t.topic = k.topic

),

orders as (

    select customer_key, ordered_at_utc, order_key, payment_method
    from {{ ref('fct_orders') }}
    where customer_key is not null and ordered_at_utc is not null and coalesce(order_status, '') <> 'cancelled'

),

inquiry as (

    select f.customer_key, min(t.sent_at_utc) as inquiry_at
    from first_contact as f
    inner join tagged as t on t.customer_key = f.customer_key and t.is_product_question and t.sent_at_utc >= f.first_contact_at
    group by f.customer_key

),

price as (

    select i.customer_key, min(t.sent_at_utc) as price_question_at
    from inquiry as i
    inner join tagged as t on t.customer_key = i.customer_key and t.is_price_question and t.sent_at_utc >= i.inquiry_at
    group by i.customer_key

),

first_order as (

    select p.customer_key, arg_min(o.order_key, o.ordered_at_utc) as first_order_key, min(o.ordered_at_utc) as first_order_at,
           arg_min(o.payment_method, o.ordered_at_utc) as first_order_payment_method
    from price as p
    inner join orders as o on o.customer_key = p.customer_key and o.ordered_at_utc >= p.price_question_at
    group by p.customer_key

),

repeat_order as (

    select f.customer_key, min(o.ordered_at_utc) as repeat_order_at
    from first_order as f
    inner join orders as o on o.customer_key = f.customer_key and o.ordered_at_utc > f.first_order_at
    group by f.customer_key

),

any_order as (

    select customer_key, min(ordered_at_utc) as first_order_at_any
    from orders
    group by customer_key

),

customers as (

    select customer_key, market_country, lead_source, first_referral_source_id
    from {{ ref('dim_customers') }}

)

select
    c.customer_key,
    c.first_contact_at as first_contact_at_utc,
    cast({{ to_local_time('c.first_contact_at') }} as date) as first_contact_date_local,
    date_trunc('month', cast({{ to_local_time('c.first_contact_at') }} as date))::date as cohort_month,
    d.market_country,
    d.lead_source as acquisition_channel,
    d.first_referral_source_id as first_touch_campaign,
    i.inquiry_at as inquiry_at_utc,
    p.price_question_at as price_question_at_utc,
    o.first_order_at as first_order_at_utc,
    o.first_order_key,
    o.first_order_payment_method,
    r.repeat_order_at as repeat_order_at_utc,
    a.first_order_at_any as first_order_at_any_utc,
    case
        when r.repeat_order_at is not null then 5
        when o.first_order_at is not null then 4
        when p.price_question_at is not null then 3
        when i.inquiry_at is not null then 2
        else 1
    end as stage_reached,
    case
        when r.repeat_order_at is not null then 'repeat_order'
        when o.first_order_at is not null then 'order'
        when p.price_question_at is not null then 'price_question'
        when i.inquiry_at is not null then 'inquiry'
        else 'first_contact'
    end as stage_reached_name,
    (epoch(i.inquiry_at) - epoch(c.first_contact_at)) / 86400 as days_contact_to_inquiry,
    (epoch(p.price_question_at) - epoch(i.inquiry_at)) / 86400 as days_inquiry_to_price,
    (epoch(o.first_order_at) - epoch(p.price_question_at)) / 86400 as days_price_to_order,
    (epoch(r.repeat_order_at) - epoch(o.first_order_at)) / 86400 as days_order_to_repeat,
    (epoch(o.first_order_at) - epoch(c.first_contact_at)) / 86400 as days_contact_to_order
from first_contact as c
left join inquiry as i on i.customer_key = c.customer_key
left join price as p on p.customer_key = c.customer_key
left join first_order as o on o.customer_key = c.customer_key
left join repeat_order as r on r.customer_key = c.customer_key
left join any_order as a on a.customer_key = c.customer_key
left join customers as d on d.customer_key = c.customer_key
