-- Sync health per local date x source (R6, R7, R11, R14, R33): what landed, what loaded, what was
-- quarantined, how late, and how well CRM records mapped. Rows:
--   source webhooks | outbound | campaigns | ad_spend | leads | crm  (from the load ledger):
--     files, lines, loaded_rows, quarantined_rows, load_success_rate = loaded / lines (R11: >= 99%
--     real time, >= 95% batch);
--   webhooks also: landing-to-warehouse lag (loaded_at - received_at) median / p95 / max seconds,
--     and event-to-receipt lag (received_at - the WhatsApp event time) median seconds (R1: 2-5 s);
--   crm also: mapping_error_rate (R7: < 2%) and phone_failure_rate (R2) of the day's last snapshot;
--   freshness_hours: hours from the source's last load that day to the end of that local day.
-- Dates are the local date of loaded_at.
-- Incremental (delete+insert by day): loads only ever add to the newest days, so a run recomputes
-- the local days from the one holding the last load it has seen (every source is cut to rows from
-- a day before that load, a superset of those days) and replaces them.

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='sync_day_key',
    )
}}

{% if is_incremental() %}
{%- set watermark -%}(select coalesce(max(last_loaded_at_utc), '-infinity'::timestamptz) from {{ this }}){%- endset -%}
{%- set since_date -%}(select coalesce(cast({{ to_local_time('max(last_loaded_at_utc)') }} as date), '-infinity'::date) from {{ this }}){%- endset -%}
{% endif %}

with

ledger as (

    select
        source,
        cast({{ to_local_time('loaded_at') }} as date) as load_date,
        count(*) as files,
        sum(lines) as lines,
        sum(loaded_rows) as loaded_rows,
        sum(quarantined_rows) as quarantined_rows,
        max(loaded_at) as last_loaded_at
    from {{ ref('stg_ingest__load_ledger') }}
    {% if is_incremental() %}
    where loaded_at >= {{ watermark }} - interval 1 day
    {% endif %}
    -- named, not `group by all`: DuckDB 1.5.6 splits groups when HAVING names a select alias
    group by source, load_date
    {% if is_incremental() %}
    having load_date >= {{ since_date }}
    {% endif %}

),

quarantine_reasons as (

    select
        source,
        cast({{ to_local_time('quarantined_at') }} as date) as load_date,
        count(*) as quarantined_lines,
        count(distinct reason) as quarantine_reasons
    from {{ ref('stg_ingest__quarantine') }}
    {% if is_incremental() %}
    where quarantined_at >= {{ watermark }} - interval 1 day
    {% endif %}
    group by all

),

webhook_lag as (

    select
        cast({{ to_local_time('c.loaded_at') }} as date) as load_date,
        {{ median_of('epoch(c.loaded_at) - epoch(c.received_at)') }} as median_load_lag_seconds,
        quantile_cont(epoch(c.loaded_at) - epoch(c.received_at), 0.95) as p95_load_lag_seconds,
        max(epoch(c.loaded_at) - epoch(c.received_at)) as max_load_lag_seconds
    from {{ ref('stg_whatsapp__changes') }} as c
    {% if is_incremental() %}
    where c.loaded_at >= {{ watermark }} - interval 1 day
    {% endif %}
    group by all

),

event_lag as (

    select
        cast({{ to_local_time('loaded_at') }} as date) as load_date,
        {{ median_of('epoch(received_at) - epoch(message_at)') }} as median_event_lag_seconds
    from {{ ref('stg_whatsapp__messages') }}
    where message_at is not null
    {% if is_incremental() %}
      and loaded_at >= {{ watermark }} - interval 1 day
    {% endif %}
    group by all

),

crm_health as (

    select
        cast({{ to_local_time('snapshot_at') }} as date) as load_date,
        arg_max(mapping_error_rate, snapshot_at) as mapping_error_rate,
        arg_max(phone_failure_rate, snapshot_at) as phone_failure_rate,
        arg_max(records, snapshot_at) as crm_records
    from {{ ref('stg_crm__sync_health') }}
    {% if is_incremental() %}
    where snapshot_at >= {{ watermark }} - interval 1 day
    {% endif %}
    group by all

)

select
    l.source || ':' || strftime(l.load_date, '%Y-%m-%d') as sync_day_key,
    l.load_date,
    l.source,
    l.files::integer as files,
    l.lines::bigint as lines,
    l.loaded_rows::bigint as loaded_rows,
    l.quarantined_rows::bigint as quarantined_rows,
    coalesce(q.quarantine_reasons, 0)::integer as quarantine_reasons,
    l.loaded_rows / nullif(l.lines, 0) as load_success_rate,
    l.quarantined_rows / nullif(l.lines, 0) as quarantine_rate,
    case when l.source = 'webhooks' then w.median_load_lag_seconds end as median_load_lag_seconds,
    case when l.source = 'webhooks' then w.p95_load_lag_seconds end as p95_load_lag_seconds,
    case when l.source = 'webhooks' then w.max_load_lag_seconds end as max_load_lag_seconds,
    case when l.source = 'webhooks' then e.median_event_lag_seconds end as median_event_lag_seconds,
    case when l.source = 'crm' then h.mapping_error_rate end as mapping_error_rate,
    case when l.source = 'crm' then h.phone_failure_rate end as phone_failure_rate,
    case when l.source = 'crm' then h.crm_records end as crm_records,
    l.last_loaded_at as last_loaded_at_utc,
    (epoch({{ from_local_time('l.load_date + 1') }}) - epoch(l.last_loaded_at)) / 3600 as freshness_hours
from ledger as l
left join quarantine_reasons as q on q.source = l.source and q.load_date = l.load_date
left join webhook_lag as w on w.load_date = l.load_date
left join event_lag as e on e.load_date = l.load_date
left join crm_health as h on h.load_date = l.load_date
