-- Checks each parsed webhook line (the view `parsed`, from parse-files.sql or parse-lines.sql;
-- format in ingest/landing/format.ts) and names the first problem. Each body is parsed once:
-- json_type over the root, `object` and `entry` fails on a body that is not JSON, which try()
-- turns into null. The types are read inside a lambda, not by one `when` per type: DuckDB pushes
-- the insert's filter on `problem` down and copies the json_type call into every condition that
-- reads it, which parsed each clean body three times.
create or replace temp view line_checks as
with typed as (
  select file, line_no, line, r, try_cast(r.received_at as timestamptz) as received_at,
         list_transform([try(json_type(r.body, ['$', '$.object', '$.entry']))], t -> case
           when t is null then {'field': 'body', 'reason': 'body is not valid JSON'}
           when t[2] is null then {'field': 'body.object', 'reason': 'body is not a webhook envelope (no "object")'}
           when t[3] is distinct from 'ARRAY' then {'field': 'body.entry', 'reason': 'body has no "entry" array'}
         end)[1] as body_problem
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
    else body_problem
  end as problem
from typed;
