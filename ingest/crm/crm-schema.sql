-- The embedded default CRM (SQLite): the shape the demo generator writes and the SQL connector
-- reads by default. Timestamps are ISO-8601 UTC text with milliseconds ("2026-03-01T10:00:00.123Z").
create table if not exists contacts (
  id              text primary key,          -- CRM record id, e.g. "C000123"
  full_name       text not null,
  phone           text,                      -- as typed by staff: local formats, spaces, dashes
  country         text,                      -- ISO 3166-1 alpha-2 of the customer's market
  email           text,
  customer_grade  text,                      -- empty for many records (R7: default "new customer")
  postal_code     text,                      -- missing for ~23% (R9)
  address         text,
  city            text,
  lead_source     text,                      -- "WhatsApp", "LINE", "Web", "Store", ... (R18)
  tags            text,                      -- semicolon-separated, staff-owned plus "scrm:" tags
  marketing_opt_in integer not null default 0,
  opt_in_at       text,
  owner_agent_id  text,
  created_at      text not null,
  updated_at      text not null,
  deleted_at      text                       -- soft delete
);
create index if not exists contacts_updated_at on contacts(updated_at);

create table if not exists products (
  sku         text primary key,              -- standard code, e.g. "APL-IP15PM" (R9)
  name        text not null,
  brand       text not null,
  category    text not null,
  list_price  real not null,
  currency    text not null,
  updated_at  text not null
);

create table if not exists orders (
  id             text primary key,
  contact_id     text not null references contacts(id),
  ordered_at     text not null,
  status         text not null,              -- paid | cancelled | refunded | pending
  payment_method text not null,              -- cod | card | wallet | bank_transfer (R25)
  channel        text not null,              -- whatsapp | web | store | line
  campaign_id    text,
  currency       text not null,
  total_amount   real not null,
  updated_at     text not null
);
create index if not exists orders_updated_at on orders(updated_at);

create table if not exists order_items (
  order_id     text not null references orders(id),
  line_no      integer not null,
  sku          text,                          -- often empty: staff typed the model string instead
  product_name text not null,                 -- messy model string, e.g. "iPhone15 Pro Max" (R9)
  quantity     integer not null,
  unit_price   real not null,
  primary key (order_id, line_no)
);
