{#- int_conversations__messages' tail_cutoffs: per customer of a stored conversation message that
    fct_messages wrote again since the model's last build, the earliest such message's session start,
    under the stored customer. A re-keyed message leaves its old customer, whose sessions change from
    there (a conversation may lose its only inbound message and vanish) even when the model emits no
    row for them. Evaluated before the table changes, so the watermark is the last run's. -#}
{% macro conversation_message_cutoffs() -%}
    select t.customer_key, min(t.session_started_at) as tail_from
    from {{ this }} as t
    inner join {{ ref('fct_messages') }} as f on f.message_id = t.message_id
    where f.built_at > {{ build_watermark() }}
    group by all
{%- endmacro %}

{#- tail_cutoffs of the models rolled up from conversation messages: a stored row whose message
    (`message_column`) int_conversations__messages now holds under another customer (re-keyed since
    this model's last build) is replaced, with the rest of its old customer's tail from its start
    (`start_column`). Every later row of that customer is emitted again: int_conversations__messages
    rewrote the customer's sessions from before that message. -#}
{% macro moved_rows_cutoffs(message_column, start_column) -%}
    select t.customer_key, min(t.{{ start_column }}) as tail_from
    from {{ this }} as t
    inner join {{ ref('int_conversations__messages') }} as m on m.message_id = t.{{ message_column }}
    where m.built_at > {{ build_watermark() }} and m.customer_key <> t.customer_key
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
