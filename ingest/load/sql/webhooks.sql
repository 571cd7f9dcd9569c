-- Checks each landed webhook line (see ingest/landing/format.ts) and names the first problem.
-- Each line and each body is parsed once; the checks read the extracted fields.
create or replace temp table checked as
with parsed as (
  -- one parse per line into typed fields; lines that are not JSON keep r = null
  select file, line_no, line,
         case when json_valid(line) then json_transform(line, '{"v": "VARCHAR", "receipt_id": "VARCHAR",
           "received_at": "VARCHAR", "body": "VARCHAR", "body_base64": "VARCHAR", "body_sha256": "VARCHAR",
           "path": "VARCHAR", "remote_addr": "VARCHAR", "signature": "VARCHAR", "headers": "JSON"}') end as r
  from landed_lines
),
bodies as (
  select file, line_no, line, r, try_cast(r.received_at as timestamptz) as received_at,
         json_valid(r.body) as body_is_json
  from parsed
),
shaped as (
  select *, case when body_is_json then json_type(r.body, ['$.object', '$.entry']) end as envelope_types
  from bodies
)
select file, line_no, r.receipt_id, received_at, r.path, r.remote_addr, r.headers,
       coalesce(r.signature, 'not-checked') as signature, r.body_sha256, r.body,
  case
    when line = '' then {'field': null, 'reason': 'empty line'}
    when r is null then {'field': null, 'reason': 'line is not valid JSON'}
    when r.v is distinct from '1' then {'field': 'v', 'reason': 'unknown landing format version ' || coalesce(r.v, 'null')}
    when coalesce(r.receipt_id, '') = '' then {'field': 'receipt_id', 'reason': 'missing receipt id'}
    when received_at is null then {'field': 'received_at', 'reason': 'missing or not an ISO-8601 timestamp'}
    when r.body is null and r.body_base64 is not null then {'field': 'body', 'reason': 'body is not UTF-8 text (kept as body_base64)'}
    when r.body is null then {'field': 'body', 'reason': 'missing body'}
    when sha256(r.body) is distinct from r.body_sha256 then {'field': 'body_sha256', 'reason': 'body does not match its SHA-256'}
    when not body_is_json then {'field': 'body', 'reason': 'body is not valid JSON'}
    when envelope_types[1] is null then {'field': 'body.object', 'reason': 'body is not a webhook envelope (no "object")'}
    when envelope_types[2] is distinct from 'ARRAY' then {'field': 'body.entry', 'reason': 'body has no "entry" array'}
  end as problem
from shaped;

insert into raw.webhook_receipts (receipt_id, file, line_no, received_at, path, remote_addr, headers,
                                  signature, body_sha256, body, loaded_at)
select receipt_id, file, line_no, received_at, path, remote_addr, headers,
       signature, body_sha256, body, current_timestamp
from checked
where problem is null
order by file, line_no;
