-- Sales-funnel stage counts per first-contact month (R25, R28; "healthy > 12%"): customers who
-- reached each stage, step conversion (stage k / stage k-1), overall conversion (stage k /
-- first contact) and the median / p90 days to convert from the previous stage. cohort_month
-- 'all' rows are not stored: sum customers over months and divide to re-aggregate.

with

funnel as (

    select * from {{ ref('fct_funnel') }}

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
        count(*) filter (where f.stage_reached >= s.stage_no)::integer as customers,
        {{ median_of("case s.stage_no when 2 then f.days_contact_to_inquiry when 3 then f.days_inquiry_to_price when 4 then f.days_price_to_order when 5 then f.days_order_to_repeat end") }} as median_days_from_previous,
        {{ p90_of("case s.stage_no when 2 then f.days_contact_to_inquiry when 3 then f.days_inquiry_to_price when 4 then f.days_price_to_order when 5 then f.days_order_to_repeat end") }} as p90_days_from_previous
    from funnel as f
    cross join stages as s
    group by all

)

select
    cohort_month,
    stage_no,
    stage,
    customers,
    lag(customers) over (partition by cohort_month order by stage_no) as previous_stage_customers,
    customers / nullif(lag(customers) over (partition by cohort_month order by stage_no), 0) as step_conversion,
    customers / nullif(first(customers) over (partition by cohort_month order by stage_no), 0) as overall_conversion,
    median_days_from_previous,
    p90_days_from_previous
from counts
