"""Build a small development warehouse for the dbt project from the real webhook fixtures.

Usage: .venv/bin/python models/dev/load_fixtures.py /tmp/dbtdev/warehouse.duckdb

Creates the `raw` schema from ingest/load/sql/raw-schema.sql, lands every fixture envelope in
/work/shared/fixtures/whatsapp-webhooks (pywa files map case name -> envelope, restfb files are one
envelope each) as one raw.webhook_receipts row, and adds hand-made rows that exercise the tricky
cases: duplicate deliveries, out-of-order statuses, a read without delivered, integer timestamps,
both authentication-international spellings, messy CRM phones, CRM record versions, messy
product names. Not used by the product; a fixture for `dbt build` while developing.
"""
import hashlib
import json
import os
import sys
from pathlib import Path

import duckdb
import yaml

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(os.environ.get("SCRM_FIXTURES", "/work/shared/fixtures/whatsapp-webhooks"))
db_path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/dbtdev/warehouse.duckdb"
if os.path.exists(db_path):
    os.remove(db_path)
# the warehouse's on-disk format, as the profile gives it to dbt (the bench times dbt on this file)
profile = yaml.safe_load((ROOT / "models/profiles.yml").read_text())
con = duckdb.connect(db_path, config=profile["scrm"]["outputs"]["dev"]["config_options"])
con.execute((ROOT / "ingest/load/sql/raw-schema.sql").read_text())

LOADED = "2026-03-02 00:00:00+00"
bodies = []  # (file, body)
for f in sorted((FIXTURES / "pywa").glob("*.json")):
    for case, env in json.loads(f.read_text()).items():
        bodies.append((f"fixtures/pywa/{f.stem}#{case}", json.dumps(env)))
for f in sorted((FIXTURES / "restfb").glob("*.json")):
    bodies.append((f"fixtures/restfb/{f.name}", f.read_text()))


def env(value, field="messages", waba="900000000000001"):
    return json.dumps({"object": "whatsapp_business_account",
                       "entry": [{"id": waba, "changes": [{"field": field, "value": value}]}]})


META = {"display_phone_number": "85230000000", "phone_number_id": "800000000000001"}
# Hand-made: a batch with two entries, several messages + contacts, one integer timestamp.
batch = {"object": "whatsapp_business_account", "entry": [
    {"id": "900000000000001", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": META,
        "contacts": [{"profile": {"name": "Chan Tai Man"}, "wa_id": "85291234567"},
                     {"profile": {"name": "Kim Min-ji"}, "wa_id": "821012345678"}],
        "messages": [
            {"from": "85291234567", "id": "wamid.IN1", "timestamp": "1772438400", "type": "text",
             "text": {"body": "How much is the iPhone 15 Pro Max? discount?"}},
            {"from": "821012345678", "id": "wamid.IN2", "timestamp": 1772442000, "type": "text",
             "text": {"body": "매장 주소가 어디예요?"},
             "referral": {"source_url": "https://fb.me/x", "source_id": "AD-1", "source_type": "ad",
                          "ctwa_clid": "CLID-1"}}]}}]},
    {"id": "900000000000001", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": META,
        "statuses": [
            {"id": "wamid.OUT1", "status": "delivered", "timestamp": "1772438500", "recipient_id": "85291234567"},
            {"id": "wamid.OUT1", "status": "sent", "timestamp": "1772438460", "recipient_id": "85291234567",
             "pricing": {"billable": False, "pricing_model": "PMP", "type": "free_customer_service", "category": "service"}},
            {"id": "wamid.OUT2", "status": "read", "timestamp": 1772442300, "recipient_id": "821012345678"},
            {"id": "wamid.OUT2", "status": "sent", "timestamp": "1772442100", "recipient_id": "821012345678",
             "pricing": {"billable": True, "pricing_model": "PMP", "type": "regular", "category": "authentication-international"}},
            {"id": "wamid.OUT3", "status": "sent", "timestamp": "1772445600", "recipient_id": "6591234567",
             "pricing": {"billable": True, "pricing_model": "PMP", "type": "regular", "category": "authentication_international"}},
            {"id": "wamid.OUT3", "status": "failed", "timestamp": "1772445610", "recipient_id": "6591234567",
             "errors": [{"code": 131026, "title": "Message undeliverable", "message": "Message undeliverable",
                         "error_data": {"details": "invalid recipient number"}}]},
            {"id": "wamid.OUT4", "status": "sent", "timestamp": "1772449200", "recipient_id": "886912345678",
             "pricing": {"billable": True, "pricing_model": "PMP", "type": "regular", "category": "marketing"}},
            {"id": "wamid.OUT4", "status": "delivered", "timestamp": "1772449260", "recipient_id": "886912345678"},
            {"id": "wamid.OUT4", "status": "read", "timestamp": "1772452800", "recipient_id": "886912345678"},
            {"id": "wamid.APPONLY", "status": "delivered", "timestamp": "1772452900", "recipient_id": "5511987654321"},
        ]}}]},
]}
bodies.append(("handmade/batch-1.ndjson", json.dumps(batch)))
# The same batch delivered again by Meta (retry): duplicates must be counted, not double counted.
bodies.append(("handmade/batch-2.ndjson", json.dumps(batch)))
# A late 'sent' after 'read' (out of order) and a repeated 'delivered'.
bodies.append(("handmade/batch-2.ndjson", env({"messaging_product": "whatsapp", "metadata": META, "statuses": [
    {"id": "wamid.OUT4", "status": "delivered", "timestamp": "1772449265", "recipient_id": "886912345678"},
    {"id": "wamid.OUT1", "status": "read", "timestamp": "1772460000", "recipient_id": "85291234567"}]})))

