{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='customer_key',
        post_hook=[
            "{% if is_incremental() %}delete from {{ this }} where customer_key not in (select customer_key from {{ ref('fct_messages') }} where direction = 'inbound' and customer_key is not null){% endif %}"
        ],
    )
}}

-- R16 customer tiers as of each day, stored as spells (one row per customer x segment x period;
-- valid_to exclusive, null = still current). fct_customer_segments_daily expands them per day.
-- Rules, evaluated on local business dates (the first matching wins):
--   churned        no inbound message for more than 60 days (var churn_days);
--   high_interest  3+ product-detail questions (keyword topics with is_product_question) in the
--                  last 7 days (vars high_interest_questions, high_interest_days);
--   potential      1-2 conversations started in the last 30 days (var potential_days);
--   engaged        3+ conversations in the last 30 days;
--   dormant        no conversation in the last 30 days, not yet churned.
-- A customer enters on the day of their first inbound message. The state can only change on a day
-- with activity or when a window expires (activity day + 7, + 30, + 61), so only those candidate
-- days are evaluated: the model stays linear in activity, not in customers x days.
-- Incremental (delete+insert by customer_key): a customer's spells depend only on their own
-- messages, keywords and conversations and on the newest data date. Recomputed: each customer with
-- a message loaded or changed since the last run (watermark last_loaded_at), and each customer with
-- a window expiring between the last run's newest data date and today's; a customer left without
-- inbound messages (their messages moved to another key) is removed by the post-hook.

with

as_of as (

    select max(sent_date_local) as last_date from {{ ref('fct_messages') }}

),

{% if is_incremental() %}
watermark as (

    select coalesce(max(last_loaded_at), '-infinity'::timestamptz) as watermark from {{ this }}

),

previous as (

    -- the last run's newest data date, or earlier (a message updated since no longer counts):
    -- an earlier date only widens the expiry check below
    select
        (select watermark from watermark) as watermark,
        coalesce(max(sent_date_local), '-infinity'::date) as as_of_date
    from {{ ref('fct_messages') }}
    where last_loaded_at <= (select watermark from watermark)

),

recompute as materialized (

    select customer_key
    from {{ ref('fct_messages') }}
    where last_loaded_at > (select watermark from previous) and customer_key is not null
    union
    -- a window (inbound day + 7, + 30, + 61; question and conversation days are inbound days)
    -- expired since the last run's as_of_date
    select customer_key
    from {{ ref('fct_messages') }}
    where direction = 'inbound' and customer_key is not null
      and (
        {%- for offset_days in [var('high_interest_days'), var('potential_days'), var('churn_days') + 1] %}
        {{ 'or ' if not loop.first }}(sent_date_local + {{ offset_days }} > (select as_of_date from previous)
            and sent_date_local + {{ offset_days }} <= (select last_date from as_of))
        {%- endfor %}
      )

),
{% endif %}

customer_messages as (

    select customer_key, direction, sent_date_local, last_loaded_at
    from {{ ref('fct_messages') }}
    where customer_key is not null
    {% if is_incremental() %}
      and customer_key in (select customer_key from recompute)
    {% endif %}

),

inbound_days as (

    select customer_key, sent_date_local as day
    from customer_messages
    where direction = 'inbound' and sent_date_local is not null
    group by all

),

loaded as (

    select customer_key, max(last_loaded_at) as last_loaded_at from customer_messages group by all

),

question_days as (

    select k.customer_key, k.sent_date_local as day, count(distinct k.message_id) as questions
    from {{ ref('fct_message_keywords') }} as k
    inner join {{ ref('keyword_topics') }} as t on t.topic = k.topic and t.is_product_question
    {% if is_incremental() %}
    where k.customer_key in (select customer_key from recompute)
    {% endif %}
    group by all

),

conversation_days as (

    select customer_key, started_date_local as day, count(*) as conversations
    from {{ ref('fct_conversations') }}
    {% if is_incremental() %}
    where customer_key in (select customer_key from recompute)
    {% endif %}
    group by all

),

candidates as (

    select distinct customer_key, day + o.offset_days as day
    from inbound_days,
         (values (0), ({{ var('high_interest_days') }}), ({{ var('potential_days') }}), ({{ var('churn_days') }} + 1)) as o(offset_days)

),

daily as (

    -- every candidate day with that day's activity (zero on pure window-expiry days)
    select
        c.customer_key,
        c.day,
        coalesce(q.questions, 0) as questions,
        coalesce(v.conversations, 0) as conversations,
        i.day is not null as has_inbound
    from candidates as c
    left join question_days as q on q.customer_key = c.customer_key and q.day = c.day
    left join conversation_days as v on v.customer_key = c.customer_key and v.day = c.day
    left join inbound_days as i on i.customer_key = c.customer_key and i.day = c.day
    where c.day <= (select last_date from as_of)

),

evaluated as (

    select
        customer_key,
        day,
        max(case when has_inbound then day end)
            over (partition by customer_key order by day rows between unbounded preceding and current row) as last_inbound_day,
        sum(questions)
            over (partition by customer_key order by day range between interval ({{ var('high_interest_days') }} - 1) day preceding and current row) as questions_7d,
        sum(conversations)
            over (partition by customer_key order by day range between interval ({{ var('potential_days') }} - 1) day preceding and current row) as conversations_30d
    from daily

),

segmented as (

    select
        customer_key,
        day,
        questions_7d,
        conversations_30d,
        last_inbound_day,
        case
            when day - last_inbound_day > {{ var('churn_days') }} then 'churned'
            when questions_7d >= {{ var('high_interest_questions') }} then 'high_interest'
            when conversations_30d between 1 and 2 then 'potential'
            when conversations_30d >= 3 then 'engaged'
            else 'dormant'
        end as segment
    from evaluated
    where last_inbound_day is not null

),

changes as (

    select *
    from segmented
    qualify coalesce(lag(segment) over (partition by customer_key order by day), '') <> segment

)

select
    c.customer_key || ':' || strftime(c.day, '%Y-%m-%d') as segment_spell_key,
    c.customer_key,
    c.segment,
    c.day as valid_from,
    lead(c.day) over (partition by c.customer_key order by c.day) as valid_to,
    lead(c.day) over (partition by c.customer_key order by c.day) is null as is_current,
    c.questions_7d::integer as questions_7d_at_start,
    c.conversations_30d::integer as conversations_30d_at_start,
    c.last_inbound_day as last_inbound_day_at_start,
    l.last_loaded_at
from changes as c
inner join loaded as l on l.customer_key = c.customer_key
