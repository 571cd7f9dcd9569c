-- CRM sync health per snapshot, as measured by the Node CRM loader (R2, R7, R11, R33).

select
    crm || ':' || snapshot_id as sync_health_key,
    snapshot_id,
    snapshot_at,
    crm,
    connector,
    records,
    mapping_error_records,
    mapping_error_rate,
    phones,
    phones_empty,
    phones_failed,
    phone_failure_rate,
    skipped_without_id,
    ms as duration_ms
from {{ source('raw', 'crm_sync_health') }}
