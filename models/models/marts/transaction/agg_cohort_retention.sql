-- Monthly cohorts and retention (R25, R26; cohort x period matrix):
--   cohort_type first_order     cohort = month of the first paid order; active = a paid order in the month;
--   cohort_type first_contact   cohort = month of the first inbound message; active = an inbound message.
-- months_since 0 is the cohort month. is_complete is false for periods not fully observed yet
-- (the newest data month): compare cohorts only over complete periods.

with

order_activity as (

    select customer_key, date_trunc('month', ordered_date_local)::date as month
    from {{ ref('fct_orders') }}
    where is_paid and customer_key is not null and ordered_date_local is not null

),

message_activity as (

    select customer_key, date_trunc('month', sent_date_local)::date as month
    from {{ ref('fct_messages') }}
    where direction = 'inbound' and customer_key is not null

),

activity as (

    select distinct 'first_order' as cohort_type, customer_key, month from order_activity
    union all
    select distinct 'first_contact', customer_key, month from message_activity

),

cohorts as (

    select cohort_type, customer_key, min(month) as cohort_month
    from activity
    group by all

),

last_month as (

    select max(sent_date_local) as last_date from {{ ref('fct_messages') }}

),

cells as (

    select
        c.cohort_type,
        c.cohort_month,
        (datediff('month', c.cohort_month, a.month))::integer as months_since,
        count(distinct a.customer_key)::integer as active_customers
    from cohorts as c
    inner join activity as a on a.cohort_type = c.cohort_type and a.customer_key = c.customer_key
    group by all

),

sizes as (

    select cohort_type, cohort_month, count(*)::integer as cohort_size
    from cohorts
    group by all

)

select
    x.cohort_type,
    x.cohort_month,
    x.months_since,
    s.cohort_size,
    x.active_customers,
    x.active_customers / s.cohort_size as retention_rate,
    (x.cohort_month + to_months(x.months_since + 1)) <= date_trunc('month', (select last_date from last_month)) + interval 1 month
        and last_day(x.cohort_month + to_months(x.months_since)) <= (select last_date from last_month) as is_complete
from cells as x
inner join sizes as s on s.cohort_type = x.cohort_type and s.cohort_month = x.cohort_month
