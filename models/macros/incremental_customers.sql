{#-
  Incremental models keyed on the loader's load time: the watermark is the model's own
  max(last_loaded_at) (the newest fct_messages.last_loaded_at it has seen); every message loaded or
  updated since has a newer fct_messages.last_loaded_at, so what a model recomputes from it is a
  superset of what changed. After a rule or seed change run a full refresh.
-#}
{#- The model's load watermark; '-infinity' (recompute everything) when the built table predates the
    last_loaded_at column (the first run after upgrading; the column is then appended). -#}
{% macro load_watermark() -%}
    {%- set names = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- if 'last_loaded_at' in names -%}
        (select coalesce(max(last_loaded_at), '-infinity'::timestamptz) from {{ this }})
    {%- else -%}
        ('-infinity'::timestamptz)
    {%- endif -%}
{%- endmacro %}

{#- Per customer, the send time of their earliest inbound message loaded or changed since the
    model's watermark (int_messages__costed, fct_outbound_funnel: a new inbound message can only
    change the fee or the reply of sends around it). -#}
{% macro earliest_new_inbound(messages_relation) -%}
    select customer_key, min(sent_at_utc) as since
    from {{ messages_relation }}
    where direction = 'inbound' and customer_key is not null and last_loaded_at > {{ load_watermark() }}
    group by all
{%- endmacro %}
