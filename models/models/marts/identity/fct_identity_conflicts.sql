-- R10 review table: every attribute on which two sources disagree for one customer key, with the
-- value that wins (last modified wins, compared at millisecond precision) and the one that loses.
-- Sources compared:
--   crm vs whatsapp   the CRM full name vs the WhatsApp profile name (modified = the CRM record's
--                     updated_at vs the newest message carrying that profile name);
--   crm vs crm        several live CRM records with the same customer key (same E.164 number):
--                     full_name, email, country, city, customer grade.
-- One row per customer x attribute x losing value; ties at the same millisecond are flagged
-- (is_tie) for manual review without a winner.

with

contacts as (

    select
        i.customer_key, c.crm_contact_key, c.updated_at,
        c.full_name, c.email, c.country, c.city, c.customer_grade_raw
    from {{ ref('int_crm__contacts_current') }} as c
    inner join {{ ref('int_customers__identity') }} as i
        on i.identity_source = 'crm' and i.identity_id = c.crm_contact_key
    where not c.is_deleted

),

crm_values as (

    select customer_key, 'crm:' || crm_contact_key as source_ref, 'crm' as source, updated_at, attribute, value
    from contacts
    unpivot (value for attribute in (full_name, email, country, city, customer_grade_raw))
    where value is not null

),

whatsapp_names as (

    select
        customer_key,
        'whatsapp:' || arg_max(wa_id, message_at) as source_ref,
        'whatsapp' as source,
        max(message_at) as updated_at,
        'full_name' as attribute,
        profile_name as value
    from {{ ref('int_messages__deduplicated') }}
    where profile_name is not null and customer_key is not null
    group by customer_key, profile_name

),

latest_whatsapp_name as (

    select * from whatsapp_names
    qualify row_number() over (partition by customer_key order by updated_at desc, value) = 1

),

all_values as (

    select * from crm_values
    union all
    select * from latest_whatsapp_name

),

ranked as (

    select
        *,
        lower(trim(value)) as value_key,
        row_number() over (partition by customer_key, attribute order by date_trunc('millisecond', updated_at) desc, source_ref) as rn,
        count(*) over (partition by customer_key, attribute, date_trunc('millisecond', updated_at)) as same_ms
    from all_values

),

winners as (

    select * from ranked where rn = 1

)

select
    md5(l.customer_key || l.attribute || l.source_ref || l.value) as conflict_id,
    l.customer_key,
    l.attribute,
    w.value as winning_value,
    w.source as winning_source,
    w.source_ref as winning_source_ref,
    w.updated_at as winning_modified_at_utc,
    l.value as losing_value,
    l.source as losing_source,
    l.source_ref as losing_source_ref,
    l.updated_at as losing_modified_at_utc,
    l.source || '_vs_' || w.source as comparison,
    date_trunc('millisecond', l.updated_at) = date_trunc('millisecond', w.updated_at) as is_tie
from ranked as l
inner join winners as w on w.customer_key = l.customer_key and w.attribute = l.attribute
where l.rn > 1
  and l.value_key <> w.value_key
