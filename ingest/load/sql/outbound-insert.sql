-- Loads the checked outbound lines that have no problem, in file and line order (the order of
-- `parsed`, which plain projections keep).
insert into raw.outbound_messages
select file, line_no, r.message_id, sent_at, r.phone_number_id, r.recipient_wa_id, r.recipient_user_id,
       r.sender_kind, r.agent_id, r.agent_name, r.automation_id, r.template_name, r.template_category,
       r.template_language, r.campaign_id, r.message_type, r.text, r.reply_to_message_id, current_timestamp
from line_checks
where problem is null;

-- The fast path's rows (line_no 0) are numbered by rowid, as in webhooks-insert.sql.
update raw.outbound_messages as o
set line_no = o.rowid + 1 - f.first_rowid
from (
  select file, min(rowid) as first_rowid
  from raw.outbound_messages
  where loaded_at = current_timestamp and line_no = 0
  group by file
) as f
where o.loaded_at = current_timestamp and o.line_no = 0 and o.file = f.file;
