-- The current version of every CRM order: last-modified-wins per (crm, order_id) at millisecond
-- precision (R10), ties broken by the later snapshot.

with

versions as (

    select
        *,
        row_number() over (
            partition by crm, order_id
            order by date_trunc('millisecond', updated_at) desc, snapshot_at desc, snapshot_id desc
        ) as version_rank,
        count(*) over (partition by crm, order_id) as version_count
    from {{ ref('stg_crm__orders') }}

)

select
    crm || ':' || order_id as order_key,
    crm,
    order_id,
    snapshot_id,
    contact_id,
    crm || ':' || contact_id as crm_contact_key,
    ordered_at,
    order_status,
    payment_method,
    channel,
    campaign_id,
    currency,
    total_amount,
    updated_at,
    version_count::integer as version_count
from versions
where version_rank = 1
