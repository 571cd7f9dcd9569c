{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='message_id',
    )
}}

-- depends_on: {{ ref('stg_whatsapp__messages') }}
-- depends_on: {{ ref('stg_whatsapp__statuses') }}

-- One row per WhatsApp message, both directions (R3, R21): the analyst contract.
--   inbound       customer -> business, from webhooks, deduplicated (int_messages__deduplicated);
--   outbound_log  business -> customer, from the outbound message log, with its resolved status;
--   smb_echo      sent by staff from the WhatsApp Business app (coexistence echoes);
--   status_only   outbound messages seen only in status webhooks (sent from the app/Manager, or
--                 before the pipeline existed, or the log row has not landed yet).
-- A message id is placed once, by precedence inbound > outbound_log > smb_echo > status_only.
-- Times are stored in UTC; local date/hour/weekday use the business time zone (to_local_time).
-- Incremental: rows for every message id touched by data loaded after the last run are
-- recomputed from all of that id's rows in the sources (a late `read` updates an old message), so
-- an incremental run gives what a full refresh gives. Every source is cut to the touched ids
-- first: a message's row depends only on its own id's rows and its identity. The identity of a
-- message known by a user id alone (no wa_id) is the identity map's key for that user id, which
-- new data can change (the user id seen next to a first or a newer wa_id): stored messages whose
-- user id appears in the new data and now resolves to another key are touched too.

with

{% if is_incremental() %}
{% set watermark %}(select coalesce(max(last_loaded_at), '-infinity'::timestamptz) from {{ this }}){% endset %}
loaded as materialized (

    -- message ids and user ids with anything loaded since the last run
    select message_id, user_id from {{ ref('stg_whatsapp__messages') }} where loaded_at > {{ watermark }}
    union all
    select message_id, recipient_user_id from {{ ref('stg_whatsapp__statuses') }} where loaded_at > {{ watermark }}
    union all
    select message_id, to_user_id from {{ ref('stg_whatsapp__message_echoes') }} where loaded_at > {{ watermark }}
    union all
    select message_id, recipient_user_id from {{ ref('stg_outbound__messages') }} where loaded_at > {{ watermark }}

),

rekeyed as (

    -- only a user id seen in the new data can resolve differently than when its messages were
    -- written, so only its stored messages are compared with the identity map
    select f.message_id
    from {{ this }} as f
    inner join {{ ref('int_customers__identity') }} as i
        on i.identity_source = 'bsuid' and i.identity_id = f.user_id
    where f.wa_id is null
      and f.user_id in (select user_id from loaded)
      and (f.customer_key is distinct from i.customer_key or f.customer_key_type is distinct from i.customer_key_type)

),

touched as materialized (

    select message_id from loaded
    union
    select message_id from rekeyed

),
{% endif %}

inbound as (

    select * from {{ ref('int_messages__deduplicated') }}
    {% if is_incremental() %}
    where message_id in (select message_id from touched)
    {% endif %}

),

statuses as (

    select * from {{ ref('int_statuses__resolved') }}
    {% if is_incremental() %}
    where message_id in (select message_id from touched)
    {% endif %}

),

outbound_log as (

    select *
    from {{ ref('stg_outbound__messages') }}
    {% if is_incremental() %}
    where message_id in (select message_id from touched)
    {% endif %}
    qualify row_number() over (partition by message_id order by loaded_at, file, line_no) = 1

),

echoes as (

    select
        *,
        count(*) over (partition by message_id) - 1 as duplicate_deliveries,
        max(loaded_at) over (partition by message_id) as last_loaded_at
    from {{ ref('stg_whatsapp__message_echoes') }}
    where message_id is not null
    {% if is_incremental() %}
      and message_id in (select message_id from touched)
    {% endif %}
    qualify row_number() over (partition by message_id order by loaded_at, received_at, receipt_id, entry_index, change_index, echo_index) = 1

),

identity as (

    select identity_source, identity_id, customer_key, customer_key_type
    from {{ ref('int_customers__identity') }}
    where identity_source in ('wa_id', 'bsuid')

),

inbound_rows as (

    select
        message_id,
        'inbound' as direction,
        'webhook' as message_source,
        wa_id,
        user_id,
        message_at as sent_at,
        'customer' as sender_kind,
        null::varchar as agent_id,
        null::varchar as automation_id,
        null::varchar as template_name,
        null::varchar as template_category,
        null::varchar as campaign_id,
        message_type,
        text,
        context_message_id as reply_to_message_id,
        referral_source_id,
        referral_ctwa_clid,
        'received' as status,
        null::timestamptz as status_sent_at,
        null::timestamptz as delivered_at,
        null::timestamptz as read_at,
        null::timestamptz as played_at,
        null::timestamptz as failed_at,
        null::boolean as is_delivered,
        null::boolean as is_read,
        null::integer as error_code,
        null::varchar as pricing_category,
        null::varchar as pricing_type,
        null::varchar as pricing_model,
        null::varchar as conversation_id,
        duplicate_deliveries,
        0 as status_events,
        last_loaded_at
    from inbound

),

