{#- fct_policy_violations' incremental cutoffs (replace_tail's tail_cutoffs): per customer with a
    message fct_messages wrote since the model's last build (new, changed, or re-keyed: then also
    for the customers it may have left, see messages_written_since), the earliest such send; and, as
    the null-key partition of the daily-cap rows, the earliest new template across all customers.
    from_date is the cutoff's local day. Evaluated before the table changes, so the watermark is the
    last run's. -#}
{% macro policy_violation_cutoffs() -%}
    with new_messages as (
        select * from ({{ messages_written_since('m.sent_at_utc, m.sent_date_local, m.direction, m.template_name') }})
        where sent_at_utc is not null
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
