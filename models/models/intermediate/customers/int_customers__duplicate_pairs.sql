-- R8 duplicate candidates: pairs of customers (different customer keys, i.e. different phone
-- numbers: "one person, several numbers") whose CRM records have similar names AND who bought the
-- same SKU within 90 days of each other.
--   blocking      only customers who bought the same normalised SKU (R9) within
--                 var duplicate_sku_days (90) are compared, so the comparison stays linear in orders;
--   name match    names lower-cased, everything but letters and digits removed; similarity =
--                 1 - levenshtein / length of the longer name (R8: Levenshtein, threshold >= 0.8,
--                 var duplicate_name_similarity). Jaro-Winkler is kept alongside for review.
-- One row per unordered pair (customer_key_a < customer_key_b), with the evidence.

with

contacts as (

    select
        c.crm_contact_key,
        i.customer_key,
        c.full_name,
        regexp_replace(lower(coalesce(c.full_name, '')), '[^\p{L}\p{N}]+', '', 'g') as name_key
    from {{ ref('int_crm__contacts_current') }} as c
    inner join {{ ref('int_customers__identity') }} as i
        on i.identity_source = 'crm' and i.identity_id = c.crm_contact_key
    where not c.is_deleted

),

purchases as (

    select distinct
        o.crm_contact_key,
        it.sku,
        cast(o.ordered_at as date) as ordered_on
    from {{ ref('int_orders__current') }} as o
    inner join {{ ref('int_order_items__normalized') }} as it on it.order_key = o.order_key
    where it.sku is not null
      and o.ordered_at is not null
      and coalesce(o.order_status, '') not in ('cancelled')

),

customer_purchases as (

    select c.customer_key, c.crm_contact_key, c.full_name, c.name_key, p.sku, p.ordered_on
    from purchases as p
    inner join contacts as c on c.crm_contact_key = p.crm_contact_key
    where length(c.name_key) > 0

),

same_sku as (

    select
        a.customer_key as customer_key_a,
        b.customer_key as customer_key_b,
        a.crm_contact_key as crm_contact_key_a,
        b.crm_contact_key as crm_contact_key_b,
        a.full_name as full_name_a,
        b.full_name as full_name_b,
        a.name_key as name_key_a,
        b.name_key as name_key_b,
        a.sku,
        abs(a.ordered_on - b.ordered_on) as days_apart
    from customer_purchases as a
    inner join customer_purchases as b
        on a.sku = b.sku
        and a.customer_key < b.customer_key
        and b.ordered_on between a.ordered_on - {{ var('duplicate_sku_days') }} and a.ordered_on + {{ var('duplicate_sku_days') }}

),

scored as (

    select
        *,
        1 - levenshtein(name_key_a, name_key_b) / greatest(length(name_key_a), length(name_key_b)) as name_similarity,
        jaro_winkler_similarity(name_key_a, name_key_b) as jaro_winkler
    from same_sku

)

select
    customer_key_a,
    customer_key_b,
    arg_max(crm_contact_key_a, name_similarity) as crm_contact_key_a,
    arg_max(crm_contact_key_b, name_similarity) as crm_contact_key_b,
    arg_max(full_name_a, name_similarity) as full_name_a,
    arg_max(full_name_b, name_similarity) as full_name_b,
    max(name_similarity) as name_similarity,
    max(jaro_winkler) as jaro_winkler_similarity,
    list(distinct sku order by sku) as shared_skus,
    min(days_apart)::integer as min_days_apart
from scored
where name_similarity >= {{ var('duplicate_name_similarity') }}
group by customer_key_a, customer_key_b
