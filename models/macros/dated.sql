{#-
  A dated table (one row per key and valid_from; a row applies until the key's next valid_from)
  spelled out per day: each row repeated with `valid_date` for every date it applies, up to
  `until` for each key's latest row. A send then finds its rate with an equality join on
  (key, date): the ASOF join it replaces sorted all five million sends of a 10M-message build
  against a table of a few hundred rows. Keys with the same valid_from twice would repeat days:
  the seeds test (key, valid_from) for uniqueness.
-#}
{% macro valid_on_each_day(relation, keys, until) -%}
    select
        *,
        cast(unnest(generate_series(
            valid_from,
            coalesce(
                lead(valid_from) over (
                    {%- if keys %} partition by {{ keys | join(', ') }}{% endif %} order by valid_from
                ) - 1,
                {{ until }}
            ),
            interval 1 day
        )) as date) as valid_date
    from {{ relation }}
{%- endmacro %}
