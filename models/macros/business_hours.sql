{#-
  Seconds of business time (seed business_hours, in the business time zone) between two UTC
  instants, for every row of `relation`, keyed by `key`. Returns a subquery with columns
  (<key>, business_seconds); rows with no overlap get no row: coalesce to 0 at the caller
  (Chatwoot's value_in_business_hours, computed per business time zone).
-#}
{% macro business_seconds_by_key(relation, key, start_col, end_col) -%}
    {#- B(t) = business seconds before t = cumulative_seconds_before of the last interval opening
        at or before t + the part of that interval already elapsed; the answer is B(end) - B(start). -#}
    (
        select
            s.{{ key }},
            (coalesce(e.cumulative_seconds_before, 0) + coalesce(least(greatest(epoch(s.{{ end_col }}) - epoch(e.opens_at_utc), 0), e.interval_seconds), 0))
          - (coalesce(b.cumulative_seconds_before, 0) + coalesce(least(greatest(epoch(s.{{ start_col }}) - epoch(b.opens_at_utc), 0), b.interval_seconds), 0))
                as business_seconds
        from {{ relation }} as s
        asof left join {{ ref('int_business_hours__intervals') }} as b on s.{{ start_col }} >= b.opens_at_utc
        asof left join {{ ref('int_business_hours__intervals') }} as e on s.{{ end_col }} >= e.opens_at_utc
        where s.{{ end_col }} > s.{{ start_col }}
    )
{%- endmacro %}

{#- Median / p90 helpers so every mart computes the same statistic the same way. -#}
{% macro median_of(expr) -%} quantile_cont({{ expr }}, 0.5) {%- endmacro %}
{% macro p90_of(expr) -%} quantile_cont({{ expr }}, 0.9) {%- endmacro %}

{#- Convert an amount from `currency` to the business currency with the fx table alias `fx`
    (usd_per_unit of the amount's currency) and `bfx` (usd_per_unit of the business currency). -#}
{% macro to_business_currency(amount, fx_alias='fx', bfx_alias='bfx') -%}
    ({{ amount }} * {{ fx_alias }}.usd_per_unit / nullif({{ bfx_alias }}.usd_per_unit, 0))
{%- endmacro %}

{#- A Jinja list of strings as a DuckDB varchar list literal: ['a', 'b']. -#}
{% macro varchar_list(values) -%}
    [{%- for v in values -%}'{{ v | replace("'", "''") }}'{{ ", " if not loop.last }}{%- endfor -%}]::varchar[]
{%- endmacro %}
