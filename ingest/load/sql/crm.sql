-- Loads one landed CRM snapshot (NDJSON files written by the CRM connector). A record version
-- already in raw (same id and updated_at) is not appended again, so overlapping watermarks are safe.
insert into raw.crm_contacts
select getvariable('snapshot_id'), getvariable('snapshot_at')::timestamptz, getvariable('crm_name'),
       s.id, s.full_name, s.phone, s.country, s.email, s.customer_grade, s.postal_code, s.address, s.city,
       s.lead_source, s.tags, s.marketing_opt_in::boolean, s.opt_in_at::timestamptz, s.owner_agent_id,
       s.created_at::timestamptz, s.updated_at::timestamptz, s.deleted_at::timestamptz,
       s.phone_e164, s.phone_region, s.phone_error, s.mapping_errors
from read_ndjson(getvariable('crm_dir') || '/contacts.ndjson', columns = {
  id: 'VARCHAR', full_name: 'VARCHAR', phone: 'VARCHAR', country: 'VARCHAR', email: 'VARCHAR',
  customer_grade: 'VARCHAR', postal_code: 'VARCHAR', address: 'VARCHAR', city: 'VARCHAR',
  lead_source: 'VARCHAR', tags: 'VARCHAR', marketing_opt_in: 'INTEGER', opt_in_at: 'VARCHAR',
  owner_agent_id: 'VARCHAR', created_at: 'VARCHAR', updated_at: 'VARCHAR', deleted_at: 'VARCHAR',
  phone_e164: 'VARCHAR', phone_region: 'VARCHAR', phone_error: 'VARCHAR', mapping_errors: 'VARCHAR'}) s
where not exists (
  select 1 from raw.crm_contacts c
  where c.crm = getvariable('crm_name') and c.record_id = s.id and c.updated_at = s.updated_at::timestamptz);

insert into raw.crm_products
select getvariable('snapshot_id'), getvariable('snapshot_at')::timestamptz, getvariable('crm_name'),
       s.sku, s.name, s.brand, s.category, s.list_price, s.currency, s.updated_at::timestamptz
from read_ndjson(getvariable('crm_dir') || '/products.ndjson', columns = {
  sku: 'VARCHAR', name: 'VARCHAR', brand: 'VARCHAR', category: 'VARCHAR', list_price: 'DOUBLE',
  currency: 'VARCHAR', updated_at: 'VARCHAR'}) s
where not exists (
  select 1 from raw.crm_products c
  where c.crm = getvariable('crm_name') and c.sku = s.sku and c.updated_at = s.updated_at::timestamptz);

insert into raw.crm_orders
select getvariable('snapshot_id'), getvariable('snapshot_at')::timestamptz, getvariable('crm_name'),
       s.id, s.contact_id, s.ordered_at::timestamptz, s.status, s.payment_method, s.channel, s.campaign_id,
       s.currency, s.total_amount, s.updated_at::timestamptz, s.mapping_errors
from read_ndjson(getvariable('crm_dir') || '/orders.ndjson', columns = {
  id: 'VARCHAR', contact_id: 'VARCHAR', ordered_at: 'VARCHAR', status: 'VARCHAR',
  payment_method: 'VARCHAR', channel: 'VARCHAR', campaign_id: 'VARCHAR', currency: 'VARCHAR',
  total_amount: 'DOUBLE', updated_at: 'VARCHAR', mapping_errors: 'VARCHAR'}) s
where not exists (
  select 1 from raw.crm_orders c
  where c.crm = getvariable('crm_name') and c.order_id = s.id and c.updated_at = s.updated_at::timestamptz);

insert into raw.crm_order_items
select getvariable('snapshot_id'), getvariable('snapshot_at')::timestamptz, getvariable('crm_name'),
       s.order_id, s.line_no, s.sku, s.product_name, s.quantity, s.unit_price, s.updated_at::timestamptz
