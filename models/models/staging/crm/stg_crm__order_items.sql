-- CRM order item versions; items carry their order's updated_at and are re-snapshotted with it.
-- `sku` is often empty (staff typed the model string into product_name instead, R9).

with

source as (

    select * from {{ source('raw', 'crm_order_items') }}

)

select
    crm || ':' || order_id || ':' || line_no || ':' || snapshot_id as order_item_version_key,
    crm,
    order_id,
    line_no,
    snapshot_id,
    snapshot_at,
    upper(nullif(trim(sku), '')) as sku,
    nullif(trim(product_name), '') as product_name,
    quantity,
    unit_price,
    updated_at
from source
