{#-
  Per-customer incremental models (int_conversations__messages, int_conversations__exchanges,
  int_messages__costed): the customer keys whose messages may have changed since the model was last
  built. The watermark is the model's own max(last_loaded_at) (the newest fct_messages.last_loaded_at
  it has seen); every message loaded or updated since has a newer fct_messages.last_loaded_at, so
  the set is a superset of what changed. `old_keys_by_message`: also the customer keys the model
  still holds for those messages (a message re-keyed to another customer leaves its old one).
  Keyed on the loader's load time, like fct_messages; after a rule or seed change run a full refresh.
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

{% macro touched_customers(source_relation, old_keys_by_message=false) -%}
    {%- set watermark = load_watermark() -%}
    select customer_key
    from {{ source_relation }}
    where last_loaded_at > {{ watermark }} and customer_key is not null
    {% if old_keys_by_message %}
    union
    select t.customer_key
    from {{ this }} as t
    inner join {{ source_relation }} as f on f.message_id = t.message_id
    where f.last_loaded_at > {{ watermark }} and t.customer_key is not null
    {% endif %}
{%- endmacro %}
