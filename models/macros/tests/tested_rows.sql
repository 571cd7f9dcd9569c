{#- Data tests that check what a build wrote, not the whole history again (issue 5: the daily
    build at 10M messages spent half its time re-testing rows that had already passed).

    The large incremental models stamp every row they write with the build's start time
    (`build_stamp()` as column built_at). A whole-project `dbt build` in which every node passed
    is recorded in main.dbt_passing_builds (on-run-end). A data test on a stamped model then reads
    only the rows written since the last passing build: row-level tests (not null, accepted values,
    expressions) those rows alone, key tests those rows' keys counted over the whole table (a
    duplicate needs at least one row written since). Rows of a failed build stay in scope until a
    build passes. All rows are checked after a full refresh, on a model without older rows, and
    with `--vars '{test_all_rows: true}'`.
-#}

{% macro build_stamp() -%}
    cast('{{ run_started_at.isoformat() }}' as timestamptz)
{%- endmacro %}

{% macro create_passing_builds_table() -%}
    create table if not exists main.dbt_passing_builds (started_at timestamptz not null, invocation_id varchar not null)
{%- endmacro %}

{% macro record_passing_build(results) %}
    {#- only a build of the whole project vouches for every stamped row it wrote -#}
    {%- set args = invocation_args_dict -%}
    {%- set whole_project = not args.get('select') and not args.get('exclude') and not args.get('selector') -%}
    {%- set failed = results | rejectattr('status', 'in', ['success', 'pass', 'warn', 'no-op']) | list -%}
    {%- if execute and flags.WHICH == 'build' and whole_project and failed | length == 0 -%}
        insert into main.dbt_passing_builds values ({{ build_stamp() }}, '{{ invocation_id }}')
    {%- endif -%}
{% endmacro %}

{#- The start of the last passing build as text, when `model` has rows written before it that the
    tests may skip; none when every row must be checked. -#}
{% macro tested_since(model) %}
    {%- if not execute or var('test_all_rows', false) or model.identifier is not defined -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if 'built_at' not in (adapter.get_columns_in_relation(model) | map(attribute='name') | list) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set query -%}
        with passed as (select max(started_at) as since from main.dbt_passing_builds)
        select since::varchar, (select min(built_at) from {{ model }}) <= since as has_older from passed
    {%- endset -%}
    {%- set row = run_query(query).rows[0] -%}
    {{ return(row[0] if row[1] else none) }}
{% endmacro %}

{#- `model`'s rows written after `since` (all of `model` when since is none). -#}
{% macro rows_written_since(model, since) -%}
    {%- if since is none -%}
        {{ model }}
    {%- else -%}
        (select * from {{ model }} where built_at > '{{ since }}'::timestamptz)
    {%- endif -%}
{%- endmacro %}

{#- The rows a row-level test reads: `model`, or its rows written since the last passing build. -#}
{% macro rows_to_test(model) -%}
    {{ rows_written_since(model, tested_since(model)) }}
{%- endmacro %}

{#- dbt's built-in `unique`, scoped as above (dispatch finds the root project's version first). -#}
{% macro default__test_unique(model, column_name) %}
    {%- set since = tested_since(model) %}
    select {{ column_name }} as unique_field, count(*) as n_records
    from {{ model }}
    where {{ column_name }} is not null
    {%- if since is not none %}
      and {{ column_name }} in (select {{ column_name }} from {{ rows_written_since(model, since) }})
    {%- endif %}
    group by {{ column_name }}
    having count(*) > 1
{% endmacro %}

{#- dbt's built-in `relationships`, reading every child row: a parent row deleted by a build could
    orphan a child row that passed long ago. A test whose meta says `parent_keeps_keys: true` (the
    parent never loses a key it once had: fct_messages replaces rows by message_id, raw receipts are
    append-only) reads only the child rows written since the last passing build (rows_to_test). -#}
{% macro default__test_relationships(model, column_name, to, field) %}
    {%- set parent_keeps_keys = (config.get('meta') or {}).get('parent_keeps_keys', false) %}
    with child as (
        select {{ column_name }} as from_field
        from {{ rows_to_test(model) if parent_keeps_keys else model }}
        where {{ column_name }} is not null
    ),

    parent as (
        select {{ field }} as to_field
        from {{ to }}
    )

    select from_field
    from child
    left join parent on child.from_field = parent.to_field
    where parent.to_field is null
{% endmacro %}
