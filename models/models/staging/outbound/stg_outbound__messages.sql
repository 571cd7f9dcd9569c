{{
    config(
        materialized='incremental',
        incremental_strategy='append',
    )
}}

-- The business's outbound message log (sends by agents, bots, automations and campaigns), one
-- row per logged send. Renames, casts and light cleanup only; statuses come from webhooks.
-- A table, not a view: the identity map and the agent names read every row on every build, and
-- the cleanup (a regexp per phone number) then ran each time on the whole log (~1.4 s CPU per
-- build at 5M sends). Incremental: the log is append-only (file, line_no identify a line).

with

source as (

    select * from {{ source('raw', 'outbound_messages') }}
    {% if is_incremental() %}
    where {{ rows_not_yet_built("file || ':' || line_no") }}
    {% endif %}

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
