"""Synthetic volume for timing `dbt build`: N inbound + N outbound messages (with ~3 statuses
each, 2% duplicate deliveries) appended to an existing dev warehouse (see load_fixtures.py).
Usage: .venv/bin/python models/dev/gen_bench.py /tmp/dbtbench/warehouse.duckdb 500000 [start]
`start` (default 0) offsets message numbers, ids and times, so that a second call appends newer
messages (bench/dbt.ts appends "one new day" this way). loaded_at follows the message times, so an
appended batch is newer than everything already built (the incremental watermark). Files are one
per hour per source, each with its load-ledger row.
"""
import sys
import duckdb

db, n = sys.argv[1], int(sys.argv[2])
start = int(sys.argv[3]) if len(sys.argv) > 3 else 0
con = duckdb.connect(db)
con.execute(f"""
create temp table m as
select i, 'wamid.B' || i as id, (85290000000::bigint + (i % 50000))::varchar as wa,
       1772438400 + i * 7 as ts from range({start}, {start} + {n}) t(i);
-- inbound: 5 messages per POST
insert into raw.webhook_receipts (receipt_id, file, line_no, received_at, path, remote_addr, headers, signature, body_sha256, body, loaded_at)
select 'b-in-' || g, 'bench/webhooks/' || strftime(to_timestamp(max(ts)), '%Y%m%d%H') || '.ndjson', g, to_timestamp(min(ts)), null, null, null, 'not-checked', 'x',
  json_object('object', 'whatsapp_business_account', 'entry', [json_object('id', '9', 'changes', [json_object('field', 'messages', 'value',
    json_object('messaging_product', 'whatsapp', 'metadata', json_object('phone_number_id', '8'),
      'contacts', list(json_object('wa_id', wa, 'profile', json_object('name', 'N' || (i % 50000))) order by i),
      'messages', list(json_object('from', wa, 'id', id, 'timestamp', ts::varchar, 'type', 'text', 'text', json_object('body', 'hello discount ' || i)) order by i)))])]),
  to_timestamp(max(ts)) + interval 1 minute
from (select *, i // 5 as g from m union all select *, 1000000000 + i // 5 from m where i % 50 = 0) group by g;
-- outbound log
insert into raw.outbound_messages
select 'bench/outbound/' || strftime(to_timestamp(ts + 60), '%Y%m%d%H') || '.ndjson', i, 'wamid.O' || i, to_timestamp(ts + 60), '8', wa, null,
  (['agent','bot','automation','campaign'])[1 + i % 4], 'AG' || (i % 20), null, null, null, null, null, null, 'text', 'reply ' || i, 'wamid.B' || i,
  to_timestamp(ts + 120)
from m;
-- statuses: sent, delivered (skipped every 10th), read (every 2nd), 10 per POST, late order
create temp table s as
select i, 'wamid.O' || i as id, wa, st, ts + 60 + off as sts from m,
  (values ('sent', 1), ('delivered', 5), ('read', 100)) v(st, off)
where not (st = 'delivered' and i % 10 = 0) and not (st = 'read' and i % 2 = 0);
insert into raw.webhook_receipts (receipt_id, file, line_no, received_at, path, remote_addr, headers, signature, body_sha256, body, loaded_at)
select 'b-st-' || g, 'bench/webhooks/' || strftime(to_timestamp(max(sts)), '%Y%m%d%H') || '.ndjson', g, to_timestamp(min(sts)), null, null, null, 'not-checked', 'x',
  json_object('object', 'whatsapp_business_account', 'entry', [json_object('id', '9', 'changes', [json_object('field', 'messages', 'value',
    json_object('messaging_product', 'whatsapp', 'metadata', json_object('phone_number_id', '8'),
      'statuses', list(json_object('id', id, 'status', st, 'timestamp', sts, 'recipient_id', wa,
          'pricing', case when st = 'sent' then json_object('billable', false, 'pricing_model', 'PMP', 'type', 'free_customer_service', 'category', 'service') end) order by sts desc)))])]),
  to_timestamp(max(sts)) + interval 5 minute
from (select *, {start} + row_number() over (order by sts) // 10 as g from s) group by g;
""")
# the load ledger, one file per hour of each source, as the loaders would leave it
con.execute("""
insert or replace into raw.load_ledger
select 'webhooks', file, null, count(*), count(*), 0, max(loaded_at)
from raw.webhook_receipts where file like 'bench/%' group by file;
insert or replace into raw.load_ledger
select 'outbound', file, null, count(*), count(*), 0, max(loaded_at)
from raw.outbound_messages where file like 'bench/%' group by file;
""")
print(con.sql("select count(*) from raw.webhook_receipts").fetchone(), con.sql("select count(*) from raw.outbound_messages").fetchone())
