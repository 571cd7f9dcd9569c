-- The identity map: every identity the warehouse has seen, with the customer key it resolves to.
--   crm       one row per current CRM contact (deleted ones included, flagged): the E.164 phone
--             (R2) when the phone normalises, else 'crm:<crm>:<record_id>' so no record is lost;
--   wa_id     one row per WhatsApp id seen (inbound, statuses, outbound log, echoes): '+' || wa_id;
--   bsuid     one row per business-scoped user id (user_id) seen: the phone key of the newest wa_id
--             it was seen next to, else the user id itself (a user with no phone). New data can
--             change it (a first or a newer wa_id); phone_keys lists every phone key it was seen
--             with, what incremental models downstream of fct_messages look up to find the key a
--             re-keyed message may have had before (macro messages_written_since).
-- Several CRM records can share one key (R8 duplicate candidates are resolved later, keeping
-- every conversation). Brazil's ninth digit is restored on both sides (canonical_e164 macro), so a
-- WhatsApp id or CRM number without it meets the other form; other country quirks (MX 521,
-- AR 549) are not merged here.

with

crm as (

    select
        'crm' as identity_source,
        crm_contact_key as identity_id,
        coalesce(phone_e164, 'crm:' || crm_contact_key) as customer_key,
        case when phone_e164 is not null then 'phone' else 'crm_record' end as customer_key_type,
        phone_e164,
        phone_country,
        phone_failure_reason,
        is_deleted,
        updated_at as last_seen_at,
        null::varchar[] as phone_keys
    from {{ ref('int_crm__contacts_current') }}

),

wa_pairs as (

    -- every (wa_id, user_id) observation from inbound contacts, statuses, the outbound log, echoes
    select wa_id, user_id, message_at as seen_at from {{ ref('int_messages__deduplicated') }}
    union all
    select recipient_wa_id, recipient_user_id, coalesce(sent_at, first_status_at) from {{ ref('int_statuses__resolved') }}
    where coalesce(recipient_type, 'individual') <> 'group'
    union all
    select recipient_wa_id, recipient_user_id, sent_at from {{ ref('stg_outbound__messages') }}
    union all
    select to_wa_id, to_user_id, message_at from {{ ref('stg_whatsapp__message_echoes') }}
    where message_type not in ('revoke', 'edit')

),

wa_ids as (

    select
        'wa_id' as identity_source,
        wa_id as identity_id,
        {{ canonical_e164("'+' || wa_id") }} as customer_key,
        'phone' as customer_key_type,
        {{ canonical_e164("'+' || wa_id") }} as phone_e164,
        {{ phone_country_of_e164("wa_id") }} as phone_country,
        null::varchar as phone_failure_reason,
        false as is_deleted,
        max(seen_at) as last_seen_at,
        null::varchar[] as phone_keys
    from wa_pairs
    where wa_id is not null
    group by wa_id

),

bsuids as (

    select
        'bsuid' as identity_source,
        user_id as identity_id,
        coalesce({{ canonical_e164("'+' || first(wa_id order by seen_at desc nulls last) filter (where wa_id is not null)") }}, user_id) as customer_key,
        case when bool_or(wa_id is not null) then 'phone' else 'bsuid' end as customer_key_type,
        {{ canonical_e164("'+' || first(wa_id order by seen_at desc nulls last) filter (where wa_id is not null)") }} as phone_e164,
        {{ phone_country_of_e164("first(wa_id order by seen_at desc nulls last) filter (where wa_id is not null)") }} as phone_country,
        null::varchar as phone_failure_reason,
        false as is_deleted,
        max(seen_at) as last_seen_at,
        coalesce(list(distinct {{ canonical_e164("'+' || wa_id") }} order by {{ canonical_e164("'+' || wa_id") }}) filter (where wa_id is not null), []) as phone_keys
    from wa_pairs
    where user_id is not null
    group by user_id

)

select identity_source || ':' || identity_id as identity_key, * from crm
union all
select identity_source || ':' || identity_id as identity_key, * from wa_ids
union all
select identity_source || ':' || identity_id as identity_key, * from bsuids
