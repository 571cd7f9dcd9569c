-- Write-back of warehouse-computed tags to the CRM (scrm writeback). Only tags in our namespace
-- ("scrm:" by default) are ever added or removed; a tag a person set is never touched.
create schema if not exists crm_sync;

-- What the warehouse wants: one row per contact and tag (a view or table that dbt or a script fills).
-- A contact with no row here has no tags of ours. `crm` names the configured CRM.
create table if not exists crm_sync.desired_tags (
  crm        varchar not null,
  record_id  varchar not null,
  tag        varchar not null
);

-- Pending writes: the complete set of our tags a contact should carry. A row leaves the outbox only
-- when the CRM holds that set (written or unchanged); failures stay, with their reason, for the next run.
create table if not exists crm_sync.outbox (
  crm              varchar not null,
  record_id        varchar not null,
  tags             varchar not null,     -- sorted, ';'-separated; '' = remove all of ours
  enqueued_at      timestamptz not null,
  attempts         integer not null,
  last_attempt_at  timestamptz,
  last_error       varchar,
  primary key (crm, record_id)
);

-- The set of our tags the CRM was last seen to hold, per contact: the enqueue step diffs against it.
create table if not exists crm_sync.tag_state (
  crm         varchar not null,
  record_id   varchar not null,
  tags        varchar not null,
  synced_at   timestamptz not null,
  primary key (crm, record_id)
);

-- One row per record per run: written | unchanged | failed | would-write (dry run).
create table if not exists crm_sync.results (
  run_id        varchar not null,
  crm           varchar not null,
  record_id     varchar not null,
  outcome       varchar not null,
  desired_tags  varchar,
  before_value  varchar,
  after_value   varchar,
  reason        varchar,
  recorded_at   timestamptz not null
);

create table if not exists crm_sync.runs (
  run_id       varchar not null,
  crm          varchar not null,
  dry_run      boolean not null,
  started_at   timestamptz not null,
  finished_at  timestamptz not null,
  enqueued     bigint,
  written      bigint,
  unchanged    bigint,
  failed       bigint,
  would_write  bigint
);
