-- Checks each line of the outbound message log (see ingest/landing/format.ts).
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
    when coalesce(j->>'message_id', '') = '' then {'field': 'message_id', 'reason': 'missing message id'}
    when try_cast(j->>'sent_at' as timestamptz) is null then {'field': 'sent_at', 'reason': 'missing or not an ISO-8601 timestamp'}
    when coalesce(j->>'phone_number_id', '') = '' then {'field': 'phone_number_id', 'reason': 'missing business phone number id'}
    when (j->>'recipient_wa_id') is null and (j->>'recipient_user_id') is null then {'field': 'recipient_wa_id', 'reason': 'neither recipient_wa_id nor recipient_user_id'}
    when coalesce(j->>'sender_kind', '') not in ('agent', 'bot', 'automation', 'campaign') then {'field': 'sender_kind', 'reason': 'must be agent, bot, automation or campaign, got ' || coalesce(j->>'sender_kind', 'null')}
    when (j->>'template_category') is not null and (j->>'template_category') not in ('marketing', 'utility', 'authentication', 'service') then {'field': 'template_category', 'reason': 'unknown template category ' || (j->>'template_category')}
    when coalesce(j->>'message_type', '') = '' then {'field': 'message_type', 'reason': 'missing message type'}
  end as problem
from parsed;

insert into raw.outbound_messages
select getvariable('landed_file'), line_no, (j->>'message_id'), (j->>'sent_at')::timestamptz,
       (j->>'phone_number_id'), (j->>'recipient_wa_id'), (j->>'recipient_user_id'), (j->>'sender_kind'),
       (j->>'agent_id'), (j->>'agent_name'), (j->>'automation_id'), (j->>'template_name'),
       (j->>'template_category'), (j->>'template_language'), (j->>'campaign_id'), (j->>'message_type'),
       (j->>'text'), (j->>'reply_to_message_id'), current_timestamp
from checked
where problem is null
order by line_no;