for i, (file, body) in enumerate(bodies):
    con.execute(
        "insert into raw.webhook_receipts (receipt_id, file, line_no, received_at, path, remote_addr, headers, signature, body_sha256, body, loaded_at) "
        "values (?, ?, ?, ?::timestamptz + to_seconds(?), '/webhooks/whatsapp', '127.0.0.1', "
        "'{}'::json, 'not-checked', ?, ?, ?::timestamptz)",
        [f"r{i:05d}", file, 1, "2026-03-01 00:00:00+00", i, hashlib.sha256(body.encode()).hexdigest(), body, LOADED])

con.execute("""
insert into raw.outbound_messages values
 ('outbound/2026-03-02.ndjson', 1, 'wamid.OUT1', '2026-03-02 08:01:00+00', '800000000000001', '85291234567', null, 'agent', 'AG1', 'Agnes', null, null, null, null, null, 'text', 'It is HKD 9,999. We have 5% off this week.', 'wamid.IN1', '2026-03-02 09:00:00+00'),
 ('outbound/2026-03-02.ndjson', 2, 'wamid.OUT2', '2026-03-02 09:01:40+00', '800000000000001', '821012345678', null, 'bot', null, null, 'AUTO-1', 'store_address', 'authentication', 'ko', null, 'template', '매장 주소: 서울 ...', 'wamid.IN2', '2026-03-02 10:00:00+00'),
 ('outbound/2026-03-02.ndjson', 3, 'wamid.OUT3', '2026-03-02 10:00:00+00', '800000000000001', '6591234567', null, 'campaign', null, null, null, 'spring_sale', 'marketing', 'en', 'CMP-1', 'template', 'Spring sale!', null, '2026-03-02 11:00:00+00'),
 ('outbound/2026-03-02.ndjson', 4, 'wamid.OUT4', '2026-03-02 11:00:00+00', '800000000000001', '886912345678', null, 'automation', null, null, 'AUTO-2', 'spring_sale', 'marketing', 'zh_TW', 'CMP-1', 'template', 'Spring sale!', null, '2026-03-02 12:00:00+00'),
 ('outbound/2026-03-02.ndjson', 5, 'wamid.OUT5', '2026-03-02 12:00:00+00', '800000000000001', null, 'US.13491208655302741918', 'agent', 'AG2', 'Bo', null, null, null, null, null, 'text', 'Hello', null, '2026-03-02 13:00:00+00');

insert into raw.campaigns values
 ('marketing/campaigns.csv', 1, 'CMP-1', 'Spring sale', 'whatsapp', 'broadcast', 'sales', '2026-03-01', '2026-03-31', 5000, 'USD', '2026-03-02 00:00:00+00'),
 ('marketing/campaigns.csv', 2, 'CMP-2', 'CTWA iPhone', 'whatsapp', 'ctwa_ad', 'leads', '2026-03-01', null, 2000, 'USD', '2026-03-02 00:00:00+00');
insert into raw.ad_spend values
 ('marketing/ad_spend.csv', 1, '2026-03-01', 'whatsapp', 'CMP-2', 120.5, 'USD', 10000, 250, '2026-03-02 00:00:00+00'),
 ('marketing/ad_spend.csv', 2, '2026-03-02', 'whatsapp', 'CMP-2', 99.5, 'USD', 9000, 200, '2026-03-02 00:00:00+00');
insert into raw.leads values
 ('marketing/leads.csv', 1, 'L-1', '2026-03-01 03:00:00+00', 'whatsapp', 'CMP-2', '+852 9123 4567', 'HK', 'C000001', '2026-03-02 00:00:00+00'),
 ('marketing/leads.csv', 2, 'L-2', '2026-03-01 04:00:00+00', 'web', null, '010-1234-5678', 'KR', null, '2026-03-02 00:00:00+00');

insert into raw.crm_contacts (snapshot_id, snapshot_at, crm, record_id, full_name, phone, country, email, customer_grade, postal_code, address, city, lead_source, tags, marketing_opt_in, opt_in_at, owner_agent_id, created_at, updated_at, deleted_at) values
 ('S1', '2026-03-01 00:00:00+00', 'default', 'C000001', 'Chan Tai Man', '9123 4567', 'HK', 'chan@example.com', '', null, 'Flat A, 1 Queen''s Rd', 'Hong Kong', 'WhatsApp', 'vip', true, '2026-01-01 00:00:00+00', 'AG1', '2025-12-01 00:00:00+00', '2026-02-28 10:00:00.123+00', null),
 ('S2', '2026-03-02 00:00:00+00', 'default', 'C000001', 'CHAN Tai-man', '+852 9123-4567', 'HK', 'chan@example.com', 'gold', null, 'Flat A, 1 Queen''s Rd', 'Hong Kong', 'WhatsApp', 'vip', true, '2026-01-01 00:00:00+00', 'AG1', '2025-12-01 00:00:00+00', '2026-03-01 10:00:00.124+00', null),
 ('S1', '2026-03-01 00:00:00+00', 'default', 'C000002', 'Kim Minji', '010-1234-5678', 'KR', null, null, '04524', 'Seoul', 'Seoul', 'Store', null, false, null, null, '2025-12-02 00:00:00+00', '2026-02-01 00:00:00+00', null),
 ('S1', '2026-03-01 00:00:00+00', 'default', 'C000003', 'Lin Mei', '0912 345 678', 'TW', null, null, null, null, 'Taipei', 'LINE', null, true, '2026-01-05 00:00:00+00', null, '2025-12-03 00:00:00+00', '2026-02-02 00:00:00+00', null),
 ('S1', '2026-03-01 00:00:00+00', 'default', 'C000004', 'Tan Wei', '(65) 9123 4567', 'SG', null, '  ', null, null, 'Singapore', 'Web', null, false, null, null, '2025-12-04 00:00:00+00', '2026-02-03 00:00:00+00', null),
 ('S1', '2026-03-01 00:00:00+00', 'default', 'C000005', 'Ahmad', '012-345 6789', 'MY', null, 'silver', '50000', null, 'Kuala Lumpur', 'WhatsApp', null, true, null, null, '2025-12-05 00:00:00+00', '2026-02-04 00:00:00+00', null),
 ('S1', '2026-03-01 00:00:00+00', 'default', 'C000006', 'João Silva', '(11) 98765-4321', 'BR', null, null, null, null, 'São Paulo', 'WhatsApp', null, true, null, null, '2025-12-06 00:00:00+00', '2026-02-05 00:00:00+00', null),
 ('S1', '2026-03-01 00:00:00+00', 'default', 'C000007', 'Priya', '098765 43210', 'IN', null, null, null, null, 'Mumbai', 'Web', null, false, null, null, '2025-12-07 00:00:00+00', '2026-02-06 00:00:00+00', null),
 ('S1', '2026-03-01 00:00:00+00', 'default', 'C000008', 'Nobody', 'n/a', 'HK', null, null, null, null, null, null, null, false, null, null, '2025-12-08 00:00:00+00', '2026-02-07 00:00:00+00', null),
 ('S2', '2026-03-02 00:00:00+00', 'default', 'C000009', 'Deleted Person', '+886 2 2345 6789', 'TW', null, null, null, null, null, null, null, false, null, null, '2025-12-09 00:00:00+00', '2026-03-01 00:00:00+00', '2026-03-01 00:00:00+00'),
 ('S1', '2026-03-01 00:00:00+00', 'default', 'C000010', 'Chan T M', '85291234567', null, null, null, null, null, null, 'Web', null, false, null, null, '2025-12-10 00:00:00+00', '2026-02-08 00:00:00+00', null);

insert into raw.crm_products values
 ('S1', '2026-03-01 00:00:00+00', 'default', 'APL-IP15PM', 'iPhone 15 Pro Max', 'Apple', 'phone', 9999, 'HKD', '2026-01-01 00:00:00+00'),
 ('S1', '2026-03-01 00:00:00+00', 'default', 'APL-IP15', 'iPhone 15', 'Apple', 'phone', 6899, 'HKD', '2026-01-01 00:00:00+00'),
 ('S1', '2026-03-01 00:00:00+00', 'default', 'SAM-S24U', 'Galaxy S24 Ultra', 'Samsung', 'phone', 9698, 'HKD', '2026-01-01 00:00:00+00'),
 ('S1', '2026-03-01 00:00:00+00', 'default', 'APL-APP2', 'AirPods Pro 2', 'Apple', 'audio', 1849, 'HKD', '2026-01-01 00:00:00+00');

insert into raw.crm_orders (snapshot_id, snapshot_at, crm, order_id, contact_id, ordered_at, status, payment_method, channel, campaign_id, currency, total_amount, updated_at) values
 ('S1', '2026-03-01 00:00:00+00', 'default', 'O0001', 'C000001', '2026-02-28 09:00:00+00', 'pending', 'card', 'whatsapp', 'CMP-2', 'HKD', 11848, '2026-02-28 09:00:00.000+00'),
 ('S2', '2026-03-02 00:00:00+00', 'default', 'O0001', 'C000001', '2026-02-28 09:00:00+00', 'paid', 'card', 'whatsapp', 'CMP-2', 'HKD', 11848, '2026-03-01 09:00:00.001+00'),
 ('S1', '2026-03-01 00:00:00+00', 'default', 'O0002', 'C000002', '2026-02-20 05:00:00+00', 'paid', 'cod', 'store', null, 'KRW', 1500000, '2026-02-20 05:00:00+00'),
 ('S1', '2026-03-01 00:00:00+00', 'default', 'O0003', 'C000006', '2026-02-25 15:00:00+00', 'refunded', 'wallet', 'web', null, 'BRL', 7000, '2026-02-26 15:00:00+00');

insert into raw.crm_order_items values
 ('S1', '2026-03-01 00:00:00+00', 'default', 'O0001', 1, null, 'iPhone15 Pro Max', 1, 9999, '2026-02-28 09:00:00.000+00'),
 ('S2', '2026-03-02 00:00:00+00', 'default', 'O0001', 1, null, 'iPhone15 Pro Max', 1, 9999, '2026-03-01 09:00:00.001+00'),
 ('S2', '2026-03-02 00:00:00+00', 'default', 'O0001', 2, null, 'airpods pro (2nd gen)', 1, 1849, '2026-03-01 09:00:00.001+00'),
 ('S1', '2026-03-01 00:00:00+00', 'default', 'O0002', 1, 'SAM-S24U', 'Galaxy S24 Ultra 512GB', 1, 1500000, '2026-02-20 05:00:00+00'),
 ('S1', '2026-03-01 00:00:00+00', 'default', 'O0003', 1, null, 'Mystery gadget', 2, 3500, '2026-02-26 15:00:00+00');

insert into raw.load_ledger values ('webhooks', 'fixtures', null, 1, 1, 0, '2026-03-02 00:00:00+00');
""")
print("receipts:", con.sql("select count(*) from raw.webhook_receipts").fetchone()[0])
con.close()
