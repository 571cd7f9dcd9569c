{#-
  Watermarks of the incremental models. Models reading the loaded webhooks (int_messages__deduplicated,
  int_statuses__resolved) start from their own max(last_loaded_at). Models downstream of fct_messages
  start from what it wrote since their last build (built_at): every message loaded or updated since
  is written again, and so is a message whose customer key the identity map now resolves
  differently (its load time stays), so what a model recomputes from it is a superset of what
  changed. After a rule or seed change run a full refresh.
-#}
{#- The newest last_loaded_at among the model's rows; '-infinity' (recompute everything) when it has none. -#}
{% macro load_watermark() -%}
    (select coalesce(max(last_loaded_at), '-infinity'::timestamptz) from {{ this }})
{%- endmacro %}

{#- The build stamp (built_at, see build_stamp) of the newest row the model holds: rows an upstream
    stamped model wrote after it are what this build has not seen yet. A model without the column
    (fct_policy_violations, fct_customer_segments) reads the one its last build recorded in the table
    comment (record_build_watermark). '-infinity' when there is neither (the first run after
    upgrading; the column is then appended). -#}
{% macro build_watermark() -%}
    {%- set names = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- if 'built_at' in names -%}
        (select coalesce(max(built_at), '-infinity'::timestamptz) from {{ this }})
    {%- else -%}
        (select coalesce(
            (select try_cast(regexp_extract(comment, 'build_watermark=(.+)', 1) as timestamptz)
             from duckdb_tables()
             where database_name = '{{ this.database }}' and schema_name = '{{ this.schema }}' and table_name = '{{ this.identifier }}'),
            '-infinity'::timestamptz
        ))
    {%- endif -%}
{%- endmacro %}

{#- Post-hook for a model whose rows may all vanish (fct_policy_violations: a compliant business has
    none) or do not map to messages (fct_customer_segments), which therefore cannot take its
    watermark from its own rows: records the newest built_at of the messages this run has seen in
    the table comment, for build_watermark(). -#}
{% macro record_build_watermark(messages_relation) -%}
    {%- if execute -%}
        {%- set newest = run_query('select max(built_at)::varchar from ' ~ messages_relation).columns[0].values()[0] -%}
        {%- if newest is not none -%}
            comment on table {{ this }} is 'build_watermark={{ newest }}'
        {%- else -%}
            select 1
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- The fct_messages rows written since the model's last build, each under its customer key and,
    when known by a user id alone, also under every other key it may have had before: the user id
    itself or a phone it was seen with (int_customers__identity.phone_keys). A customer who lost a
    re-keyed message is recomputed like the one who gained it. `columns`: the other columns of
    fct_messages (alias m) to return. Models calling it need `-- depends_on:` int_customers__identity. -#}
{% macro messages_written_since(columns) -%}
    select m.customer_key, {{ columns }}
    from {{ ref('fct_messages') }} as m
    where m.built_at > {{ build_watermark() }} and m.customer_key is not null
    union all
    select k.customer_key, {{ columns }}
    from {{ ref('fct_messages') }} as m
    inner join {{ ref('int_customers__identity') }} as i on i.identity_source = 'bsuid' and i.identity_id = m.user_id
    cross join unnest(list_append(i.phone_keys, m.user_id)) as k(customer_key)
    where m.built_at > {{ build_watermark() }} and m.wa_id is null and k.customer_key <> m.customer_key
{%- endmacro %}

{#- Per customer, the send time of their earliest inbound message written since the model's last
    build (int_messages__costed, fct_outbound_funnel: a new, changed or re-keyed inbound message can
    only change the fee or the reply of sends around it, for the customer who gained it and the one
    who lost it). -#}
{% macro earliest_new_inbound() -%}
    select customer_key, min(sent_at_utc) as since
    from ({{ messages_written_since('m.sent_at_utc, m.direction') }})
    where direction = 'inbound'
    group by all
{%- endmacro %}
