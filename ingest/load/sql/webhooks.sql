-- Checks each landed webhook line (see ingest/landing/format.ts) and names the first problem.
-- Each line and each body is parsed once; the checks read the extracted fields.
create or replace temp table checked as
with parsed as (
  select line_no, line, case when json_valid(line) then line::json end as j
  from landed_lines
),
fields as (
  select line_no, line, j,
         (j->>'v') as v,
         (j->>'receipt_id') as receipt_id,
         try_cast(j->>'received_at' as timestamptz) as received_at,
         (j->>'body') as body,
         (j->>'body_base64') as body_base64,
         (j->>'body_sha256') as body_sha256
  from parsed
),
bodies as (
  select *, json_valid(body) as body_is_json from fields
)
select line_no, line, j, receipt_id, received_at, body, body_sha256,
  case
    when line = '' then {'field': null, 'reason': 'empty line'}
    when j is null then {'field': null, 'reason': 'line is not valid JSON'}
    when v is distinct from '1' then {'field': 'v', 'reason': 'unknown landing format version ' || coalesce(v, 'null')}
    when coalesce(receipt_id, '') = '' then {'field': 'receipt_id', 'reason': 'missing receipt id'}
    when received_at is null then {'field': 'received_at', 'reason': 'missing or not an ISO-8601 timestamp'}
    when body is null and body_base64 is not null then {'field': 'body', 'reason': 'body is not UTF-8 text (kept as body_base64)'}
    when body is null then {'field': 'body', 'reason': 'missing body'}
    when sha256(body) is distinct from body_sha256 then {'field': 'body_sha256', 'reason': 'body does not match its SHA-256'}
    when not body_is_json then {'field': 'body', 'reason': 'body is not valid JSON'}
    when json_type(body::json, '$.object') is null then {'field': 'body.object', 'reason': 'body is not a webhook envelope (no "object")'}
    when json_type(body::json, '$.entry') is distinct from 'ARRAY' then {'field': 'body.entry', 'reason': 'body has no "entry" array'}
  end as problem
from bodies;

insert into raw.webhook_receipts
select receipt_id, getvariable('landed_file'), line_no, received_at,
       (j->>'path'), (j->>'remote_addr'), (j->'headers'), coalesce(j->>'signature', 'not-checked'),
       body_sha256, body, body::json, current_timestamp
from checked
where problem is null
order by line_no;
