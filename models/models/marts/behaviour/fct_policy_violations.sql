{{
    config(
        materialized='incremental',
        incremental_strategy='replace_tail',
        tail_key='customer_key',
        tail_column='sent_at_utc',
        tail_cutoffs='policy_violation_cutoffs',
        post_hook=["{{ record_build_watermark(ref('fct_messages')) }}"],
    )
}}

-- depends_on: {{ ref('int_customers__identity') }}

-- R4 messaging-policy violations, one row per offending send (or per day / month for counted
-- limits). Templates = outbound messages with a template name. kinds:
--   template_without_reply_24h       a template sent within 24 h of the previous template to a
--                                    customer who has not written in between;
--   same_content_over_5_per_month    the same template sent more than 5 times in a local calendar
--                                    month to one customer (one row per customer x template x month);
--   promotion_over_1_per_week        a marketing template within 7 days of the previous one;
--   duplicate_service_notification   the same utility template to the same customer less than 6 h
--                                    after the previous one;
--   daily_cap_exceeded               more templates on a local day than var daily_template_cap
--                                    (one row per day);
--   automation_during_human_pause    a bot message within 12 h after a human agent's message to the
--                                    same customer (CSAT surveys excluded).
-- Incremental (replace_tail per customer): every rule judges a send by the messages before it, so a
-- message fct_messages wrote since the last run (loaded, changed or re-keyed) changes only the
-- violations at or after its send time of its customer and of any customer it may have had before. Those are recomputed from the messages of the 7 days before (the longest look-back, R4's
-- week) or the start of that local month (the monthly count), whichever is earlier. Daily-cap rows
-- have no customer: they form the null-key partition and are recomputed from the earliest local day
-- with a new template, across all customers.

with

{% if is_incremental() %}
cutoffs as materialized (

    select
        customer_key,
        tail_from as cutoff,
        from_date,
        -- the longest look-back: R4's week, or the start of the cutoff's local month (the monthly count)
        least(tail_from - interval 7 day, date_trunc('month', from_date)::timestamptz - interval 1 day) as evaluate_from
    from ({{ policy_violation_cutoffs() }})

),
{% endif %}

messages as (

    select m.message_id, m.customer_key, m.direction, m.sent_at_utc, m.sent_date_local, m.template_name,
           m.template_category, m.sender_kind, m.last_loaded_at
    from {{ ref('fct_messages') }} as m
    {% if is_incremental() %}
    inner join cutoffs as c on c.customer_key = m.customer_key and m.sent_at_utc >= c.evaluate_from
    {% endif %}
    where m.customer_key is not null

),

templates as (

    select message_id, customer_key, sent_at_utc, sent_date_local, template_name, template_category, sender_kind,
           last_loaded_at
    from messages
    where direction = 'outbound' and template_name is not null

),

inbound as (

    select customer_key, sent_at_utc from messages where direction = 'inbound'

),

sequenced as (

    select
        t.*,
        lag(t.sent_at_utc) over (partition by t.customer_key order by t.sent_at_utc, t.message_id) as previous_template_at,
        lag(t.sent_at_utc) over (partition by t.customer_key, t.template_name order by t.sent_at_utc, t.message_id) as previous_same_at,
        max(case when t.template_category = 'marketing' then t.sent_at_utc end)
            over (partition by t.customer_key order by t.sent_at_utc, t.message_id rows between unbounded preceding and 1 preceding) as previous_marketing_at
    from templates as t

),

with_last_inbound as (

    select s.*, i.sent_at_utc as last_inbound_at
    from sequenced as s
    asof left join inbound as i on i.customer_key = s.customer_key and s.sent_at_utc > i.sent_at_utc

),

no_reply as (

    select 'template_without_reply_24h' as violation_kind, customer_key, message_id, sent_at_utc, sent_date_local,
           template_name, 2 as occurrences, 'previous template ' || strftime(previous_template_at, '%Y-%m-%d %H:%M:%S') || ' UTC' as detail,
           last_loaded_at
    from with_last_inbound
    where previous_template_at > sent_at_utc - interval 24 hour
      and (last_inbound_at is null or last_inbound_at < previous_template_at)

),

