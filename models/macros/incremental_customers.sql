{#-
  Per-customer incremental models (int_messages__costed, fct_outbound_funnel; the conversation
  models use the replace_tail strategy): the customer keys whose messages may have changed since
  the model was last built. The watermark is the model's own max(last_loaded_at) (the newest
  fct_messages.last_loaded_at it has seen); every message loaded or updated since has a newer
  fct_messages.last_loaded_at, so the set is a superset of what changed.
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

{% macro touched_customers(source_relation) -%}
    {%- set watermark = load_watermark() -%}
    select customer_key
    from {{ source_relation }}
    where last_loaded_at > {{ watermark }} and customer_key is not null
{%- endmacro %}
