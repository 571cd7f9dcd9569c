-- R8 merges: every customer key with the key it is merged into. Duplicate pairs
-- (int_customers__duplicate_pairs) are joined into clusters (connected components, by repeated
-- min-label propagation); a cluster's merged key is its smallest member key. Keys not in any pair
-- map to themselves. Nothing is deleted: every conversation, message and order keeps its own
-- customer_key and gains merged_customer_key, so merges keep every conversation of both records.

with recursive

edges as (

    select customer_key_a as a, customer_key_b as b from {{ ref('int_customers__duplicate_pairs') }}
    union
    select customer_key_b, customer_key_a from {{ ref('int_customers__duplicate_pairs') }}

),

labels(customer_key, label, depth) as (

    select a, least(a, min(b)), 0 from edges group by a
    union all
    select l.customer_key, least(l.label, e.b), l.depth + 1
    from labels as l
    inner join edges as e on e.a = l.label
    where e.b < l.label and l.depth < 20

),

clusters as (

    select customer_key, min(label) as merged_customer_key
    from labels
    group by customer_key

),

all_keys as (

    select distinct customer_key from {{ ref('int_customers__identity') }}

)

select
    k.customer_key,
    coalesce(c.merged_customer_key, k.customer_key) as merged_customer_key,
    c.customer_key is not null and c.merged_customer_key <> k.customer_key as is_merged_away,
    c.customer_key is not null as is_in_duplicate_cluster
from all_keys as k
left join clusters as c on c.customer_key = k.customer_key