outbound_log_rows as (

    select
        o.message_id,
        'outbound' as direction,
        'outbound_log' as message_source,
        coalesce(o.recipient_wa_id, s.recipient_wa_id) as wa_id,
        coalesce(o.recipient_user_id, s.recipient_user_id) as user_id,
        o.sent_at,
        o.sender_kind,
        o.agent_id,
        o.automation_id,
        o.template_name,
        o.template_category,
        o.campaign_id,
        o.message_type,
        o.text,
        o.reply_to_message_id,
        null::varchar as referral_source_id,
        null::varchar as referral_ctwa_clid,
        coalesce(s.status, 'unknown') as status,
        s.sent_at as status_sent_at,
        s.delivered_at,
        s.read_at,
        s.played_at,
        s.failed_at,
        coalesce(s.is_delivered, false) as is_delivered,
        coalesce(s.is_read, false) as is_read,
        s.error_code,
        s.pricing_category,
        s.pricing_type,
        s.pricing_model,
        s.conversation_id,
        coalesce(s.duplicate_status_events, 0) as duplicate_deliveries,
        coalesce(s.status_events, 0) as status_events,
        greatest(o.loaded_at, s.last_loaded_at) as last_loaded_at
    from outbound_log as o
    left join statuses as s on s.message_id = o.message_id

),

echo_rows as (

    select
        e.message_id,
        'outbound' as direction,
        'smb_echo' as message_source,
        coalesce(e.to_wa_id, s.recipient_wa_id) as wa_id,
        coalesce(e.to_user_id, s.recipient_user_id) as user_id,
        e.message_at as sent_at,
        'business_app' as sender_kind,
        null::varchar as agent_id,
        null::varchar as automation_id,
        null::varchar as template_name,
        null::varchar as template_category,
        null::varchar as campaign_id,
        e.message_type,
        e.text,
        e.original_message_id as reply_to_message_id,
        null::varchar as referral_source_id,
        null::varchar as referral_ctwa_clid,
        coalesce(s.status, 'unknown') as status,
        s.sent_at as status_sent_at,
        s.delivered_at,
        s.read_at,
        s.played_at,
        s.failed_at,
        coalesce(s.is_delivered, false) as is_delivered,
        coalesce(s.is_read, false) as is_read,
        s.error_code,
        s.pricing_category,
        s.pricing_type,
        s.pricing_model,
        s.conversation_id,
        e.duplicate_deliveries + coalesce(s.duplicate_status_events, 0) as duplicate_deliveries,
        coalesce(s.status_events, 0) as status_events,
        greatest(e.last_loaded_at, s.last_loaded_at) as last_loaded_at
    from echoes as e
    left join statuses as s on s.message_id = e.message_id
    where e.message_id not in (select message_id from outbound_log)
      and e.message_id not in (select message_id from inbound)

),

status_only_rows as (

    select
        s.message_id,
        'outbound' as direction,
        'status_only' as message_source,
        s.recipient_wa_id as wa_id,
        s.recipient_user_id as user_id,
        coalesce(s.sent_at, s.first_status_at) as sent_at,
        'unknown' as sender_kind,
        null::varchar as agent_id,
        null::varchar as automation_id,
        null::varchar as template_name,
        null::varchar as template_category,
        null::varchar as campaign_id,
        null::varchar as message_type,
        null::varchar as text,
        null::varchar as reply_to_message_id,
        null::varchar as referral_source_id,
        null::varchar as referral_ctwa_clid,
        s.status,
        s.sent_at as status_sent_at,
        s.delivered_at,
        s.read_at,
        s.played_at,
        s.failed_at,
        s.is_delivered,
        s.is_read,
        s.error_code,
        s.pricing_category,
        s.pricing_type,
        s.pricing_model,
        s.conversation_id,
        s.duplicate_status_events as duplicate_deliveries,
        s.status_events,
        s.last_loaded_at
    from statuses as s
    where s.message_id not in (select message_id from outbound_log)
      and s.message_id not in (select message_id from echoes)
      and s.message_id not in (select message_id from inbound)

),

unioned as (

    select * from inbound_rows
    union all
    select * from outbound_log_rows
    union all
    select * from echo_rows
    union all
    select * from status_only_rows

),


final as (

    select
        u.message_id,
        u.direction,
        u.message_source,
        coalesce(iw.customer_key, ib.customer_key, '+' || u.wa_id, u.user_id) as customer_key,
        coalesce(iw.customer_key_type, ib.customer_key_type,
                 case when u.wa_id is not null then 'phone' when u.user_id is not null then 'bsuid' end) as customer_key_type,
        u.wa_id,
        u.user_id,
        u.sent_at as sent_at_utc,
        {{ to_local_time('u.sent_at') }} as sent_at_local,
        cast({{ to_local_time('u.sent_at') }} as date) as sent_date_local,
        hour({{ to_local_time('u.sent_at') }})::integer as sent_hour_local,
        isodow({{ to_local_time('u.sent_at') }})::integer as sent_weekday_local,
        dayname({{ to_local_time('u.sent_at') }}) as sent_weekday_name_local,
        u.sender_kind,
        u.agent_id,
        u.automation_id,
        u.template_name,
        u.template_category,
        u.campaign_id,
        u.message_type,
        u.text,
        u.reply_to_message_id,
        u.referral_source_id,
        u.referral_ctwa_clid,
        u.status,
        u.status_sent_at,
        u.delivered_at,
        u.read_at,
        u.played_at,
        u.failed_at,
        u.is_delivered,
        u.is_read,
        u.error_code,
        u.pricing_category,
        u.pricing_type,
        u.pricing_model,
        u.conversation_id,
        u.duplicate_deliveries::integer as duplicate_deliveries,
        u.status_events::integer as status_events,
        u.last_loaded_at
    from unioned as u
    left join identity as iw on iw.identity_source = 'wa_id' and iw.identity_id = u.wa_id
    left join identity as ib on ib.identity_source = 'bsuid' and ib.identity_id = u.user_id and u.wa_id is null

)

select *, {{ build_stamp() }} as built_at from final
