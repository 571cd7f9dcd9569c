{#- fct_policy_violations' incremental cutoffs (replace_tail's tail_cutoffs): per customer with a
    message loaded since the model's watermark, the earliest such send; and, as the null-key
    partition of the daily-cap rows, the earliest new template across all customers. from_date is
    the cutoff's local day. Evaluated before the table changes, so the watermark is the last run's. -#}
{% macro policy_violation_cutoffs() -%}
    with new_messages as (
        select customer_key, sent_at_utc, sent_date_local, direction, template_name
        from {{ ref('fct_messages') }}
        where last_loaded_at > {{ load_watermark() }} and customer_key is not null and sent_at_utc is not null
    )
    select customer_key, min(sent_at_utc) as tail_from, min(sent_date_local) as from_date
    from new_messages
    group by all
    union all
    select null, min(sent_at_utc), min(sent_date_local)
    from new_messages
    where direction = 'outbound' and template_name is not null
    having count(*) > 0
{%- endmacro %}
