{#- Small generic tests written here so the project needs no package download (no dbt_utils).
    Each reads only the rows a build wrote since the last passing build (tested_rows.sql). -#}

{#- The combination of columns is unique (a grain test). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {%- set since = tested_since(model) %}
    select {{ combination_of_columns | join(', ') }}, count(*) as n
    from {{ model }}
    {%- if since is not none %}
    semi join {{ rows_written_since(model, since) }} as written
        using ({{ combination_of_columns | join(', ') }})
    {%- endif %}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
{% endtest %}

{#- Every row satisfies a boolean SQL expression. -#}
{% test expression_is_true(model, expression) %}
    select * from {{ rows_to_test(model) }} where not coalesce(({{ expression }}), false)
{% endtest %}

{#- The column is never below a minimum (e.g. counts >= 0). -#}
{% test at_least(model, column_name, min_value) %}
    select * from {{ rows_to_test(model) }} where {{ column_name }} < {{ min_value }}
{% endtest %}

{#- None of the listed columns holds a null: one scan of the model for all of them (a not_null
    test per column would scan it once each). Returns one row per column with nulls. -#}
{% test not_null_columns(model, column_names) %}
    with counts as (
        select
            {%- for column in column_names %}
            count(*) filter (where {{ adapter.quote(column) }} is null) as {{ adapter.quote(column) }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ rows_to_test(model) }}
    )
    select column_name, null_rows
    from (unpivot counts on columns(*) into name column_name value null_rows)
    where null_rows > 0
{% endtest %}

{#- Every listed column holds only its accepted values (nulls pass, as in dbt's accepted_values):
    one scan of the model for all of them. Returns one row per column and value not accepted. -#}
{% test accepted_values_columns(model, columns) %}
    with rejected as (
        select
            {%- for column, values in columns.items() %}
            case when {{ adapter.quote(column) }} not in (
                {%- for value in values -%}
                {{ "'" ~ (value | replace("'", "''")) ~ "'" if value is string else value }}{{ ', ' if not loop.last }}
                {%- endfor -%}
            ) then cast({{ adapter.quote(column) }} as varchar) end as {{ adapter.quote(column) }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ rows_to_test(model) }}
    )
    select column_name, value, count(*) as rows
    from (unpivot rejected on columns(*) into name column_name value value)
    group by all
{% endtest %}
