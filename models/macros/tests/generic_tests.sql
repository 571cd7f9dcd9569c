{#- Small generic tests written here so the project needs no package download (no dbt_utils). -#}

{#- The combination of columns is unique (a grain test). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    select {{ combination_of_columns | join(', ') }}, count(*) as n
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
{% endtest %}

{#- Every row satisfies a boolean SQL expression. -#}
{% test expression_is_true(model, expression) %}
    select * from {{ model }} where not coalesce(({{ expression }}), false)
{% endtest %}

{#- The column is never below a minimum (e.g. counts >= 0). -#}
{% test at_least(model, column_name, min_value) %}
    select * from {{ model }} where {{ column_name }} < {{ min_value }}
{% endtest %}
