-- CRM product catalogue versions: standard SKUs (R9) with names, brand and list price.

with

source as (

    select * from {{ source('raw', 'crm_products') }}

)

select
    crm || ':' || sku || ':' || snapshot_id as product_version_key,
    crm,
    upper(trim(sku)) as sku,
    snapshot_id,
    snapshot_at,
    nullif(trim(name), '') as product_name,
    nullif(trim(brand), '') as brand,
    lower(nullif(trim(category), '')) as category,
    list_price,
    upper(nullif(trim(currency), '')) as currency,
    updated_at
from source
