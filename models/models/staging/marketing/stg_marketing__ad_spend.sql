-- Daily ad spend per channel and campaign (R26, R28: cost per acquisition).

with

source as (

    select * from {{ source('raw', 'ad_spend') }}

)

select
    file || ':' || line_no as ad_spend_key,
    file,
    line_no,
    loaded_at,
    spend_date,
    lower(trim(channel)) as channel,
    nullif(trim(campaign_id), '') as campaign_id,
    spend,
    upper(trim(currency)) as currency,
    impressions,
    clicks
from source
