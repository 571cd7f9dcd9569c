-- Rebuilds ml.treatments: our own actions on customers, which must not leak into training
-- (issue 7). Win-back sends: outbound messages from a win-back template or automation. Recovery
-- tags: every tag the scorer queued for a customer (ml.tag_log; the hold-out group is never there).
delete from ml.treatments;
insert into ml.treatments
select customer_key, sent_at_utc, 'winback_send', coalesce(template_name, automation_id)
from marts.fct_messages
where direction = 'outbound' and customer_key is not null and sent_at_utc is not null
  and (template_name ilike '%winback%' or template_name ilike '%win_back%' or automation_id ilike '%winback%');
insert into ml.treatments
select customer_key, min(tagged_at), 'recovery_tag', min(tag)
from ml.tag_log
group by customer_key, run_id;
