-- Checks each line of the outbound message log (see ingest/landing/format.ts); one parse per line.
create or replace temp table checked as
with parsed as (
  select file, line_no, line,
         case when json_valid(line) then json_transform(line, '{"v": "VARCHAR", "message_id": "VARCHAR",
           "sent_at": "VARCHAR", "phone_number_id": "VARCHAR", "recipient_wa_id": "VARCHAR",
           "recipient_user_id": "VARCHAR", "sender_kind": "VARCHAR", "agent_id": "VARCHAR",
           "agent_name": "VARCHAR", "automation_id": "VARCHAR", "template_name": "VARCHAR",
           "template_category": "VARCHAR", "template_language": "VARCHAR", "campaign_id": "VARCHAR",
           "message_type": "VARCHAR", "text": "VARCHAR", "reply_to_message_id": "VARCHAR"}') end as r
  from landed_lines
)
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

insert into raw.outbound_messages
select file, line_no, r.message_id, sent_at, r.phone_number_id, r.recipient_wa_id, r.recipient_user_id,
       r.sender_kind, r.agent_id, r.agent_name, r.automation_id, r.template_name, r.template_category,
       r.template_language, r.campaign_id, r.message_type, r.text, r.reply_to_message_id, current_timestamp
from checked
where problem is null
order by file, line_no;
