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
    where {{ rows_not_yet_built() }}
    {% endif %}

),

pairs as (

    -- every entry x change of each POST in order, from one typed parse of each body (the bodies
    -- are the biggest thing in the warehouse: no self-join, no re-parse of entries or changes);
    -- each change's value comes back as raw JSON. The body text is parsed, not the `payload`
    -- column: that is a generated cast to JSON, which would validate (parse) every body once more.
    select
        receipt_id,
        file,
        line_no,
        received_at,
        loaded_at,
        signature,
        body,
        envelope.object as object,
        flatten(list_transform(
            coalesce(envelope.entry, []),
            lambda entry, entry_index: list_transform(
                coalesce(entry.changes, []),
                lambda change, change_index: struct_pack(
                    entry_index := entry_index, change_index := change_index,
                    waba_id := entry.id, entry_time := entry.time, field := change.field, value := change.value
                )
            )
        )) as pairs
    from (
        select
            *,
            json_transform(body, '{
                "object": "VARCHAR",
                "entry": [{"id": "VARCHAR", "time": "VARCHAR", "changes": [{"field": "VARCHAR", "value": "JSON"}]}]
            }') as envelope
        from receipts
    )

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
        p.waba_id,
        to_timestamp(try_cast(p.entry_time as double)) as entry_time,
        p.field,
        -- the typed parse gives SQL null for `"value": null` as for a missing value; only then
        -- (rare) the body is read again to keep a JSON null as JSON
        coalesce(
            p.value,
            json_extract(body, '$.entry[' || (p.entry_index - 1) || '].changes[' || (p.change_index - 1) || '].value')
        ) as value
    from (
        -- a POST without any change keeps one row of nulls
        select *, unnest(case when len(pairs) = 0 then [null] else pairs end) as p
        from pairs
    )

),

described as (

    -- one typed parse of the value for the metadata and the array lengths (an array typed as
    -- ["NULL"] keeps its length and nothing else; a non-array gives null, counted as 0)
    select
        *,
        json_transform(value, '{
            "messaging_product": "VARCHAR",
            "metadata": {"display_phone_number": "VARCHAR", "phone_number_id": "VARCHAR"},
            "contacts": ["NULL"], "messages": ["NULL"], "statuses": ["NULL"], "errors": ["NULL"], "message_echoes": ["NULL"]
        }') as v
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
    v.messaging_product,
    v.metadata.display_phone_number,
    v.metadata.phone_number_id,
    coalesce(len(v.contacts), 0)::integer as contacts_count,
    coalesce(len(v.messages), 0)::integer as messages_count,
    coalesce(len(v.statuses), 0)::integer as statuses_count,
    coalesce(len(v.errors), 0)::integer as errors_count,
    coalesce(len(v.message_echoes), 0)::integer as message_echoes_count,
    value,
    {{ build_stamp() }} as built_at
from described
