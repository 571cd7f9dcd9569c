-- Failed sends per local date x Meta error code (R6: failed sends and their error codes are
-- recorded; WapiSnap-style failures by error code), with the sender kind and template category.

select
    sent_date_local as failure_date,
    coalesce(error_code, -1) as error_code,
    any_value(error_label) as error_label,
    sender_kind,
    coalesce(template_category, 'none') as template_category,
    count(*)::integer as failed_messages,
    count(distinct customer_key)::integer as customers
from {{ ref('fct_outbound_funnel') }}
where is_failed
group by all
