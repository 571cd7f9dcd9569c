-- One row per customer key (R2): the E.164 phone when known (CRM phone normalised, or '+' ||
-- WhatsApp wa_id), else the business-scoped user id (a WhatsApp user with no phone), else
-- 'crm:<crm>:<record_id>' for a CRM record whose phone cannot be normalised. CRM attributes come
-- from the current CRM records with that key, live records before deleted ones (the most recently
-- modified one for single values, R10); WhatsApp attributes from the messages; the R8 merged key;
-- R7/R15 keyword tags (price-sensitive = "discount" in 3 or more messages). A customer whose
-- CRM records are all deleted stays (flagged): their orders and conversations still happened.

with

identity as (

    select * from {{ ref('int_customers__identity') }}

),

crm_contacts as (

    select
        c.*,
        coalesce(c.phone_e164, 'crm:' || c.crm_contact_key) as customer_key
    from {{ ref('int_crm__contacts_current') }} as c

),

crm_by_key as (

    select
        customer_key,
        list(crm_contact_key order by is_deleted, updated_at desc, crm_contact_key) as crm_contact_keys,
        (count(*) filter (where not is_deleted))::integer as crm_record_count,
        bool_and(is_deleted) as is_deleted_in_crm,
        first(crm_contact_key order by is_deleted, updated_at desc, crm_contact_key) as primary_crm_contact_key,
        first(full_name order by is_deleted, updated_at desc, crm_contact_key) as crm_full_name,
        first(country order by is_deleted, updated_at desc, crm_contact_key) as crm_country,
        first(email order by is_deleted, updated_at desc, crm_contact_key) filter (where email is not null) as email,
        first(customer_grade_raw order by is_deleted, updated_at desc, crm_contact_key) filter (where customer_grade_raw is not null) as customer_grade_raw,
        first(lead_source order by is_deleted, updated_at desc, crm_contact_key) filter (where lead_source is not null) as crm_lead_source,
        first(city order by is_deleted, updated_at desc, crm_contact_key) filter (where city is not null) as city,
        bool_or(marketing_opt_in) filter (where not is_deleted) as marketing_opt_in,
        min(opt_in_at) filter (where marketing_opt_in and not is_deleted) as opt_in_at,
        first(owner_agent_id order by is_deleted, updated_at desc, crm_contact_key) filter (where owner_agent_id is not null) as owner_agent_id,
        min(created_at) as crm_created_at,
        max(updated_at) as crm_updated_at
    from crm_contacts
    group by customer_key

),

messages as (

    select * from {{ ref('fct_messages') }}
    where customer_key is not null

),

messages_by_key as (

    select
        customer_key,
        first(customer_key_type) as customer_key_type,
        first(wa_id order by sent_at_utc desc) filter (where wa_id is not null) as wa_id,
        first(user_id order by sent_at_utc desc) filter (where user_id is not null) as bsuid,
        min(sent_at_utc) filter (where direction = 'inbound') as first_inbound_at,
        max(sent_at_utc) filter (where direction = 'inbound') as last_inbound_at,
        min(sent_at_utc) filter (where direction = 'outbound') as first_outbound_at,
        max(sent_at_utc) filter (where direction = 'outbound') as last_outbound_at,
        count(*) filter (where direction = 'inbound')::integer as inbound_messages,
        count(*) filter (where direction = 'outbound')::integer as outbound_messages,
        first(referral_source_id order by sent_at_utc) filter (where direction = 'inbound' and referral_source_id is not null) as first_referral_source_id
    from messages
    group by customer_key

),

profile_names as (

    select
        customer_key,
        first(profile_name order by message_at desc) as whatsapp_profile_name
    from {{ ref('int_messages__deduplicated') }} as m
    where profile_name is not null and customer_key is not null
    group by customer_key

),

-- a BSUID seen next to a phone maps to the phone key; keep the user id on that customer
bsuid_by_key as (

    select customer_key, first(identity_id order by last_seen_at desc) as bsuid
    from identity
    where identity_source = 'bsuid'
    group by customer_key

),

keywords as (

    -- R7 hot-keywords field and R15 tags from what the customer wrote
    select
        customer_key,
        count(*) filter (where topic = 'discount')::integer as discount_mentions,
        list(distinct topic order by topic) as hot_keywords
    from {{ ref('fct_message_keywords') }}
    where customer_key is not null
    group by customer_key

),

merged as (

    select customer_key, merged_customer_key from {{ ref('int_customers__merged') }}

),

keys as (

    select customer_key from crm_by_key
    union
    select customer_key from messages_by_key

),

joined as (

    select
        k.customer_key,
        case
            when starts_with(k.customer_key, '+') then 'phone'
            when starts_with(k.customer_key, 'crm:') then 'crm_record'
            else 'bsuid'
        end as customer_key_type,
        case when starts_with(k.customer_key, '+') then k.customer_key end as phone_e164,
        coalesce(m.bsuid, b.bsuid) as bsuid,
        m.wa_id,
        c.crm_contact_keys,
        coalesce(c.crm_record_count, 0) as crm_record_count,
        coalesce(c.is_deleted_in_crm, false) as is_deleted_in_crm,
        c.primary_crm_contact_key,
        c.crm_full_name,
        p.whatsapp_profile_name,
        coalesce(c.crm_full_name, p.whatsapp_profile_name) as display_name,
        c.crm_full_name is not null and p.whatsapp_profile_name is not null
            and lower(trim(c.crm_full_name)) <> lower(trim(p.whatsapp_profile_name)) as has_name_difference,
        case
            when starts_with(k.customer_key, '+') then {{ phone_country_of_e164('k.customer_key') }}
            else c.crm_country
        end as market_country,
        c.crm_country,
        c.email,
        c.customer_grade_raw,
        coalesce(c.customer_grade_raw, 'new customer') as customer_grade,
        c.crm_lead_source,
        coalesce(
            c.crm_lead_source,
            case when m.first_inbound_at is not null then 'WhatsApp' end
        ) as lead_source,
        m.first_referral_source_id,
        c.city,
        coalesce(c.marketing_opt_in, false) as marketing_opt_in,
        c.opt_in_at,
        c.owner_agent_id,
        c.crm_created_at,
        c.crm_updated_at,
        m.first_inbound_at,
        m.last_inbound_at,
        m.first_outbound_at,
        m.last_outbound_at,
        coalesce(m.inbound_messages, 0) as inbound_messages,
        coalesce(m.outbound_messages, 0) as outbound_messages,
        coalesce(mg.merged_customer_key, k.customer_key) as merged_customer_key,
        coalesce(kw.discount_mentions, 0) as discount_mentions,
        coalesce(kw.discount_mentions, 0) >= 3 as is_price_sensitive,
        coalesce(kw.hot_keywords, []::varchar[]) as hot_keywords,
        c.customer_key is not null as is_in_crm,
        m.customer_key is not null as is_on_whatsapp
    from keys as k
    left join crm_by_key as c on c.customer_key = k.customer_key
    left join messages_by_key as m on m.customer_key = k.customer_key
    left join profile_names as p on p.customer_key = k.customer_key
    left join bsuid_by_key as b on b.customer_key = k.customer_key
    left join keywords as kw on kw.customer_key = k.customer_key
    left join merged as mg on mg.customer_key = k.customer_key

)

select * from joined
