-- One row per CRM order in its current version (last-modified-wins, R10), with its items
-- normalised to standard SKUs (R9), the customer key (R2), payment method (R25), channel and
-- campaign (R26, R28). Amounts are in the order's own currency (never sum those across
-- currencies) and also in the business currency (var business_currency) at the dated fx_rates
-- rate of the local order date (int_fx_rates): the *_business columns can be summed.

with

orders as (

    select * from {{ ref('int_orders__current') }}

),

items as (

    select
        order_key,
        count(*)::integer as item_lines,
        sum(quantity)::integer as units,
        sum(line_amount) as items_amount,
        list_distinct(list(sku order by line_no) filter (where sku is not null)) as skus,
        count(*) filter (where sku_match_method = 'unmatched')::integer as unmatched_item_lines
    from {{ ref('int_order_items__normalized') }}
    group by order_key

),

contacts as (

    select identity_id as crm_contact_key, customer_key
    from {{ ref('int_customers__identity') }}
    where identity_source = 'crm'

),

fx as (

    select * from {{ ref('int_fx_rates') }}

),

merged as (

    select customer_key, merged_customer_key from {{ ref('int_customers__merged') }}

)

select
    o.order_key,
    o.order_id,
    o.crm,
    o.contact_id,
    o.crm_contact_key,
    c.customer_key,
    coalesce(mg.merged_customer_key, c.customer_key) as merged_customer_key,
    o.ordered_at as ordered_at_utc,
    {{ to_local_time('o.ordered_at') }} as ordered_at_local,
    cast({{ to_local_time('o.ordered_at') }} as date) as ordered_date_local,
    o.order_status,
    o.order_status = 'paid' as is_paid,
    o.payment_method,
    o.channel,
    o.campaign_id,
    o.currency,
    o.total_amount,
    case when o.order_status = 'paid' then o.total_amount else 0 end as revenue_amount,
    '{{ var("business_currency") }}' as business_currency,
    fx.to_business_rate as fx_rate_to_business,
    o.total_amount * fx.to_business_rate as total_amount_business,
    case when o.order_status = 'paid' then o.total_amount else 0 end * fx.to_business_rate as revenue_amount_business,
    coalesce(i.item_lines, 0) as item_lines,
    coalesce(i.units, 0) as units,
    i.items_amount,
    coalesce(i.skus, []::varchar[]) as skus,
    coalesce(i.unmatched_item_lines, 0) as unmatched_item_lines,
    o.version_count,
    o.updated_at
from orders as o
left join items as i on i.order_key = o.order_key
left join contacts as c on c.crm_contact_key = o.crm_contact_key
left join merged as mg on mg.customer_key = c.customer_key
asof left join fx
    on fx.currency = o.currency
    and cast({{ to_local_time('o.ordered_at') }} as date) >= fx.valid_from
