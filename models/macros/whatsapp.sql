{#- Helpers for exploding and reading WhatsApp Cloud API webhook JSON. -#}

{#- Unix seconds that arrive as a JSON string ("1749416383") OR a JSON number (1749416383),
    as a timestamptz (UTC). Anything unparseable gives null, never an error. -#}
{% macro wa_unix_ts(json_expr, path) -%}
    to_timestamp(try_cast(json_extract_string({{ json_expr }}, '{{ path }}') as double))
{%- endmacro %}

{#- The elements of a JSON array (missing or not an array: empty list) as a DuckDB list of JSON,
    for unnest. One parse of the document. -#}
{% macro json_list(json_expr, path) -%}
    coalesce(json_extract({{ json_expr }}, '{{ path }}[*]'), []::json[])
{%- endmacro %}

{#- Meta spells the pricing category `authentication-international` and the conversation
    category `authentication_international`: one canonical value (underscore). -#}
{% macro wa_category(expr) -%}
    replace(lower(nullif(trim({{ expr }}), '')), '-', '_')
{%- endmacro %}
