-- Checks each parsed line of the outbound message log (the view `parsed`, from parse-files.sql or
-- parse-lines.sql; format in ingest/landing/format.ts) and names the first problem.
create or replace temp view line_checks as
select file, line_no, r, try_cast(r.sent_at as timestamptz) as sent_at,
  case
    when line = '' then {'field': null, 'reason': 'empty line'}
    when r is null then {'field': null, 'reason': 'line is not valid JSON'}
    when r.v is distinct from '1' then {'field': 'v', 'reason': 'unknown landing format version ' || coalesce(r.v, 'null')}
    when coalesce(r.message_id, '') = '' then {'field': 'message_id', 'reason': 'missing message id'}
    when try_cast(r.sent_at as timestamptz) is null then {'field': 'sent_at', 'reason': 'missing or not an ISO-8601 timestamp'}
    when coalesce(r.phone_number_id, '') = '' then {'field': 'phone_number_id', 'reason': 'missing business phone number id'}
    when r.recipient_wa_id is null and r.recipient_user_id is null then {'field': 'recipient_wa_id', 'reason': 'neither recipient_wa_id nor recipient_user_id'}
    when coalesce(r.sender_kind, '') not in ('agent', 'bot', 'automation', 'campaign') then {'field': 'sender_kind', 'reason': 'must be agent, bot, automation or campaign, got ' || coalesce(r.sender_kind, 'null')}
    when r.template_category is not null and r.template_category not in ('marketing', 'utility', 'authentication', 'service') then {'field': 'template_category', 'reason': 'unknown template category ' || r.template_category}
    when coalesce(r.message_type, '') = '' then {'field': 'message_type', 'reason': 'missing message type'}
  end as problem
from parsed;