from read_ndjson(getvariable('crm_dir') || '/order_items.ndjson', columns = {
  order_id: 'VARCHAR', line_no: 'INTEGER', sku: 'VARCHAR', product_name: 'VARCHAR',
  quantity: 'INTEGER', unit_price: 'DOUBLE', updated_at: 'VARCHAR'}) s
where not exists (
  select 1 from raw.crm_order_items c
  where c.crm = getvariable('crm_name') and c.order_id = s.order_id and c.line_no = s.line_no
    and c.updated_at = s.updated_at::timestamptz);

-- Hard deletes: snapshots from connectors that can list every id carry contact_ids.txt / order_ids.txt
-- (one id a line). A record alive in raw but absent from the set is deleted; one marked deleted
-- but present again is restored. read_text on a missing file yields no rows, so older snapshots
-- (and connectors that report deletions themselves) skip this.
insert into raw.crm_deletions
with sets as (
  select case when filename like '%/contact_ids.txt' then 'contacts' else 'orders' end as entity,
         unnest(string_split(content, chr(10))) as record_id
  from read_text([getvariable('crm_dir') || '/contact_ids.txt', getvariable('crm_dir') || '/order_ids.txt'])
), listed as (
  select distinct entity from sets
), present as (
  select entity, record_id from sets where record_id <> ''
), known as (
  select 'contacts' as entity, record_id from raw.crm_contacts where crm = getvariable('crm_name') group by record_id
  union all
  select 'orders', order_id from raw.crm_orders where crm = getvariable('crm_name') group by order_id
), state as (
  select entity, record_id, arg_max(change, snapshot_at) as change
  from raw.crm_deletions where crm = getvariable('crm_name') group by entity, record_id
)
select getvariable('snapshot_id'), getvariable('snapshot_at')::timestamptz, getvariable('crm_name'),
       k.entity, k.record_id, 'deleted', null, 'id-set'
from known k
join listed l on l.entity = k.entity
left join state s on s.entity = k.entity and s.record_id = k.record_id
where s.change is distinct from 'deleted'
  and not exists (select 1 from present p where p.entity = k.entity and p.record_id = k.record_id)
union all
select getvariable('snapshot_id'), getvariable('snapshot_at')::timestamptz, getvariable('crm_name'),
       s.entity, s.record_id, 'restored', null, 'id-set'
from state s
join present p on p.entity = s.entity and p.record_id = s.record_id
where s.change = 'deleted';

-- Deletions the CRM reports itself (HubSpot's archived records), once per record until restored.
insert into raw.crm_deletions
with lines as (
  select unnest(string_split(content, chr(10))) as line
  from read_text(getvariable('crm_dir') || '/deletions.ndjson')
), d as (
  select distinct line::json ->> 'entity' as entity, line::json ->> 'id' as record_id,
         (line::json ->> 'deleted_at')::timestamptz as deleted_at
  from lines where line <> ''
), state as (
  select entity, record_id, arg_max(change, snapshot_at) as change
  from raw.crm_deletions where crm = getvariable('crm_name') group by entity, record_id
)
select getvariable('snapshot_id'), getvariable('snapshot_at')::timestamptz, getvariable('crm_name'),
       d.entity, d.record_id, 'deleted', d.deleted_at, 'crm'
from d left join state s on s.entity = d.entity and s.record_id = d.record_id
where s.change is distinct from 'deleted';

-- Sync health figures the connector measured for this snapshot.
insert into raw.crm_sync_health
select getvariable('snapshot_id'), getvariable('snapshot_at')::timestamptz, getvariable('crm_name'),
       health ->> 'connector', (health ->> 'records')::bigint, (health ->> 'mapping_error_records')::bigint,
       (health ->> 'mapping_error_rate')::double, (health ->> 'phones')::bigint, (health ->> 'phones_empty')::bigint,
       (health ->> 'phones_failed')::bigint, (health ->> 'phone_failure_rate')::double,
       (health ->> 'skipped_without_id')::bigint, (health ->> 'ms')::bigint
from read_json(getvariable('crm_dir') || '/manifest.json', columns = {health: 'JSON'})
where health is not null;
