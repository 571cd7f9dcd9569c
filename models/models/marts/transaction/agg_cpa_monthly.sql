-- R26, R28, R32: cost per acquisition per local month x channel x campaign, in the business
-- currency (var business_currency; dated fx_rates):
--   ad_spend        marketing ad spend (stg_marketing__ad_spend) converted at the spend date;
--   message_cost    Meta fees of the campaign's WhatsApp sends (int_messages__costed; channel whatsapp);
--   acquisitions    customers whose first paid order falls in the month, credited to that order's
--                   channel and campaign (last touch recorded on the order);
--   leads           marketing leads created in the month;
--   cpa             (ad_spend + message_cost) / acquisitions; cost_per_lead likewise.
-- campaign_id 'none' = spend or orders without a campaign.

with

spend as (

    select
        date_trunc('month', s.spend_date)::date as month,
        lower(s.channel) as channel,
        coalesce(s.campaign_id, 'none') as campaign_id,
        sum(s.spend * fx.to_business_rate) as ad_spend,
        sum(s.clicks) as clicks,
        sum(s.impressions) as impressions
    from {{ ref('stg_marketing__ad_spend') }} as s
    asof left join {{ ref('int_fx_rates') }} as fx on fx.currency = s.currency and s.spend_date >= fx.valid_from
    group by all

),

message_cost as (

    select
        date_trunc('month', sent_date_local)::date as month,
        'whatsapp' as channel,
        coalesce(campaign_id, 'none') as campaign_id,
        sum(cost_business) as message_cost,
        count(*) filter (where is_billable) as billable_messages
    from {{ ref('int_messages__costed') }}
    group by all

),

first_orders as (

    select *
    from {{ ref('fct_orders') }}
    where is_paid and customer_key is not null and ordered_date_local is not null
    qualify row_number() over (partition by customer_key order by ordered_at_utc, order_key) = 1

),

acquisitions as (

    select
        date_trunc('month', ordered_date_local)::date as month,
        lower(coalesce(channel, 'unknown')) as channel,
        coalesce(campaign_id, 'none') as campaign_id,
        count(*) as acquisitions,
        sum(revenue_amount_business) as first_order_revenue
    from first_orders
    group by all

),

leads as (

    select
        date_trunc('month', cast({{ to_local_time('created_at') }} as date))::date as month,
        lower(channel) as channel,
        coalesce(campaign_id, 'none') as campaign_id,
        count(*) as leads
    from {{ ref('stg_marketing__leads') }}
    group by all

),

keys as (

    select month, channel, campaign_id from spend
    union select month, channel, campaign_id from message_cost
    union select month, channel, campaign_id from acquisitions
    union select month, channel, campaign_id from leads

)

select
    k.month,
    k.channel,
    k.campaign_id,
    '{{ var("business_currency") }}' as business_currency,
    coalesce(s.ad_spend, 0) as ad_spend,
    coalesce(m.message_cost, 0) as message_cost,
    coalesce(s.ad_spend, 0) + coalesce(m.message_cost, 0) as total_cost,
    coalesce(m.billable_messages, 0)::integer as billable_messages,
    coalesce(s.clicks, 0)::bigint as clicks,
    coalesce(s.impressions, 0)::bigint as impressions,
    coalesce(l.leads, 0)::integer as leads,
    coalesce(a.acquisitions, 0)::integer as acquisitions,
    coalesce(a.first_order_revenue, 0) as first_order_revenue,
    (coalesce(s.ad_spend, 0) + coalesce(m.message_cost, 0)) / nullif(a.acquisitions, 0) as cpa,
    (coalesce(s.ad_spend, 0) + coalesce(m.message_cost, 0)) / nullif(l.leads, 0) as cost_per_lead
from keys as k
left join spend as s using (month, channel, campaign_id)
left join message_cost as m using (month, channel, campaign_id)
left join acquisitions as a using (month, channel, campaign_id)
left join leads as l using (month, channel, campaign_id)
