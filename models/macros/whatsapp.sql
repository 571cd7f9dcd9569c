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

{#- In an incremental append-only staging model (webhook receipts, the outbound log): only source
    rows loaded since the model's last build and not in it yet, by a never-null key expression.
    Only rows loaded at the newest built loaded_at can be both new-looking and built, so the
    anti-join reads just those (zone maps skip the rest: cheap at any table size). -#}
{% macro rows_not_yet_built(key='receipt_id') -%}
    loaded_at >= (select coalesce(max(loaded_at), '-infinity'::timestamptz) from {{ this }})
      and {{ key }} not in (
          select {{ key }} from {{ this }}
          where loaded_at >= (select coalesce(max(loaded_at), '-infinity'::timestamptz) from {{ this }})
      )
{%- endmacro %}
