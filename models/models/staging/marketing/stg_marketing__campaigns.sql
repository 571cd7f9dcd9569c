-- Marketing campaigns; the latest loaded row per campaign_id is the current definition.

with

source as (

    select * from {{ source('raw', 'campaigns') }}

),

renamed as (

    select
        campaign_id,
        file,
        line_no,
        loaded_at,
        nullif(trim(name), '') as campaign_name,
        lower(trim(channel)) as channel,
        lower(nullif(trim(kind), '')) as campaign_kind,
        nullif(trim(objective), '') as objective,
        started_on,
        ended_on,
        budget,
        upper(nullif(trim(currency), '')) as currency,
        row_number() over (partition by campaign_id order by loaded_at desc, file desc, line_no desc) = 1 as is_current
    from source

)

select * from renamed
