-- The current version of every CRM contact: last-modified-wins per (crm, record_id), compared at
-- the millisecond precision the CRM stores (R10); ties broken by the later snapshot. Soft-deleted (or hard-deleted per the connector's deletion log, stg_crm__deletions; a later restore undoes it)
-- records are kept and flagged. The phone is normalised to E.164 for the seven demo markets (R2)
-- with the failure reason kept (R7: mapping error rate), and the empty customer grade gets the
-- R7 default 'new customer'.

with

versions as (

    select
        *,
        row_number() over (
            partition by crm, record_id
            order by date_trunc('millisecond', updated_at) desc, snapshot_at desc, snapshot_id desc
        ) as version_rank,
        count(*) over (partition by crm, record_id) as version_count,
        min(snapshot_at) over (partition by crm, record_id) as first_seen_at
    from {{ ref('stg_crm__contacts') }}

),

current_version as (

    select * from versions where version_rank = 1

),

normalised as (

    select
        *,
        {{ normalize_phone('phone', 'country') }} as phone_norm
    from current_version

)

, deletion_log as (

    select crm as dl_crm, record_id as dl_record_id, change as dl_change, deleted_at as dl_deleted_at, snapshot_at as dl_snapshot_at
    from {{ ref('stg_crm__deletions') }}
    where entity = 'contacts'
    qualify row_number() over (partition by crm, record_id order by snapshot_at desc, change) = 1

)

select
    crm || ':' || record_id as crm_contact_key,
    crm,
    record_id,
    snapshot_id,
    full_name,
    phone as phone_raw,
    -- the Node loader's libphonenumber result wins when it ran; the SQL macro otherwise
    {{ canonical_e164("case when loader_phone_e164 is not null or loader_phone_error is not null
         then loader_phone_e164 else phone_norm.e164 end") }} as phone_e164,
    case when loader_phone_e164 is not null or loader_phone_error is not null
         then loader_phone_region else phone_norm.phone_country end as phone_country,
    case when loader_phone_e164 is not null or loader_phone_error is not null
         then loader_phone_error else phone_norm.failure_reason end as phone_failure_reason,
    case when loader_phone_e164 is not null or loader_phone_error is not null
         then 'loader' else 'sql' end as phone_normalised_by,
    phone_norm.e164 as phone_e164_sql,
    mapping_errors,
    country,
    email,
    customer_grade as customer_grade_raw,
    coalesce(customer_grade, 'new customer') as customer_grade,
    postal_code,
    postal_code is null as is_postal_code_missing,
    address,
    city,
    lead_source,
    tags,
    marketing_opt_in,
    opt_in_at,
    owner_agent_id,
    created_at,
    updated_at,
    -- the deletion log (stg_crm__deletions: hard deletes detected by the connector, restores)
    -- wins when it is newer than the record's own version
    case
        when dl_change = 'deleted' and dl_snapshot_at >= updated_at then coalesce(deleted_at, dl_deleted_at, dl_snapshot_at)
        when dl_change = 'restored' and dl_snapshot_at >= updated_at then null
        else deleted_at
    end as deleted_at,
    case
        when dl_change = 'deleted' and dl_snapshot_at >= updated_at then true
        when dl_change = 'restored' and dl_snapshot_at >= updated_at then false
        else deleted_at is not null
    end as is_deleted,
    dl_change as deletion_log_change,
    version_count::integer as version_count,
    first_seen_at
from normalised
left join deletion_log on dl_crm = crm and dl_record_id = record_id
