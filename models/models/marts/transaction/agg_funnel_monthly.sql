-- Sales-funnel stage counts per first-contact month (R25, R28; "healthy > 12%"): customers who
-- reached each stage, step conversion (stage k / stage k-1), overall conversion (stage k /
-- first contact) and the median / p90 days to convert from the previous stage. cohort_month
-- 'all' rows are not stored: sum customers over months and divide to re-aggregate.
-- Sliced by market_country, acquisition_channel and first_touch_campaign (fct_funnel) with
-- every combination of totals (CUBE): 'all' in a dimension column is the total over it, so the
-- rows with all three = 'all' are the whole funnel. Unknown values are 'unknown' (market,
-- channel) and 'none' (no first-touch referral). Sum over months within one slice only.

with

funnel as (

    select
        * exclude (market_country, acquisition_channel, first_touch_campaign),
        coalesce(market_country, 'unknown') as market_country,
        coalesce(acquisition_channel, 'unknown') as acquisition_channel,
        coalesce(first_touch_campaign, 'none') as first_touch_campaign
    from {{ ref('fct_funnel') }}

),

stages as (

    select 1 as stage_no, 'first_contact' as stage
    union all select 2, 'inquiry'
    union all select 3, 'price_question'
    union all select 4, 'order'
    union all select 5, 'repeat_order'

),

counts as (

    select
        f.cohort_month,
        s.stage_no,
        s.stage,
        case when grouping(f.market_country) = 1 then 'all' else f.market_country end as market_country,
        case when grouping(f.acquisition_channel) = 1 then 'all' else f.acquisition_channel end as acquisition_channel,
        case when grouping(f.first_touch_campaign) = 1 then 'all' else f.first_touch_campaign end as first_touch_campaign,
        count(*) filter (where f.stage_reached >= s.stage_no)::integer as customers,
        {{ median_of("case s.stage_no when 2 then f.days_contact_to_inquiry when 3 then f.days_inquiry_to_price when 4 then f.days_price_to_order when 5 then f.days_order_to_repeat end") }} as median_days_from_previous,
        {{ p90_of("case s.stage_no when 2 then f.days_contact_to_inquiry when 3 then f.days_inquiry_to_price when 4 then f.days_price_to_order when 5 then f.days_order_to_repeat end") }} as p90_days_from_previous
    from funnel as f
    cross join stages as s
    group by f.cohort_month, s.stage_no, s.stage, cube (f.market_country, f.acquisition_channel, f.first_touch_campaign)

)

select
    cohort_month,
    market_country,
    acquisition_channel,
    first_touch_campaign,
    stage_no,
    stage,
    customers,
    lag(customers) over w as previous_stage_customers,
    customers / nullif(lag(customers) over w, 0) as step_conversion,
    customers / nullif(first(customers) over w, 0) as overall_conversion,
    median_days_from_previous,
    p90_days_from_previous
from counts
window w as (partition by cohort_month, market_country, acquisition_channel, first_touch_campaign order by stage_no)
