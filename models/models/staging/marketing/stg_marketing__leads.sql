-- Leads captured by marketing channels (R18: lead source). Phones are as typed; they are
-- normalised in the identity model.

with

source as (

    select * from {{ source('raw', 'leads') }}

)

select
    lead_id,
    file,
    line_no,
    loaded_at,
    created_at,
    lower(trim(channel)) as channel,
    nullif(trim(campaign_id), '') as campaign_id,
    nullif(trim(phone), '') as phone,
    upper(nullif(trim(country), '')) as country,
    nullif(trim(crm_contact_id), '') as crm_contact_id
from source
