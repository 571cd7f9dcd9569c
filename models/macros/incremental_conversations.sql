{#- int_conversations__messages' tail_cutoffs: per customer of a stored conversation message that
    fct_messages wrote again since the model's last build, the earliest such message's session start,
    under the stored customer. A re-keyed message leaves its old customer, whose sessions change from
    there (a conversation may lose its only inbound message and vanish) even when the model emits no
    row for them. Evaluated before the table changes, so the watermark is the last run's. -#}
{% macro conversation_message_cutoffs() -%}
    select customer_key, min(session_started_at) as tail_from
    from {{ this }}
    -- a semi join builds its hash table on the messages written since, not on every stored row
    where message_id in (select message_id from {{ ref('fct_messages') }} where built_at > {{ build_watermark() }})
    group by all
{%- endmacro %}

{#- tail_cutoffs of the models rolled up from conversation messages: a stored row whose message
    (`message_column`) int_conversations__messages now holds under another customer (re-keyed since
    this model's last build) is replaced, with the rest of its old customer's tail from its start
    (`start_column`). Every later row of that customer is emitted again: int_conversations__messages
    rewrote the customer's sessions from before that message. -#}
{% macro moved_rows_cutoffs(message_column, start_column) -%}
    with written as materialized (
        select message_id, customer_key from {{ ref('int_conversations__messages') }} where built_at > {{ build_watermark() }}
    )
    select t.customer_key, min(t.{{ start_column }}) as tail_from
    from {{ this }} as t
    inner join written as w on w.message_id = t.{{ message_column }}
    -- the semi join first: a plain join built its hash table on every stored row (0.5 s at 1M messages)
    where t.{{ message_column }} in (select message_id from written) and w.customer_key <> t.customer_key
    group by all
{%- endmacro %}

{#- int_conversations__exchanges: an exchange moves with its first customer message. -#}
{% macro exchange_cutoffs() -%}
    {{ moved_rows_cutoffs('first_customer_message_id', 'waiting_since') }}
{%- endmacro %}

{#- fct_conversations: a conversation moves with its opening message. -#}
{% macro conversation_cutoffs() -%}
    {{ moved_rows_cutoffs('opening_message_id', 'started_at_utc') }}
{%- endmacro %}
