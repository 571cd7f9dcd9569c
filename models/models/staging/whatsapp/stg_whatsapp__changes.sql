{{
    config(
        materialized='incremental',
        incremental_strategy='append',
    )
}}

-- One row per landed POST x entry[] x changes[] (never [0]); every `field` is kept, known or
-- not, with its `value` as raw JSON. A POST whose envelope has no entry or no change still gets
-- one row (entry_index / change_index null), so nothing landed is dropped (R3).
-- Incremental: receipts are append-only; new receipts are those not yet exploded.

with

receipts as (

    select * from {{ source('raw', 'webhook_receipts') }}
    {% if is_incremental() %}
    where {{ receipts_not_yet_built() }}
    {% endif %}

),

pairs as (

    -- every entry x change of each POST in order, in one pass over each body (no self-join: the
    -- bodies are the biggest thing in the warehouse)
    select
        receipt_id,
        file,
        line_no,
        received_at,
        loaded_at,
        signature,
        json_extract_string(payload, '$.object') as object,
        flatten(list_transform(
            {{ json_list('payload', '$.entry') }},
            lambda entry, entry_index: list_transform(
                {{ json_list('entry', '$.changes') }},
                lambda change, change_index: struct_pack(
                    entry_index := entry_index, change_index := change_index, entry := entry, change := change
                )
            )
        )) as pairs
    from receipts

),

exploded as (

    select
        receipt_id,
        file,
        line_no,
        received_at,
        loaded_at,
        signature,
        object,
        p.entry_index::integer as entry_index,
        p.change_index::integer as change_index,
        json_extract_string(p.entry, '$.id') as waba_id,
        {{ wa_unix_ts('p.entry', '$.time') }} as entry_time,
        -- one parse of the change for its two parts
        json_extract(p.change, ['$.field', '$.value']) as parts
    from (
        -- a POST without any change keeps one row of nulls
        select *, unnest(case when len(pairs) = 0 then [null] else pairs end) as p
        from pairs
    )

),

described as (

    select
        *,
        parts[1] ->> '$' as field,
        parts[2] as value,
        json_extract_string(parts[2], ['$.messaging_product', '$.metadata.display_phone_number', '$.metadata.phone_number_id']) as meta,
        json_array_length(parts[2], ['$.contacts', '$.messages', '$.statuses', '$.errors', '$.message_echoes']) as counts
    from exploded

)

select
    receipt_id || ':' || coalesce(entry_index::varchar, '-') || ':' || coalesce(change_index::varchar, '-') as change_key,
    receipt_id,
    file,
    line_no,
    received_at,
    loaded_at,
    signature,
    object,
    entry_index,
    change_index,
    waba_id,
    entry_time,
    field,
    meta[1] as messaging_product,
    meta[2] as display_phone_number,
    meta[3] as phone_number_id,
    coalesce(counts[1], 0)::integer as contacts_count,
    coalesce(counts[2], 0)::integer as messages_count,
    coalesce(counts[3], 0)::integer as statuses_count,
    coalesce(counts[4], 0)::integer as errors_count,
    coalesce(counts[5], 0)::integer as message_echoes_count,
    value
from described
