-- The warehouse's `raw` schema: what the loaders write, exactly as landed, plus lineage
-- (file, line) on every row. dbt's staging models read these tables and nothing else.
create schema if not exists raw;

-- One row per landed file (or CRM snapshot) that was loaded; the loaders' idempotency key.
create table if not exists raw.load_ledger (
  source            varchar not null,   -- webhooks | outbound | campaigns | ad_spend | leads | crm
  file              varchar not null,   -- path relative to the home folder, or a CRM snapshot id
  file_bytes        bigint,
  lines             bigint not null,    -- lines (or records) in the file
  loaded_rows       bigint not null,
  quarantined_rows  bigint not null,
  loaded_at         timestamptz not null,
  primary key (source, file)
);

-- Lines that could not be loaded, with where they came from and why. Nothing is dropped.
create table if not exists raw.quarantine (
  source          varchar not null,
  file            varchar not null,
  line_no         bigint not null,      -- 1-based line in the file (0 for file-level problems)
  field           varchar,              -- the offending field, when one can be named
  reason          varchar not null,
  raw_line        varchar,
  quarantined_at  timestamptz not null
);

-- One row per webhook POST landed by the receiver (or written by the demo generator).
create table if not exists raw.webhook_receipts (
  receipt_id    varchar not null,
  file          varchar not null,
  line_no       bigint not null,
  received_at   timestamptz not null,
  path          varchar,
  remote_addr   varchar,
  headers       json,
  signature     varchar not null,       -- valid | not-checked
  body_sha256   varchar not null,
  body          varchar not null,       -- the raw body, exactly as received
  -- the same body as JSON (valid JSON is a load condition); computed on read, never stored twice
  payload       json generated always as (body::json) virtual,
  loaded_at     timestamptz not null
);

-- One row per message the business sent (the outbound message log).
create table if not exists raw.outbound_messages (
  file                 varchar not null,
  line_no              bigint not null,
  message_id           varchar not null,
  sent_at              timestamptz not null,
  phone_number_id      varchar not null,
  recipient_wa_id      varchar,
  recipient_user_id    varchar,
  sender_kind          varchar not null, -- agent | bot | automation | campaign
  agent_id             varchar,
  agent_name           varchar,
  automation_id        varchar,
  template_name        varchar,
  template_category    varchar,          -- marketing | utility | authentication | service
  template_language    varchar,
  campaign_id          varchar,
  message_type         varchar not null,
  text                 varchar,
  reply_to_message_id  varchar,
  loaded_at            timestamptz not null
);

create table if not exists raw.campaigns (
  file         varchar not null,
  line_no      bigint not null,
  campaign_id  varchar not null,
  name         varchar,
  channel      varchar not null,
  kind         varchar,                  -- ctwa_ad | broadcast | social_ad | search_ad | ...
  objective    varchar,
  started_on   date,
  ended_on     date,
  budget       double,
  currency     varchar,
  loaded_at    timestamptz not null
);

create table if not exists raw.ad_spend (
  file         varchar not null,
  line_no      bigint not null,
  spend_date   date not null,
  channel      varchar not null,
  campaign_id  varchar,
  spend        double not null,
  currency     varchar not null,
  impressions  bigint,
  clicks       bigint,
  loaded_at    timestamptz not null
);

create table if not exists raw.leads (
  file            varchar not null,
  line_no         bigint not null,
  lead_id         varchar not null,
  created_at      timestamptz not null,
  channel         varchar not null,
  campaign_id     varchar,
  phone           varchar,
  country         varchar,
  crm_contact_id  varchar,
  loaded_at       timestamptz not null
);

-- CRM snapshots: every changed record is appended with its snapshot, so the history of each
-- record is kept (R10: last-modified-wins needs every version, at millisecond precision).
create table if not exists raw.crm_contacts (
  snapshot_id       varchar not null,
  snapshot_at       timestamptz not null,
  crm               varchar not null,   -- which CRM the record came from (config name)
  record_id         varchar not null,
  full_name         varchar,
  phone             varchar,
  country           varchar,
  email             varchar,
  customer_grade    varchar,
  postal_code       varchar,
  address           varchar,
  city              varchar,
  lead_source       varchar,
  tags              varchar,
  marketing_opt_in  boolean,
  opt_in_at         timestamptz,
  owner_agent_id    varchar,
  created_at        timestamptz,
  updated_at        timestamptz not null,
  deleted_at        timestamptz,
  phone_e164        varchar,            -- the phone in E.164 (R2), null when it could not be normalised
  phone_region      varchar,            -- the region the number belongs to
  phone_error       varchar,            -- why the phone could not be normalised (kept, never dropped)
  mapping_errors    varchar             -- "field: reason; ..." for values that did not fit (R7)
);
-- Warehouses created before these columns existed get them appended.
alter table raw.crm_contacts add column if not exists phone_e164 varchar;
alter table raw.crm_contacts add column if not exists phone_region varchar;
alter table raw.crm_contacts add column if not exists phone_error varchar;
alter table raw.crm_contacts add column if not exists mapping_errors varchar;

create table if not exists raw.crm_products (
  snapshot_id  varchar not null,
  snapshot_at  timestamptz not null,
  crm          varchar not null,
  sku          varchar not null,
  name         varchar,
  brand        varchar,
  category     varchar,
  list_price   double,
  currency     varchar,
  updated_at   timestamptz not null
);

create table if not exists raw.crm_orders (
  snapshot_id     varchar not null,
  snapshot_at     timestamptz not null,
  crm             varchar not null,
  order_id        varchar not null,
  contact_id      varchar,
  ordered_at      timestamptz,
  status          varchar,
  payment_method  varchar,
  channel         varchar,
  campaign_id     varchar,
  currency        varchar,
  total_amount    double,
  updated_at      timestamptz not null,
  mapping_errors  varchar
);
alter table raw.crm_orders add column if not exists mapping_errors varchar;

-- Items carry their order's updated_at: they are re-snapshotted whenever their order changes.
create table if not exists raw.crm_order_items (
  snapshot_id   varchar not null,
  snapshot_at   timestamptz not null,
  crm           varchar not null,
  order_id      varchar not null,
  line_no       integer not null,
  sku           varchar,
  product_name  varchar,
  quantity      integer,
  unit_price    double,
  updated_at    timestamptz not null
);

-- Hard deletes and restores, detected per snapshot by comparing the CRM's full id set with the
-- records known to be alive (detected_by 'id-set'), or reported by the CRM itself ('crm').
create table if not exists raw.crm_deletions (
  snapshot_id   varchar not null,
  snapshot_at   timestamptz not null,
  crm           varchar not null,
  entity        varchar not null,       -- contacts | orders
  record_id     varchar not null,
  change        varchar not null,       -- deleted | restored
  deleted_at    timestamptz,            -- when the CRM says it was deleted, if it says
  detected_by   varchar not null
);

-- CRM sync health per snapshot, for the health dashboard (R2 phone normalisation, R7 < 2% mapping errors).
create table if not exists raw.crm_sync_health (
  snapshot_id            varchar not null,
  snapshot_at            timestamptz not null,
  crm                    varchar not null,
  connector              varchar,
  records                bigint,         -- contact records read
  mapping_error_records  bigint,         -- records with at least one field-mapping error
  mapping_error_rate     double,
  phones                 bigint,         -- non-empty phone numbers
  phones_empty           bigint,
  phones_failed          bigint,         -- could not be normalised to E.164
  phone_failure_rate     double,
  skipped_without_id     bigint,
  ms                     bigint
);
