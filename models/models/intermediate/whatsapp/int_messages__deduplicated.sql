{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='message_id',
        on_schema_change='sync_all_columns',
    )
}}

-- Inbound messages, one row per WhatsApp message id. Meta retries and duplicates deliveries
-- for up to 7 days; the first landed copy is kept (earliest load, then receipt, then position)
-- and every extra copy is counted in duplicate_deliveries, so reconciliation can prove that
-- every landed message is accounted for (R3).

with

-- read twice (counts, then the kept copies): not materialized, since a materialized copy of every
-- wide staging row costs more than scanning the table again
messages as not materialized (

    select * from {{ ref('stg_whatsapp__messages') }}
    where message_id is not null
    {% if is_incremental() %}
      -- every event of each message id with anything loaded since the last run
      and message_id in (select message_id from {{ ref('stg_whatsapp__messages') }} where loaded_at > {{ load_watermark() }})
    {% endif %}

),

-- narrow first: pick the kept copy by key, then fetch only that row (sorting wide rows is slow)
counts as (

    select
        message_id,
        arg_min(
            message_event_key,
            (loaded_at, received_at, receipt_id, entry_index, change_index, message_index)
        ) as kept_event_key,
        count(*) as deliveries,
        len(list_distinct(list(receipt_id))) as delivering_receipts, -- cheaper than a DISTINCT aggregate
        min(received_at) as first_received_at,
        max(received_at) as last_received_at,
        max(loaded_at) as last_loaded_at
    from messages
    group by message_id

),

ranked as (

    select m.*, c.* exclude (message_id)
    from messages as m
    inner join counts as c on c.kept_event_key = m.message_event_key

)

select
    message_id,
    message_event_key,
    receipt_id,
    file,
    line_no,
    waba_id,
    phone_number_id,
    wa_id,
    user_id,
    parent_user_id,
    case when wa_id is not null then '+' || wa_id else user_id end as customer_key,
    case when wa_id is not null then 'phone' when user_id is not null then 'bsuid' end as customer_key_type,
    profile_name,
    group_id,
    message_at,
    message_type,
    text,
    interactive_type,
    interactive_reply_id,
    button_payload,
    reaction_message_id,
    reaction_emoji,
    media_id,
    is_voice,
    unsupported_type,
    original_message_id,
    context_message_id,
    is_forwarded,
    referral_source_id,
    referral_source_type,
    referral_ctwa_clid,
    errors_count,
    deliveries::integer as deliveries,
    (deliveries - 1)::integer as duplicate_deliveries,
    delivering_receipts::integer as delivering_receipts,
    first_received_at,
    last_received_at,
    loaded_at as first_loaded_at,
    last_loaded_at,
    {{ build_stamp() }} as built_at
from ranked
