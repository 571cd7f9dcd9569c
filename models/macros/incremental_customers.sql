{#-
  Incremental models keyed on the loader's load time: the watermark is the model's own
  max(last_loaded_at) (the newest fct_messages.last_loaded_at it has seen); every message loaded or
  updated since has a newer fct_messages.last_loaded_at, so what a model recomputes from it is a
  superset of what changed. After a rule or seed change run a full refresh.
-#}
{#- The model's load watermark: the one its last build recorded in the table comment (see
    record_load_watermark), else the newest last_loaded_at among its rows when it has that column;
    '-infinity' (recompute everything) when neither exists (the first run after upgrading). -#}
{% macro load_watermark() -%}
    {%- set names = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    (select coalesce(
        (select try_cast(regexp_extract(comment, 'load_watermark=(.+)', 1) as timestamptz)
         from duckdb_tables()
         where database_name = '{{ this.database }}' and schema_name = '{{ this.schema }}' and table_name = '{{ this.identifier }}'),
        {%- if 'last_loaded_at' in names %}
        (select max(last_loaded_at) from {{ this }}),
        {%- endif %}
        '-infinity'::timestamptz
    ))
{%- endmacro %}

{#- The build stamp (built_at, see build_stamp) of the newest row the model holds: rows an upstream
    stamped model wrote after it are what this build has not seen yet. '-infinity' when the model
    has no row or predates the column (the first run after upgrading; the column is then appended). -#}
{% macro build_watermark() -%}
    {%- set names = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- if 'built_at' in names -%}
        (select coalesce(max(built_at), '-infinity'::timestamptz) from {{ this }})
    {%- else -%}
        ('-infinity'::timestamptz)
    {%- endif -%}
{%- endmacro %}

{#- Post-hook for a model whose rows may all vanish (fct_policy_violations: a compliant business has
    none), which therefore cannot take its watermark from its own rows: records the newest load time
    of the messages this run has seen in the table comment, for load_watermark(). -#}
{% macro record_load_watermark(messages_relation) -%}
    {%- if execute -%}
        {%- set newest = run_query('select max(last_loaded_at)::varchar from ' ~ messages_relation).columns[0].values()[0] -%}
        {%- if newest is not none -%}
            comment on table {{ this }} is 'load_watermark={{ newest }}'
        {%- else -%}
            select 1
        {%- endif -%}
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
