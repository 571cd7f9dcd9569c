-- Every WhatsApp error object from all three places it can appear (R6, R33):
--   value    value.errors[] of any webhook field (system/app/account level; cannot be tied to
--            a message in the batch)
--   message  messages[].errors[] (inbound unsupported / unknown messages)
--   status   statuses[].errors[] (outbound failures; the error codes R6 asks to record)
-- Legacy payloads put `details` at the top level instead of under error_data: both are read.

with

value_errors as (

    select
        c.change_key || ':v' || e.error_index as error_event_key,
        'value' as error_location,
        c.receipt_id,
        c.loaded_at,
        c.field,
        null::varchar as message_id,
        null::varchar as status,
        coalesce(c.entry_time, c.received_at) as occurred_at,
        e.error_index::integer as error_index,
        e.error
    from {{ ref('stg_whatsapp__changes') }} as c,
        unnest({{ json_list('c.value', '$.errors') }}) with ordinality as e(error, error_index)
    where c.errors_count > 0

),

message_errors as (

    select
        m.message_event_key || ':x' || e.error_index as error_event_key,
        'message' as error_location,
        m.receipt_id,
        m.loaded_at,
        'messages' as field,
        m.message_id,
        null::varchar as status,
        m.message_at as occurred_at,
        e.error_index::integer as error_index,
        e.error
    from {{ ref('stg_whatsapp__messages') }} as m,
        unnest({{ json_list('m.message', '$.errors') }}) with ordinality as e(error, error_index)
    where m.errors_count > 0

),

status_errors as (

    select
        s.status_event_key || ':x' || e.error_index as error_event_key,
        'status' as error_location,
        s.receipt_id,
        s.loaded_at,
        'messages' as field,
        s.message_id,
        s.status,
        s.status_at as occurred_at,
        e.error_index::integer as error_index,
        e.error
    from {{ ref('stg_whatsapp__statuses') }} as s,
        unnest({{ json_list('s.errors', '$') }}) with ordinality as e(error, error_index)
    where s.errors_count > 0

),

unioned as (

    select * from value_errors
    union all
    select * from message_errors
    union all
    select * from status_errors

)

select
    error_event_key,
    error_location,
    receipt_id,
    loaded_at,
    field,
    message_id,
    status,
    occurred_at,
    error_index,
    try_cast(error ->> 'code' as integer) as error_code,
    error ->> 'title' as error_title,
    error ->> 'message' as error_message,
    coalesce(error -> 'error_data' ->> 'details', error ->> 'details') as error_details,
    error ->> 'href' as error_href,
    error
from unioned
