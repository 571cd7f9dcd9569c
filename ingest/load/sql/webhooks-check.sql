-- Checks each parsed webhook line (the view `parsed`, from parse-files.sql or parse-lines.sql;
-- format in ingest/landing/format.ts) and names the first problem. Each body is parsed once:
-- json_type over the root, `object` and `entry` fails on a body that is not JSON, which try()
-- turns into null.
create or replace temp view line_checks as
with typed as (
  select file, line_no, line, r, try_cast(r.received_at as timestamptz) as received_at,
         try(json_type(r.body, ['$', '$.object', '$.entry'])) as body_types
  from parsed
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
    -- The landed body must hash to what the receiver hashed from the raw bytes: this proves the
    -- stored text is exactly what was received and signed (no corruption, no escaping slip).
    when sha256(r.body) is distinct from r.body_sha256 then {'field': 'body_sha256', 'reason': 'body does not match its SHA-256'}
    when body_types is null then {'field': 'body', 'reason': 'body is not valid JSON'}
    when body_types[2] is null then {'field': 'body.object', 'reason': 'body is not a webhook envelope (no "object")'}
    when body_types[3] is distinct from 'ARRAY' then {'field': 'body.entry', 'reason': 'body has no "entry" array'}
  end as problem
from typed;
