{#-
  Seconds of business time (seed business_hours, in the business time zone) between two UTC
  instants (Chatwoot's value_in_business_hours, computed per business time zone): null when `end`
  is null, 0 when it is not after `start`. Each instant reads its UTC day of the business clock
  (int_business_hours__utc_days) through a `business_clock_join` with its own alias in the FROM
  clause; instants outside the clock's span read its first or last day, which gives 0 before the
  first interval and the whole total after the last.
-#}
{% macro business_clock_join(instant, alias) -%}
    left join {{ ref('int_business_hours__utc_days') }} as {{ alias }}
        on {{ alias }}.day_number = least(
            greatest(floor(epoch({{ instant }}) / 86400)::bigint, (select min(day_number) from {{ ref('int_business_hours__utc_days') }})),
            (select max(day_number) from {{ ref('int_business_hours__utc_days') }})
        )
{%- endmacro %}

{#- Business seconds before `instant`, from its day row `alias` (see business_clock_join). -#}
{% macro business_seconds_before(instant, alias) -%}
    ({{ alias }}.seconds_before + coalesce(list_sum(list_transform({{ alias }}.intervals,
        i -> least(greatest(epoch({{ instant }}) - i.opens_epoch, 0), i.seconds))), 0))
{%- endmacro %}

{% macro business_seconds_between(start, end, start_alias, end_alias) -%}
    case
        when {{ end }} is null then null
        when {{ end }} > {{ start }}
            then coalesce({{ business_seconds_before(end, end_alias) }} - {{ business_seconds_before(start, start_alias) }}, 0)
        else 0
    end
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
