-- The business's outbound message log (sends by agents, bots, automations and campaigns), one
-- row per logged send. Renames, casts and light cleanup only; statuses come from webhooks.

with

source as (

    select * from {{ source('raw', 'outbound_messages') }}

)

select
    message_id,
    file,
    line_no,
    loaded_at,
    sent_at,
    phone_number_id,
    nullif(regexp_replace(coalesce(recipient_wa_id, ''), '[^0-9]', '', 'g'), '') as recipient_wa_id,
    nullif(trim(recipient_user_id), '') as recipient_user_id,
    lower(trim(sender_kind)) as sender_kind,
    nullif(trim(agent_id), '') as agent_id,
    nullif(trim(agent_name), '') as agent_name,
    nullif(trim(automation_id), '') as automation_id,
    nullif(trim(template_name), '') as template_name,
    {{ wa_category('template_category') }} as template_category,
    nullif(trim(template_language), '') as template_language,
    nullif(trim(campaign_id), '') as campaign_id,
    lower(trim(message_type)) as message_type,
    text,
    nullif(trim(reply_to_message_id), '') as reply_to_message_id
from source
