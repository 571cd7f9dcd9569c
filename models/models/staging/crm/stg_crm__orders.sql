-- CRM order versions (appended per snapshot). Enumerations lower-cased.

with

source as (

    select * from {{ source('raw', 'crm_orders') }}

)

select
    crm || ':' || order_id || ':' || snapshot_id as order_version_key,
    crm,
    order_id,
    snapshot_id,
    snapshot_at,
    nullif(trim(contact_id), '') as contact_id,
    ordered_at,
    lower(nullif(trim(status), '')) as order_status,
    lower(nullif(trim(payment_method), '')) as payment_method,
    lower(nullif(trim(channel), '')) as channel,
    nullif(trim(campaign_id), '') as campaign_id,
    upper(nullif(trim(currency), '')) as currency,
    total_amount,
    updated_at,
    nullif(trim(mapping_errors), '') as mapping_errors
from source
