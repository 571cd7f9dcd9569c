-- R8: duplicate-customer candidates for review, one row per pair (see
-- int_customers__duplicate_pairs for the rule: name similarity >= 0.8 by Levenshtein AND the same
-- normalised SKU bought within 90 days), with the cluster both keys are merged into
-- (int_customers__merged). Merging keeps every conversation: fct_conversations, fct_orders and
-- dim_customers carry merged_customer_key next to the original customer_key.

select
    md5(p.customer_key_a || '|' || p.customer_key_b) as candidate_id,
    p.customer_key_a,
    p.customer_key_b,
    p.crm_contact_key_a,
    p.crm_contact_key_b,
    p.full_name_a,
    p.full_name_b,
    p.name_similarity,
    p.jaro_winkler_similarity,
    p.shared_skus,
    p.min_days_apart,
    m.merged_customer_key
from {{ ref('int_customers__duplicate_pairs') }} as p
left join {{ ref('int_customers__merged') }} as m on m.customer_key = p.customer_key_a
