{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='message_id',
    )
}}

-- depends_on: {{ ref('int_customers__identity') }}

-- R32: the Meta fee of every outbound message, in USD and in the business currency.
-- Category: Meta's pricing_category from the status webhook when known, else the template
-- category, else service. Free (cost 0):
--   * service messages (free since Nov 2024);
--   * pricing_type free_customer_service / free_entry_point from Meta;
--   * when Meta did not say: utility templates inside the 24 h customer-service window (an inbound
--     message from the customer in the 24 h before), and anything sent within 72 h of a
--     click-to-WhatsApp entry (an inbound message with a referral) - the free entry point;
--   * messages never delivered (per-message pricing charges on delivery).
-- Rate: message_rate_card for the recipient's market (from the E.164 number) and category, the
-- latest valid_from on or before the local send date (macro valid_on_each_day).
-- Incremental (delete+insert by message_id): a message's cost depends only on itself and its
-- customer's inbound messages in the 72 h before it. Recomputed: outbound messages fct_messages
-- wrote since the last run (new, changed or re-keyed), and each customer's outbound messages sent
-- at or after their earliest inbound message written since, for the customer it now has and any
-- it may have had before (macro messages_written_since). After a rate card or fx change run
-- `dbt build --full-refresh -s int_messages__costed+`.

with

{% if is_incremental() %}
new_inbound as materialized (

    {{ earliest_new_inbound() }}

),
{% endif %}

outbound as (

    select
        m.message_id, m.customer_key, m.sent_at_utc, m.sent_date_local, m.campaign_id, m.template_name,
        m.sender_kind, m.is_delivered, m.pricing_type,
        case
            when m.pricing_category in ('marketing', 'marketing_lite', 'utility', 'authentication', 'authentication_international', 'service')
                then m.pricing_category
            when m.template_category is not null then m.template_category
            else 'service'
        end as category,
        coalesce({{ phone_country_of_e164('m.customer_key') }}, 'ZZ') as market_country,
        m.last_loaded_at
    from {{ ref('fct_messages') }} as m
    {% if is_incremental() %}
    left join new_inbound as n on n.customer_key = m.customer_key
    {% endif %}
    where m.direction = 'outbound' and m.sent_at_utc is not null
    {% if is_incremental() %}
      and (m.built_at > {{ build_watermark() }} or m.sent_at_utc >= n.since)
    {% endif %}

),

inbound as materialized (

    select i.customer_key, i.sent_at_utc, i.referral_ctwa_clid is not null or i.referral_source_id is not null as is_entry_point
    from {{ ref('fct_messages') }} as i
    {% if is_incremental() %}
    -- older inbound messages are outside every window of the recomputed sends
    inner join (select customer_key, min(sent_at_utc) as since from outbound group by all) as o
        on o.customer_key = i.customer_key and i.sent_at_utc >= o.since - interval 72 hour
    {% endif %}
    where i.direction = 'inbound' and i.customer_key is not null

),

last_send_date as (

    select max(sent_date_local) as last_date from outbound

),

rates as (

    {{ valid_on_each_day(ref('message_rate_card'), ['market_country', 'pricing_category'], '(select last_date from last_send_date)') }}

),

classified as (

    -- each send's latest inbound message and latest entry point at or before it: row-preserving
    -- ASOF joins in one chain (lookups joined back by message_id cost as much again at 10M)
    select
        o.*,
        coalesce(li.sent_at_utc > o.sent_at_utc - interval 24 hour, false) as in_service_window,
        coalesce(le.sent_at_utc > o.sent_at_utc - interval 72 hour, false) as in_free_entry_window
    from outbound as o
    asof left join inbound as li
        on li.customer_key = o.customer_key and o.sent_at_utc >= li.sent_at_utc
    asof left join (select * from inbound where is_entry_point) as le
        on le.customer_key = o.customer_key and o.sent_at_utc >= le.sent_at_utc

),

priced as (

    select
        c.*,
        r.price_usd as list_price_usd,
        r.is_free_in_service_window,
        case
            when not coalesce(c.is_delivered, false) then 'not_delivered'
            when c.category = 'service' then 'service'
            when c.pricing_type = 'free_customer_service' then 'free_customer_service'
            when c.pricing_type = 'free_entry_point' then 'free_entry_point'
            when c.pricing_type = 'regular' then 'regular'
            when c.in_free_entry_window then 'free_entry_point'
            when c.in_service_window and coalesce(r.is_free_in_service_window, false) then 'free_customer_service'
            else 'regular'
        end as billing
    from classified as c
    left join rates as r
        on r.market_country = c.market_country
        and r.pricing_category = c.category
        and r.valid_date = c.sent_date_local

),

fx as (

    {{ valid_on_each_day("(select * from " ~ ref('fx_rates') ~ " where currency = '" ~ var('business_currency') ~ "')", [], '(select last_date from last_send_date)') }}

)

select
    p.message_id,
    p.customer_key,
    p.market_country,
    p.sent_at_utc,
    p.sent_date_local,
    p.campaign_id,
    p.template_name,
    p.sender_kind,
    p.category as pricing_category,
    p.billing,
    p.billing = 'regular' as is_billable,
    p.list_price_usd,
    case when p.billing = 'regular' then coalesce(p.list_price_usd, 0) else 0 end as cost_usd,
    case when p.billing = 'regular' then coalesce(p.list_price_usd, 0) else 0 end / nullif(bfx.usd_per_unit, 0) as cost_business,
    '{{ var("business_currency") }}' as business_currency,
    p.last_loaded_at,
    {{ build_stamp() }} as built_at
from priced as p
left join fx as bfx on bfx.valid_date = p.sent_date_local
