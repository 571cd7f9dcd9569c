{{
    config(
        materialized='incremental',
        incremental_strategy='append',
    )
}}

-- Coexistence echoes (`field: smb_message_echoes`): messages the business sent from the WhatsApp
-- Business app, every entry[] x changes[] x value.message_echoes[]. Timestamps may be strings or
-- integers. `revoke` / `edit` echoes point at the original message.

with

changes as (

    select * from {{ ref('stg_whatsapp__changes') }}
    where message_echoes_count > 0
    {% if is_incremental() %}
      and {{ rows_not_yet_built() }}
    {% endif %}

),

exploded as (

    select
        c.change_key,
        c.receipt_id,
        c.file,
        c.line_no,
        c.received_at,
        c.loaded_at,
        c.waba_id,
        c.phone_number_id,
        c.entry_index,
        c.change_index,
        e.echo_index::integer as echo_index,
        e.echo
    from changes as c,
        unnest({{ json_list('c.value', '$.message_echoes') }}) with ordinality as e(echo, echo_index)

)

select
    change_key || ':e' || echo_index as echo_event_key,
    echo ->> 'id' as message_id,
    receipt_id,
    file,
    line_no,
    received_at,
    loaded_at,
    waba_id,
    phone_number_id,
    entry_index,
    change_index,
    echo_index,
    echo ->> 'from' as from_raw,
    echo ->> 'to' as to_raw,
    nullif(regexp_replace(coalesce(echo ->> 'to', ''), '[^0-9]', '', 'g'), '') as to_wa_id,
    echo ->> 'to_user_id' as to_user_id,
    {{ wa_unix_ts('echo', '$.timestamp') }} as message_at,
    echo ->> 'type' as message_type,
    coalesce(
        echo -> 'text' ->> 'body',
        echo -> 'image' ->> 'caption',
        echo -> 'video' ->> 'caption',
        echo -> 'document' ->> 'caption',
        echo -> 'edit' -> 'message' -> 'text' ->> 'body'
    ) as text,
    coalesce(
        echo -> 'edit' ->> 'original_message_id',
        echo -> 'revoke' ->> 'original_message_id'
    ) as original_message_id,
    json_extract(echo, '$."' || coalesce(echo ->> 'type', '') || '"') as type_body,
    echo as message_echo
from exploded
