{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='message_id',
    )
}}

-- depends_on: {{ ref('int_customers__identity') }}

-- One row per outbound message with its delivery funnel (R6, R21, R24, R28):
-- sent -> delivered -> read -> replied within 72 h (var reply_window_hours; Interakt's "replied
-- within 72 h"), failures with Meta's error code and label, and the message's Meta fee (R32).
-- Stages are cumulative: read implies delivered (Meta sometimes skips the `delivered` status).
-- replied: the customer's next inbound message (any type) came within 72 h of the send; a message
-- followed by another send before the reply still counts (each send is credited).
-- Incremental (delete+insert by message_id): a message's funnel depends only on itself, its fee
-- (int_messages__costed: sends after a new inbound message) and its customer's next inbound message
-- (a reply counts within 72 h). Recomputed: outbound messages fct_messages wrote since the last run
-- (new, changed or re-keyed), and each customer's outbound messages sent at or after 72 h before
-- their earliest inbound message written since, for the customer it now has and any it may have had
-- before (macro messages_written_since).

with

{% if is_incremental() %}
new_inbound as materialized (

    {{ earliest_new_inbound() }}

),
{% endif %}

outbound as (

    select m.*
    from {{ ref('fct_messages') }} as m
    {% if is_incremental() %}
    left join new_inbound as n on n.customer_key = m.customer_key
    {% endif %}
    where m.direction = 'outbound'
    {% if is_incremental() %}
      and (m.built_at > {{ build_watermark() }}
           or m.sent_at_utc >= n.since - interval {{ var('reply_window_hours') }} hour)
    {% endif %}

),

inbound as (

    select i.customer_key, i.sent_at_utc, i.message_id
    from {{ ref('fct_messages') }} as i
    {% if is_incremental() %}
    -- only the next inbound message after a recomputed send matters
    inner join (select customer_key, min(sent_at_utc) as since from outbound group by all) as o
        on o.customer_key = i.customer_key and i.sent_at_utc > o.since
    {% endif %}
    where i.direction = 'inbound' and i.customer_key is not null

),

errors as (

    select * from {{ ref('meta_error_codes') }}

),

costs as (

    select message_id, pricing_category, billing, cost_usd, cost_business from {{ ref('int_messages__costed') }}
    {% if is_incremental() %}
    -- a semi join builds its hash table on the recomputed sends, not on every costed message
    where message_id in (select message_id from outbound)
    {% endif %}

)

select
    o.message_id,
    o.customer_key,
    o.sent_at_utc,
    o.sent_date_local,
    o.sent_hour_local,
    o.sent_weekday_local,
    o.sender_kind,
    o.agent_id,
    o.automation_id,
    o.template_name,
    o.template_category,
    o.campaign_id,
    o.message_type,
    o.status,
    o.status <> 'failed' and (o.status_sent_at is not null or o.is_delivered) as is_sent,
    coalesce(o.is_delivered, false) as is_delivered,
    coalesce(o.is_read, false) as is_read,
    o.status = 'failed' as is_failed,
    o.status = 'unknown' as is_status_pending,
    n.sent_at_utc is not null and n.sent_at_utc <= o.sent_at_utc + interval {{ var('reply_window_hours') }} hour as is_replied,
    case when n.sent_at_utc <= o.sent_at_utc + interval {{ var('reply_window_hours') }} hour then n.message_id end as reply_message_id,
    case when n.sent_at_utc <= o.sent_at_utc + interval {{ var('reply_window_hours') }} hour
         then epoch(n.sent_at_utc) - epoch(o.sent_at_utc) end as reply_after_seconds,
    o.delivered_at,
    o.read_at,
    epoch(o.read_at) - epoch(o.sent_at_utc) as read_after_seconds,
    o.read_at is not null and o.read_at <= o.sent_at_utc + interval {{ var('unread_after_hours') }} hour as is_read_within_24h,
    o.failed_at,
    o.error_code,
    case when o.status = 'failed' then coalesce(e.error_label, 'Unknown error') end as error_label,
    c.pricing_category,
    c.billing,
    coalesce(c.cost_usd, 0) as cost_usd,
    coalesce(c.cost_business, 0) as cost_business,
    o.last_loaded_at,
    {{ build_stamp() }} as built_at
from outbound as o
-- the first inbound message after each send: a row-preserving ASOF join, not a lookup joined back
asof left join inbound as n on n.customer_key = o.customer_key and n.sent_at_utc > o.sent_at_utc
left join errors as e on e.error_code = o.error_code
left join costs as c on c.message_id = o.message_id