same_content as (

    select 'same_content_over_5_per_month', customer_key, max(message_id), max(sent_at_utc), max(sent_date_local),
           template_name, count(*)::integer, 'month ' || strftime(date_trunc('month', sent_date_local), '%Y-%m'),
           max(last_loaded_at)
    from templates
    group by customer_key, template_name, date_trunc('month', sent_date_local)
    having count(*) > 5

),

promotions as (

    select 'promotion_over_1_per_week', customer_key, message_id, sent_at_utc, sent_date_local,
           template_name, 2, 'previous marketing template ' || strftime(previous_marketing_at, '%Y-%m-%d %H:%M:%S') || ' UTC',
           last_loaded_at
    from sequenced
    where template_category = 'marketing' and previous_marketing_at > sent_at_utc - interval 7 day

),

service_repeats as (

    select 'duplicate_service_notification', customer_key, message_id, sent_at_utc, sent_date_local,
           template_name, 2, 'same template ' || strftime(previous_same_at, '%Y-%m-%d %H:%M:%S') || ' UTC',
           last_loaded_at
    from sequenced
    where template_category = 'utility' and previous_same_at > sent_at_utc - interval 6 hour

),

daily_cap as (

    select 'daily_cap_exceeded', null::varchar, null::varchar, max(sent_at_utc), sent_date_local,
           null::varchar, count(*)::integer, 'cap ' || {{ var('daily_template_cap') }}, max(last_loaded_at)
    from {{ ref('fct_messages') }}
    where direction = 'outbound' and template_name is not null and customer_key is not null
    {% if is_incremental() %}
      and sent_date_local >= (select from_date from cutoffs where customer_key is null)
    {% endif %}
    group by sent_date_local
    having count(*) > {{ var('daily_template_cap') }}

),

conversation_messages as (

    select m.customer_key, m.message_id, m.sent_at_utc, m.sent_date_local, m.automation_id, m.actor,
           m.is_csat_survey, m.last_loaded_at
    from {{ ref('int_conversations__messages') }} as m
    {% if is_incremental() %}
    inner join cutoffs as c on c.customer_key = m.customer_key and m.sent_at_utc >= c.evaluate_from
    {% endif %}

),

bots as (

    select * from conversation_messages where actor = 'bot' and not is_csat_survey

),

humans as (

    select customer_key, sent_at_utc from conversation_messages where actor = 'human'

),

paused as (

    select 'automation_during_human_pause', b.customer_key, b.message_id, b.sent_at_utc, b.sent_date_local,
           b.automation_id, 1, 'agent message ' || strftime(h.sent_at_utc, '%Y-%m-%d %H:%M:%S') || ' UTC',
           b.last_loaded_at
    from bots as b
    asof inner join humans as h on h.customer_key = b.customer_key and b.sent_at_utc > h.sent_at_utc
    where h.sent_at_utc > b.sent_at_utc - interval 12 hour

),

unioned as (

    select * from no_reply
    union all select * from same_content
    union all select * from promotions
    union all select * from service_repeats
    union all select * from daily_cap
    union all select * from paused

)

select
    -- the date is part of the key: daily-cap rows have no customer or message, one per day
    md5(
        u.violation_kind || '|' || coalesce(u.customer_key, '') || '|' || coalesce(u.message_id, '')
        || '|' || coalesce(u.sent_date_local::varchar, '') || '|' || coalesce(u.detail, '')
    ) as violation_id,
    u.violation_kind,
    u.customer_key,
    u.message_id,
    u.sent_at_utc,
    u.sent_date_local as violation_date,
    u.template_name,
    u.occurrences,
    u.detail,
    u.last_loaded_at
from unioned as u
{% if is_incremental() %}
-- only rows at or after the customer's cutoff (the daily-cap partition's for daily-cap rows)
inner join cutoffs as c on c.customer_key is not distinct from u.customer_key and u.sent_at_utc >= c.cutoff
{% endif %}
