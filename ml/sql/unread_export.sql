-- R29 daily unread list: outbound messages not read 24 h after they were sent, from
-- marts.fct_unread_messages (the mart computes "as of the newest message"), with the customer's
-- CRM record and phone for follow-up. Only messages sent in the __LOOKBACK_DAYS__ days before the
-- mart's as-of time: older unread messages are no longer worth a follow-up.
create or replace temp table ml_unread_export as
select
    u.message_id,
    u.customer_key,
    split_part(c.primary_crm_contact_key, ':', 1) as crm,
    nullif(substr(c.primary_crm_contact_key, length(split_part(c.primary_crm_contact_key, ':', 1)) + 2), '') as crm_record_id,
    c.phone_e164,
    c.display_name,
    strftime(u.sent_at_utc, '%Y-%m-%dT%H:%M:%SZ') as sent_at,
    round(u.hours_unread, 1) as hours_unread,
    u.status,
    u.sender_kind,
    u.template_name,
    u.campaign_id,
    u.customer_unread_messages,
    coalesce(c.marketing_opt_in, false) as whatsapp_opt_in,
    'scrm:follow-up-unread' as follow_up_tag
from marts.fct_unread_messages as u
left join marts.dim_customers as c on c.customer_key = u.customer_key
where u.sent_at_utc >= u.as_of_at_utc - interval (__LOOKBACK_DAYS__) day
order by u.customer_key, u.sent_at_utc;
