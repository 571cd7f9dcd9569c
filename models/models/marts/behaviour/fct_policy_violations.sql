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

with

templates as (

    select message_id, customer_key, sent_at_utc, sent_date_local, template_name, template_category, sender_kind
    from {{ ref('fct_messages') }}
    where direction = 'outbound' and template_name is not null and customer_key is not null

),

inbound as (

    select customer_key, sent_at_utc from {{ ref('fct_messages') }}
    where direction = 'inbound' and customer_key is not null

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
           template_name, 2 as occurrences, 'previous template ' || strftime(previous_template_at, '%Y-%m-%d %H:%M:%S') || ' UTC' as detail
    from with_last_inbound
    where previous_template_at > sent_at_utc - interval 24 hour
      and (last_inbound_at is null or last_inbound_at < previous_template_at)

),

same_content as (

    select 'same_content_over_5_per_month', customer_key, max(message_id), max(sent_at_utc), max(sent_date_local),
           template_name, count(*)::integer, 'month ' || strftime(date_trunc('month', sent_date_local), '%Y-%m')
    from templates
    group by customer_key, template_name, date_trunc('month', sent_date_local)
    having count(*) > 5

),

promotions as (

    select 'promotion_over_1_per_week', customer_key, message_id, sent_at_utc, sent_date_local,
           template_name, 2, 'previous marketing template ' || strftime(previous_marketing_at, '%Y-%m-%d %H:%M:%S') || ' UTC'
    from sequenced
    where template_category = 'marketing' and previous_marketing_at > sent_at_utc - interval 7 day

),

service_repeats as (

    select 'duplicate_service_notification', customer_key, message_id, sent_at_utc, sent_date_local,
           template_name, 2, 'same template ' || strftime(previous_same_at, '%Y-%m-%d %H:%M:%S') || ' UTC'
    from sequenced
    where template_category = 'utility' and previous_same_at > sent_at_utc - interval 6 hour

),

daily_cap as (

    select 'daily_cap_exceeded', null::varchar, null::varchar, max(sent_at_utc), sent_date_local,
           null::varchar, count(*)::integer, 'cap ' || {{ var('daily_template_cap') }}
    from templates
    group by sent_date_local
    having count(*) > {{ var('daily_template_cap') }}

),

bots as (

    select m.customer_key, m.message_id, m.sent_at_utc, m.sent_date_local, m.automation_id
    from {{ ref('int_conversations__messages') }} as m
    where m.actor = 'bot' and not m.is_csat_survey

),

humans as (

    select customer_key, sent_at_utc from {{ ref('int_conversations__messages') }} where actor = 'human'

),

paused as (

    select 'automation_during_human_pause', b.customer_key, b.message_id, b.sent_at_utc, b.sent_date_local,
           b.automation_id, 1, 'agent message ' || strftime(h.sent_at_utc, '%Y-%m-%d %H:%M:%S') || ' UTC'
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
        violation_kind || '|' || coalesce(customer_key, '') || '|' || coalesce(message_id, '')
        || '|' || coalesce(sent_date_local::varchar, '') || '|' || coalesce(detail, '')
    ) as violation_id,
    violation_kind,
    customer_key,
    message_id,
    sent_at_utc,
    sent_date_local as violation_date,
    template_name,
    occurrences,
    detail
from unioned
