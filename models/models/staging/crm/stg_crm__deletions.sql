-- Hard deletes and restores of CRM records, per snapshot (a record missing from the CRM's full id
-- set, or reported deleted by the CRM). Feeds the deleted flags downstream (later).

select
    crm || ':' || entity || ':' || record_id || ':' || snapshot_id || ':' || change as deletion_event_key,
    snapshot_id,
    snapshot_at,
    crm,
    lower(entity) as entity,
    record_id,
    lower(change) as change,
    deleted_at,
    detected_by
from {{ source('raw', 'crm_deletions') }}
