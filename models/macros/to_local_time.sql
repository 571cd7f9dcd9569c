{#-
  The ONE conversion from a UTC instant (timestamptz) to the business's local wall-clock time
  (a plain timestamp), using SCRM_TIMEZONE (default 'UTC'). Every local day/hour/weekday bucket
  in the project derives from this macro, so that "today", hour-of-day and weekday all follow
  the configured zone (R5, R24, R29).
-#}
{% macro to_local_time(utc_timestamptz) -%}
    ({{ utc_timestamptz }} at time zone '{{ var("scrm_timezone") }}')
{%- endmacro %}

{#-
  The inverse: a local wall-clock timestamp (no zone) in the business time zone -> the UTC
  instant (timestamptz). Used for business-hours intervals and local-day boundaries.
-#}
{% macro from_local_time(local_timestamp) -%}
    (cast({{ local_timestamp }} as timestamp) at time zone '{{ var("scrm_timezone") }}')
{%- endmacro %}
