-- CRM contact versions (every changed record, appended per snapshot; R10 needs them all).
-- Light cleanup only: empty strings become null (R7 defaults are applied downstream), country
-- upper-cased. Phones stay as typed; int_customers__identity normalises them (R2).

with

source as (

    select * from {{ source('raw', 'crm_contacts') }}

)

select
    crm || ':' || record_id || ':' || snapshot_id as contact_version_key,
    crm,
    record_id,
    snapshot_id,
    snapshot_at,
    nullif(trim(full_name), '') as full_name,
    nullif(trim(phone), '') as phone,
    upper(nullif(trim(country), '')) as country,
    lower(nullif(trim(email), '')) as email,
    nullif(trim(customer_grade), '') as customer_grade,
    nullif(trim(postal_code), '') as postal_code,
    nullif(trim(address), '') as address,
    nullif(trim(city), '') as city,
    nullif(trim(lead_source), '') as lead_source,
    nullif(trim(tags), '') as tags,
    coalesce(marketing_opt_in, false) as marketing_opt_in,
    opt_in_at,
    nullif(trim(owner_agent_id), '') as owner_agent_id,
    created_at,
    updated_at,
    deleted_at,
    -- normalisation done by the Node CRM loader (libphonenumber), when it ran
    nullif(trim(phone_e164), '') as loader_phone_e164,
    upper(nullif(trim(phone_region), '')) as loader_phone_region,
    nullif(trim(phone_error), '') as loader_phone_error,
    nullif(trim(mapping_errors), '') as mapping_errors
from source
