-- Loads one landed CRM snapshot (NDJSON files written by the CRM connector). A record version
-- already in raw (same id and updated_at) is not appended again, so overlapping watermarks are safe.
insert into raw.crm_contacts
select getvariable('snapshot_id'), getvariable('snapshot_at')::timestamptz, getvariable('crm_name'),
       s.id, s.full_name, s.phone, s.country, s.email, s.customer_grade, s.postal_code, s.address, s.city,
       s.lead_source, s.tags, s.marketing_opt_in::boolean, s.opt_in_at::timestamptz, s.owner_agent_id,
       s.created_at::timestamptz, s.updated_at::timestamptz, s.deleted_at::timestamptz
from read_ndjson(getvariable('crm_dir') || '/contacts.ndjson', columns = {
  id: 'VARCHAR', full_name: 'VARCHAR', phone: 'VARCHAR', country: 'VARCHAR', email: 'VARCHAR',
  customer_grade: 'VARCHAR', postal_code: 'VARCHAR', address: 'VARCHAR', city: 'VARCHAR',
  lead_source: 'VARCHAR', tags: 'VARCHAR', marketing_opt_in: 'INTEGER', opt_in_at: 'VARCHAR',
  owner_agent_id: 'VARCHAR', created_at: 'VARCHAR', updated_at: 'VARCHAR', deleted_at: 'VARCHAR'}) s
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
       s.currency, s.total_amount, s.updated_at::timestamptz
from read_ndjson(getvariable('crm_dir') || '/orders.ndjson', columns = {
  id: 'VARCHAR', contact_id: 'VARCHAR', ordered_at: 'VARCHAR', status: 'VARCHAR',
  payment_method: 'VARCHAR', channel: 'VARCHAR', campaign_id: 'VARCHAR', currency: 'VARCHAR',
  total_amount: 'DOUBLE', updated_at: 'VARCHAR'}) s
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
