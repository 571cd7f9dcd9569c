{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='sync_all_columns',
    )
}}

-- Outbound message status events: every entry[] x changes[] x value.statuses[] of `messages`
-- webhooks (never [0]), one row per element as delivered. Duplicates and out-of-order events are
-- kept here; int_statuses__resolved deduplicates by (message_id, status) and resolves the order.
-- `calls` webhooks also carry a statuses[] array (call states); those stay in
-- stg_whatsapp__changes and are not message statuses.

with

changes as (

    select * from {{ ref('stg_whatsapp__changes') }}
    where field = 'messages' and statuses_count > 0
    {% if is_incremental() %}
      and {{ rows_not_yet_built() }}
    {% endif %}

),

parsed as (

    -- one typed parse of the change (lenient: missing keys give null); only `errors` comes back as
    -- raw JSON (the whole elements are in raw.webhook_receipts: a second parse of every change and
    -- a stored copy of every element cost more than the rest of this model)
    select
        c.*,
        json_transform(c.value, '{
            "statuses": [{
                "id": "VARCHAR", "status": "VARCHAR", "timestamp": "VARCHAR",
                "recipient_id": "VARCHAR", "recipient_type": "VARCHAR", "recipient_user_id": "VARCHAR",
                "parent_recipient_user_id": "VARCHAR", "recipient_participant_id": "VARCHAR",
                "biz_opaque_callback_data": "VARCHAR",
                "conversation": {"id": "VARCHAR", "expiration_timestamp": "VARCHAR", "origin": {"type": "VARCHAR"}},
                "pricing": {"billable": "VARCHAR", "pricing_model": "VARCHAR", "type": "VARCHAR", "category": "VARCHAR"},
                "errors": "JSON"
            }]
        }') as v
    from changes as c

),

exploded as (

    select
        change_key,
        receipt_id,
        file,
        line_no,
        received_at,
        loaded_at,
        waba_id,
        phone_number_id,
        entry_index,
        change_index,
        unnest(v.statuses) as s,
        generate_subscripts(v.statuses, 1)::integer as status_index
    from parsed

)

select
    change_key || ':s' || status_index as status_event_key,
    s.id as message_id,
    lower(s.status) as status,
    to_timestamp(try_cast(s.timestamp as double)) as status_at,
    receipt_id,
    file,
    line_no,
    received_at,
    loaded_at,
    waba_id,
    phone_number_id,
    entry_index,
    change_index,
    status_index,

    -- recipient: a phone (wa_id digits), a BSUID, or a group
    s.recipient_id as recipient_id,
    s.recipient_type as recipient_type,
    case
        when coalesce(s.recipient_type, 'individual') <> 'group'
            then nullif(regexp_replace(coalesce(s.recipient_id, ''), '[^0-9]', '', 'g'), '')
    end as recipient_wa_id,
    s.recipient_user_id as recipient_user_id,
    s.parent_recipient_user_id as recipient_parent_user_id,
    s.recipient_participant_id as recipient_participant_id,
    s.biz_opaque_callback_data as biz_opaque_callback_data,

    -- conversation (absent from v24.0 unless free entry point)
    s.conversation.id as conversation_id,
    to_timestamp(try_cast(s.conversation.expiration_timestamp as double)) as conversation_expires_at,
    {{ wa_category("s.conversation.origin.type") }} as conversation_category,

    -- pricing (only on `sent` and one of delivered/read); category spelling unified
    try_cast(s.pricing.billable as boolean) as pricing_billable,
    s.pricing.pricing_model as pricing_model,
    lower(s.pricing.type) as pricing_type,
    {{ wa_category("s.pricing.category") }} as pricing_category,

    coalesce(json_array_length(s.errors), 0)::integer as errors_count,
    try_cast(json_extract_string(s.errors, '$[0].code') as integer) as first_error_code,
    case when json_array_length(s.errors) > 0 then s.errors end as errors,
    {{ build_stamp() }} as built_at
from exploded
