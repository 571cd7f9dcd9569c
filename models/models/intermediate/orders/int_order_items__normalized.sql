-- Items of each order's CURRENT version, with the product normalised to a standard SKU (R9).
-- Items are re-snapshotted with their order and carry its updated_at, so the current items are
-- the rows whose updated_at equals the current order's (a line removed in a later version is
-- gone). SKU resolution, first match wins:
--   crm_sku       the CRM row has a SKU that exists in the catalogue;
--   catalog_name  the cleaned product name equals a catalogue product's cleaned name;
--   pattern       a regular expression from the product_sku_patterns seed (lowest priority);
--   unmatched     nothing matched (the list to extend the seed from); the raw SKU is kept if any.

with

orders as (

    select * from {{ ref('int_orders__current') }}

),

item_versions as (

    select
        i.*,
        row_number() over (
            partition by i.crm, i.order_id, i.line_no
            order by i.snapshot_at desc, i.snapshot_id desc
        ) as line_rank
    from {{ ref('stg_crm__order_items') }} as i
    inner join orders as o
        on o.crm = i.crm
        and o.order_id = i.order_id
        and date_trunc('millisecond', i.updated_at) = date_trunc('millisecond', o.updated_at)

),

items as (

    select
        *,
        trim(regexp_replace(lower(coalesce(product_name, '')), '[^\p{L}\p{N}+]+', ' ', 'g')) as product_name_clean
    from item_versions
    where line_rank = 1

),

catalogue as (

    select
        crm,
        sku,
        product_name,
        brand,
        category,
        trim(regexp_replace(lower(coalesce(product_name, '')), '[^\p{L}\p{N}+]+', ' ', 'g')) as product_name_clean
    from {{ ref('stg_crm__products') }}
    qualify row_number() over (partition by crm, sku order by updated_at desc, snapshot_at desc) = 1

),

catalogue_names as (

    select crm, product_name_clean, min(sku) as sku
    from catalogue
    where product_name_clean <> ''
    group by crm, product_name_clean

),

-- patterns are evaluated once per distinct cleaned name, not once per item
distinct_names as (

    select distinct product_name_clean from items where product_name_clean <> ''

),

pattern_matches as (

    select
        n.product_name_clean,
        first(p.sku order by p.priority) as sku
    from distinct_names as n
    inner join {{ ref('product_sku_patterns') }} as p
        on regexp_matches(n.product_name_clean, p.pattern)
    group by n.product_name_clean

),

resolved as (

    select
        i.crm,
        i.order_id,
        i.line_no,
        i.snapshot_id,
        i.sku as sku_raw,
        i.product_name as product_name_raw,
        i.product_name_clean,
        i.quantity,
        i.unit_price,
        i.updated_at,
        case
            when c.sku is not null then c.sku
            when cn.sku is not null then cn.sku
            when pm.sku is not null then pm.sku
            else i.sku
        end as sku,
        case
            when c.sku is not null then 'crm_sku'
            when cn.sku is not null then 'catalog_name'
            when pm.sku is not null then 'pattern'
            else 'unmatched'
        end as sku_match_method
    from items as i
    left join catalogue as c on c.crm = i.crm and c.sku = i.sku
    left join catalogue_names as cn on cn.crm = i.crm and cn.product_name_clean = i.product_name_clean
    left join pattern_matches as pm on pm.product_name_clean = i.product_name_clean

)

select
    r.crm || ':' || r.order_id || ':' || r.line_no as order_item_key,
    r.crm || ':' || r.order_id as order_key,
    r.crm,
    r.order_id,
    r.line_no,
    r.snapshot_id,
    r.sku_raw,
    r.product_name_raw,
    r.product_name_clean,
    r.sku,
    r.sku_match_method,
    cat.product_name as catalog_product_name,
    cat.brand,
    cat.category,
    r.quantity,
    r.unit_price,
    r.quantity * r.unit_price as line_amount,
    r.updated_at
from resolved as r
left join catalogue as cat on cat.crm = r.crm and cat.sku = r.sku
