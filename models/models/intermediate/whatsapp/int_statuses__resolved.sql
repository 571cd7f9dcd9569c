{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='message_id',
    )
}}

-- One row per outbound message id seen in status webhooks: the delivery state resolved from
-- events that arrive duplicated and out of order.
--   1. dedup by (message_id, status): each state's FIRST timestamp is kept, copies counted;
--   2. the furthest state wins by rank, never by arrival order: sent(1) < delivered(2) < read(3)
--      < played(4, first play of a voice message). A late `sent` after `delivered` does not
--      downgrade; a `read` without `delivered` is normal (Meta skips delivered when both happen
--      at once) and counts as delivered;
--   3. `failed` is the result only when nothing beyond `sent` was seen; its error is kept either
--      way (R6: error codes are recorded).
-- Pricing comes from the one status that carries it (sent, or one of delivered/read).

with

events as (

    select * from {{ ref('stg_whatsapp__statuses') }}
    where message_id is not null and status is not null
    {% if is_incremental() %}
      -- every event of each message id with anything loaded since the last run
      and message_id in (select message_id from {{ ref('stg_whatsapp__statuses') }} where loaded_at > {{ load_watermark() }})
    {% endif %}

),

ranked_events as (

    select
        message_id,
        status,
        status_event_key,
        loaded_at,
        case status
            when 'sent' then 1
            when 'delivered' then 2
            when 'read' then 3
            when 'played' then 4
        end as status_rank,
        -- deterministic "first" order: state rank, then event time, then position
        (coalesce(case status when 'sent' then 1 when 'delivered' then 2 when 'read' then 3 when 'played' then 4 end, 9),
         coalesce(status_at, 'infinity'::timestamptz), status_event_key) as by_rank,
        (status <> 'failed', coalesce(status_at, 'infinity'::timestamptz), status_event_key) as failed_first,
        status_at,
        errors_count,
        first_error_code,
        errors,
        pricing_category, pricing_type, pricing_model, pricing_billable,
        conversation_id, conversation_category,
        recipient_wa_id, recipient_user_id, recipient_type,
        biz_opaque_callback_data
    from events

),

resolved as (

    -- one pass per message id: step 1's dedup by (message_id, status) only shows in the counts
    -- (each state's first timestamp is the min over its copies anyway); the objects that only some
    -- statuses carry come each from the first event that has it
    select
        message_id,
        max(status_rank) as furthest_rank,
        min(status_at) filter (where status = 'sent') as sent_at,
        min(status_at) filter (where status = 'delivered') as delivered_at,
        min(status_at) filter (where status = 'read') as read_at,
        min(status_at) filter (where status = 'played') as played_at,
        min(status_at) filter (where status = 'failed') as failed_at,
        min(status_at) as first_status_at,
        bool_or(status = 'failed') as has_failed_event,
        -- no DISTINCT aggregate: it costs a second hash table per message id (more than all
        -- the other aggregates together); the five known states are flags, the rest is rare
        list_sort(list_distinct(list(status) filter (where status_rank is null and status <> 'failed'))) as other_statuses,
        count(*)::integer as status_events,
        bool_or(status = 'sent')::integer + bool_or(status = 'delivered')::integer + bool_or(status = 'read')::integer
            + bool_or(status = 'played')::integer + bool_or(status = 'failed')::integer as known_statuses,
        max(loaded_at) as last_loaded_at,
        arg_min({'code': first_error_code, 'errors': errors}, failed_first) filter (where errors_count > 0) as err,
        arg_min({'category': pricing_category, 'type': pricing_type, 'model': pricing_model, 'billable': pricing_billable}, by_rank)
            filter (where pricing_category is not null or pricing_type is not null or pricing_model is not null) as pricing,
        arg_min({'id': conversation_id, 'category': conversation_category}, by_rank)
            filter (where conversation_id is not null or conversation_category is not null) as conversation,
        arg_min({'wa_id': recipient_wa_id, 'user_id': recipient_user_id, 'type': recipient_type}, by_rank)
            filter (where recipient_wa_id is not null or recipient_user_id is not null or recipient_type is not null) as recipient,
        arg_min(biz_opaque_callback_data, by_rank) filter (where biz_opaque_callback_data is not null) as biz_opaque_callback_data
    from ranked_events
    group by message_id

)

select
    message_id,
    case
        when has_failed_event and coalesce(furthest_rank, 0) <= 1 then 'failed'
        when furthest_rank = 4 then 'played'
        when furthest_rank = 3 then 'read'
        when furthest_rank = 2 then 'delivered'
        when furthest_rank = 1 then 'sent'
        else 'unknown'
    end as status,
    sent_at,
    delivered_at,
    read_at,
    played_at,
    failed_at,
    first_status_at,
    coalesce(furthest_rank, 0) >= 2 as is_delivered,
    coalesce(furthest_rank, 0) >= 3 as is_read,
    has_failed_event,
    coalesce((sent_at > coalesce(delivered_at, read_at, played_at)) or (delivered_at > read_at), false) as has_inverted_timestamps,
    other_statuses,
    err.code as error_code,
    err.errors as errors,
    pricing.category as pricing_category,
    pricing.type as pricing_type,
    pricing.model as pricing_model,
    pricing.billable as pricing_billable,
    conversation.id as conversation_id,
    conversation.category as conversation_category,
    recipient.wa_id as recipient_wa_id,
    recipient.user_id as recipient_user_id,
    recipient.type as recipient_type,
    biz_opaque_callback_data,
    status_events,
    (known_statuses + coalesce(len(other_statuses), 0))::integer as distinct_statuses,
    (status_events - distinct_statuses)::integer as duplicate_status_events,
    last_loaded_at,
    {{ build_stamp() }} as built_at
from resolved
