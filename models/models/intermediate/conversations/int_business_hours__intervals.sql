-- Business-hours intervals in UTC, one row per local date x opening interval (seed
-- business_hours, local wall-clock times in SCRM_TIMEZONE), over the span of the messages plus a
-- week either side. Input of the business clock int_business_hours__utc_days (FRT, reply and resolution time in
-- business hours, R22, R28; Chatwoot's value_in_business_hours).

with

bounds as (

    select
        cast({{ to_local_time('min(sent_at_utc)') }} as date) - 7 as first_date,
        cast({{ to_local_time('max(sent_at_utc)') }} as date) + 7 as last_date
    from {{ ref('fct_messages') }}

),

days as (

    select cast(d as date) as local_date
    from bounds, range(coalesce(bounds.first_date, current_date), coalesce(bounds.last_date, current_date) + 1, interval 1 day) as r(d)

),

hours as (

    select * from {{ ref('business_hours') }}

),

business_intervals as (

    select
        d.local_date,
        h.iso_weekday,
        {{ from_local_time('d.local_date + cast(h.opens_at as time)') }} as opens_at_utc,
        {{ from_local_time('d.local_date + cast(h.closes_at as time)') }} as closes_at_utc
    from days as d
    inner join hours as h on h.iso_weekday = isodow(d.local_date)

)

select
    local_date,
    iso_weekday,
    opens_at_utc,
    closes_at_utc,
    epoch(closes_at_utc) - epoch(opens_at_utc) as interval_seconds,
    -- business seconds of all earlier intervals: business time between two instants is a
    -- difference of this running total (two ASOF joins instead of a range join)
    coalesce(sum(epoch(closes_at_utc) - epoch(opens_at_utc))
        over (order by opens_at_utc rows between unbounded preceding and 1 preceding), 0) as cumulative_seconds_before
from business_intervals
