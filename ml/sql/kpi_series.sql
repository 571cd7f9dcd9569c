-- Daily KPI series for anomaly detection (R26): every series of marts.agg_kpi_daily, as defined
-- there (one definition per metric, including complaint_rate and delivery_failure_rate; no
-- private re-derivations here). `volume` is the day's sample size: the denominator of a ratio,
-- average or median, the value itself for counts and amounts; the detector uses it for the
-- minimum-volume rule on breakdowns and for the sampling-noise floor of ratios.
create or replace temp table ml_kpi_series as
select metric_date::date as metric_date, metric, dimension, dimension_value, value::double as value, unit,
       coalesce(denominator, numerator, value, 0)::double as volume
from marts.agg_kpi_daily
where value is not null;
