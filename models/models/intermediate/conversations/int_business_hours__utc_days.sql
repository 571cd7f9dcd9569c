-- Business time as a clock that is cheap to read for millions of instants: one row per UTC day
-- over the span of int_business_hours__intervals, with the business seconds before that day and
-- the intervals overlapping it (one or two for most zones: a local working day can cross UTC
-- midnight). The business seconds before an instant t are
--   seconds_before + sum over the day's intervals of least(greatest(t - opens, 0), seconds),
-- read through an equality join on the day number (macros business_clock_join and
-- business_seconds_between), not an ASOF join per instant, which sorts every probe row.

with

intervals as (

    select
        epoch(opens_at_utc) as opens_epoch,
        epoch(closes_at_utc) as closes_epoch,
        interval_seconds,
        cumulative_seconds_before
    from {{ ref('int_business_hours__intervals') }}

),

days as (

    select unnest(range(
        floor(min(opens_epoch) / 86400)::bigint,
        floor(max(closes_epoch) / 86400)::bigint + 1
    )) as day_number
    from intervals

)

select
    d.day_number,
    date '1970-01-01' + d.day_number::integer as utc_date,
    -- every interval that closed by the day's start has fully elapsed
    coalesce(max(i.cumulative_seconds_before + i.interval_seconds) filter (where i.closes_epoch <= d.day_number * 86400), 0) as seconds_before,
    coalesce(
        list({'opens_epoch': i.opens_epoch, 'seconds': i.interval_seconds} order by i.opens_epoch)
            filter (where i.opens_epoch < (d.day_number + 1) * 86400 and i.closes_epoch > d.day_number * 86400),
        []
    ) as intervals
from days as d
cross join intervals as i
group by d.day_number
