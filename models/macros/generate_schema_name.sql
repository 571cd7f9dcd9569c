{#-
  Schemas are exactly `staging`, `intermediate`, `marts` (and `seeds`), never `main_marts`:
  analysts query `marts.fct_messages`. A model without a custom schema lands in the target schema.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
