{{
    config(
        materialized='incremental',
        incremental_strategy='replace_tail',
        unique_key='segment_spell_key',
        tail_key='customer_key',
        tail_column='valid_from',
        on_schema_change='sync_all_columns',
        post_hook=[
            "{% if is_incremental() %}delete from {{ this }} where customer_key not in (select customer_key from {{ ref('fct_messages') }} where direction = 'inbound' and customer_key is not null){% endif %}",
            "{{ record_build_watermark(ref('fct_messages')) }}",
        ],
    )
}}

-- depends_on: {{ ref('int_customers__identity') }}

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
-- Incremental (replace_tail): a customer's spells depend only on their own messages, keywords and
-- conversations and on the newest data date, and a day's state only on the 61 days before it.
-- Per customer, the cutoff is the earliest of: the day of a message fct_messages wrote since the
-- last run (loaded, changed or re-keyed: for its customer and any it may have had before; the newest
-- fct_messages.built_at this model saw is kept in the table comment), and a window
-- (inbound day + 7, + 30, + 61) expiring after the last run's newest data date. Days from the
-- cutoff are evaluated again from the activity of the 61 days before it: every candidate day from
-- the cutoff on comes from an inbound day in those 61 days, so its last inbound day is among them.
-- The spell in effect the day before the cutoff and every later spell are replaced. A customer
-- left without inbound messages (their messages re-keyed to another customer) is removed by the
-- post-hook.
-- On most days a window expires for most customers: what is read per touched customer is bounded
-- by those 61 days, never their whole history.

{% set lookback_days = var('churn_days') + 1 %}
{% set window_days = [var('high_interest_days'), var('potential_days')] | max %}

with

as_of as (

    select max(sent_date_local) as last_date from {{ ref('fct_messages') }}

),

{% if is_incremental() %}
previous as (

    -- the last run's newest data date, or earlier (a message written since no longer counts):
    -- an earlier date only widens the expiry check below
    select coalesce(max(sent_date_local), '-infinity'::date) as as_of_date
    from {{ ref('fct_messages') }}
    where built_at <= {{ build_watermark() }}

),

cutoffs as materialized (

    select customer_key, min(cutoff) as cutoff
    from (
        select customer_key, sent_date_local as cutoff
        from ({{ messages_written_since('m.sent_date_local') }})
        {%- for offset_days in [var('high_interest_days'), var('potential_days'), lookback_days] %}
        union all
        select customer_key, sent_date_local + {{ offset_days }}
        from {{ ref('fct_messages') }}
        where direction = 'inbound' and customer_key is not null
          and sent_date_local + {{ offset_days }} > (select as_of_date from previous)
          and sent_date_local + {{ offset_days }} <= (select last_date from as_of)
        {%- endfor %}
    )
    where cutoff is not null
    group by all

),
{% endif %}

inbound_days as (

    select d.customer_key, d.sent_date_local as day
    from {{ ref('int_customers__inbound_days') }} as d
    {% if is_incremental() %}
    inner join cutoffs as c on c.customer_key = d.customer_key and d.sent_date_local >= c.cutoff - {{ lookback_days }}
    {% endif %}
    where d.customer_key is not null

),

question_days as (

    select k.customer_key, k.sent_date_local as day, count(distinct k.message_id) as questions
    from {{ ref('fct_message_keywords') }} as k
    inner join {{ ref('keyword_topics') }} as t on t.topic = k.topic and t.is_product_question
    {% if is_incremental() %}
    inner join cutoffs as c on c.customer_key = k.customer_key and k.sent_date_local >= c.cutoff - {{ window_days - 1 }}
    {% endif %}
    group by all

),

conversation_days as (

    select v.customer_key, v.started_date_local as day, count(*) as conversations
    from {{ ref('fct_conversations') }} as v
    {% if is_incremental() %}
    inner join cutoffs as c on c.customer_key = v.customer_key and v.started_date_local >= c.cutoff - {{ window_days - 1 }}
    {% endif %}
    group by all

),
candidates as (

    select distinct i.customer_key, i.day + o.offset_days as day
    from inbound_days as i
    cross join (values (0), ({{ var('high_interest_days') }}), ({{ var('potential_days') }}), ({{ var('churn_days') }} + 1)) as o(offset_days)
    {%- if is_incremental() %}
    inner join cutoffs as c on c.customer_key = i.customer_key
    {%- endif %}
    -- window expiries after the newest data date are not days yet
    where i.day + o.offset_days <= (select last_date from as_of)
    {%- if is_incremental() %}
      -- days from the cutoff on, and the activity days their windows reach back to
      and (i.day + o.offset_days >= c.cutoff or (o.offset_days = 0 and i.day >= c.cutoff - {{ window_days - 1 }}))
    union
    -- before the windows only the last inbound day matters (for days - last inbound day)
    select i.customer_key, max(i.day)
    from inbound_days as i
    inner join cutoffs as c on c.customer_key = i.customer_key and i.day < c.cutoff - {{ window_days - 1 }}
    group by all
    {% endif %}

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

    -- one sort for all three windows: they share the order key, an integer day number (a RANGE
    -- in days over a DATE orders by the date cast to a timestamp, a second sort)
    select
        customer_key,
        day,
        max(case when has_inbound then day end) over (by_day rows between unbounded preceding and current row) as last_inbound_day,
        sum(questions) over (by_day range between {{ var('high_interest_days') }} - 1 preceding and current row) as questions_7d,
        sum(conversations) over (by_day range between {{ var('potential_days') }} - 1 preceding and current row) as conversations_30d
    from daily
    window by_day as (partition by customer_key order by day - date '1970-01-01')

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

{% if is_incremental() %}
kept_spell as (

    -- the stored spell in effect the day before the cutoff: it stays, but may now end elsewhere
    select
        s.customer_key,
        s.valid_from as day,
        s.questions_7d_at_start as questions_7d,
        s.conversations_30d_at_start as conversations_30d,
        s.last_inbound_day_at_start as last_inbound_day,
        s.segment
    from {{ this }} as s
    inner join cutoffs as c on c.customer_key = s.customer_key
    where s.valid_from < c.cutoff and (s.valid_to is null or s.valid_to >= c.cutoff)

),
{% endif %}

changes as (

    select *
    from (
        {% if is_incremental() %}
        select * from kept_spell
        union all
        select s.*
        from segmented as s
        inner join cutoffs as c on c.customer_key = s.customer_key and s.day >= c.cutoff
        {% else %}
        select * from segmented
        {% endif %}
    )
    qualify coalesce(lag(segment) over (partition by customer_key order by day), '') <> segment

)

select
    customer_key || ':' || strftime(day, '%Y-%m-%d') as segment_spell_key,
    customer_key,
    segment,
    day as valid_from,
    lead(day) over (partition by customer_key order by day) as valid_to,
    lead(day) over (partition by customer_key order by day) is null as is_current,
    questions_7d::integer as questions_7d_at_start,
    conversations_30d::integer as conversations_30d_at_start,
    last_inbound_day as last_inbound_day_at_start
from changes
