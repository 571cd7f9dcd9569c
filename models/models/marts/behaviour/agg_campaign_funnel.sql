-- The delivery funnel per campaign x template (R24, R26, R28; Interakt / SleekFlow campaign
-- analytics): every business-initiated template send (campaign broadcasts and automations with a
-- template) counted through sent -> delivered -> read -> replied within 72 h, failures, rates
-- and the Meta fees. campaign_id 'none' = templates sent outside a campaign (automations).
-- Rates: delivery = delivered / attempted; read = read / delivered; reply = replied / delivered.

select
    coalesce(campaign_id, 'none') as campaign_id,
    coalesce(template_name, 'none') as template_name,
    any_value(template_category) as template_category,
    min(sent_date_local) as first_sent_date,
    max(sent_date_local) as last_sent_date,
    count(*)::integer as attempted,
    count(*) filter (where is_sent or is_delivered)::integer as sent,
    count(*) filter (where is_delivered)::integer as delivered,
    count(*) filter (where is_read)::integer as read,
    count(*) filter (where is_replied and is_delivered)::integer as replied,
    count(*) filter (where is_failed)::integer as failed,
    count(*) filter (where is_status_pending)::integer as status_pending,
    count(distinct customer_key)::integer as recipients,
    count(*) filter (where is_delivered) / nullif(count(*), 0) as delivery_rate,
    count(*) filter (where is_read) / nullif(count(*) filter (where is_delivered), 0) as read_rate,
    count(*) filter (where is_replied and is_delivered) / nullif(count(*) filter (where is_delivered), 0) as reply_rate,
    count(*) filter (where is_failed) / nullif(count(*), 0) as failure_rate,
    sum(cost_usd) as cost_usd,
    sum(cost_business) as cost_business
from {{ ref('fct_outbound_funnel') }}
where template_name is not null or campaign_id is not null
group by all
