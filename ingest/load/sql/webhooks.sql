-- Checks each landed webhook line (see ingest/landing/format.ts) and names the first problem.
create or replace temp table checked as
with parsed as (
  select line_no, line, json_valid(line) as is_json,
         case when json_valid(line) then line::json end as j
  from landed_lines
)
select line_no, line, j,
  case
    when line = '' then {'field': null, 'reason': 'empty line'}
    when not is_json then {'field': null, 'reason': 'line is not valid JSON'}
    when (j->>'v') is distinct from '1' then {'field': 'v', 'reason': 'unknown landing format version ' || coalesce(j->>'v', 'null')}
    when coalesce(j->>'receipt_id', '') = '' then {'field': 'receipt_id', 'reason': 'missing receipt id'}
    when try_cast(j->>'received_at' as timestamptz) is null then {'field': 'received_at', 'reason': 'missing or not an ISO-8601 timestamp'}
    when (j->>'body') is null and (j->>'body_base64') is not null then {'field': 'body', 'reason': 'body is not UTF-8 text (kept as body_base64)'}
    when (j->>'body') is null then {'field': 'body', 'reason': 'missing body'}
    when sha256(j->>'body') is distinct from (j->>'body_sha256') then {'field': 'body_sha256', 'reason': 'body does not match its SHA-256'}
    when not json_valid(j->>'body') then {'field': 'body', 'reason': 'body is not valid JSON'}
    when ((j->>'body')::json->>'object') is null then {'field': 'body.object', 'reason': 'body is not a webhook envelope (no "object")'}
    when json_type((j->>'body')::json->'entry') is distinct from 'ARRAY' then {'field': 'body.entry', 'reason': 'body has no "entry" array'}
  end as problem
from parsed;

insert into raw.webhook_receipts
select (j->>'receipt_id'), getvariable('landed_file'), line_no, (j->>'received_at')::timestamptz,
       (j->>'path'), (j->>'remote_addr'), (j->'headers'), coalesce(j->>'signature', 'not-checked'),
       (j->>'body_sha256'), (j->>'body'), (j->>'body')::json, current_timestamp
from checked
where problem is null
order by line_no;
