-- Daily KPI series for anomaly detection (R26): every series of marts.agg_kpi_daily, plus two
-- derived overall ratios when the mart does not carry them yet: complaint_rate (inbound messages
-- tagged complaint / inbound messages, from marts.fct_message_keywords) and delivery_failure_rate
-- (failed / outbound messages sent that day). __HAS_KEYWORDS__ = 1 when the keyword mart exists.
create or replace temp table ml_kpi_series as
select metric_date::date as metric_date, metric, dimension, dimension_value, value::double as value, unit
from marts.agg_kpi_daily
where value is not null;

insert into ml_kpi_series
select m.sent_date_local::date, 'complaint_rate', 'all', 'all',
       count(distinct k.message_id)::double / count(distinct m.message_id), 'ratio'
from marts.fct_messages as m
left join (select message_id from marts.fct_message_keywords where topic = 'complaint' and __HAS_KEYWORDS__ = 1) as k
    on k.message_id = m.message_id
where m.direction = 'inbound' and m.sent_date_local is not null and __HAS_KEYWORDS__ = 1
  and not exists (select 1 from ml_kpi_series where metric = 'complaint_rate')
group by 1;

insert into ml_kpi_series
select sent_date_local::date, 'delivery_failure_rate', 'all', 'all',
       count(*) filter (where status = 'failed')::double / count(*), 'ratio'
from marts.fct_messages
where direction = 'outbound' and sent_date_local is not null
  and not exists (select 1 from ml_kpi_series where metric = 'delivery_failure_rate')
group by 1;
