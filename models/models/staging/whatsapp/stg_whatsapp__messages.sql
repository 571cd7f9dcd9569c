{{
    config(
        materialized='incremental',
        incremental_strategy='append',
    )
}}

-- Inbound messages: every entry[] x changes[] x value.messages[] of `messages` webhooks, one row
-- per element as delivered (duplicates from Meta retries are kept here and removed in
-- int_messages__deduplicated). Unknown types are kept: their type-specific body is in
-- `type_body` and the whole element in `message`.
-- The sender's contacts[] entry is matched by wa_id, then by BSUID, then by position.

with

changes as (

    select * from {{ ref('stg_whatsapp__changes') }}
    where field = 'messages' and messages_count > 0
    {% if is_incremental() %}
      and {{ rows_not_yet_built() }}
    {% endif %}

),

parsed as (

    -- one typed parse of the whole change (json_transform is lenient: missing keys and
    -- mismatched shapes give null), plus the raw elements for `message` / `type_body`
    select
        c.*,
        json_transform(c.value, '{
            "contacts": [{"wa_id": "VARCHAR", "user_id": "VARCHAR", "parent_user_id": "VARCHAR",
                          "profile": {"name": "VARCHAR", "username": "VARCHAR"}}],
            "messages": [{
                "id": "VARCHAR", "from": "VARCHAR", "from_user_id": "VARCHAR", "from_parent_user_id": "VARCHAR",
                "group_id": "VARCHAR", "timestamp": "VARCHAR", "type": "VARCHAR",
                "text": {"body": "VARCHAR"},
                "image": {"id": "VARCHAR", "mime_type": "VARCHAR", "caption": "VARCHAR"},
                "video": {"id": "VARCHAR", "mime_type": "VARCHAR", "caption": "VARCHAR"},
                "document": {"id": "VARCHAR", "mime_type": "VARCHAR", "caption": "VARCHAR"},
                "audio": {"id": "VARCHAR", "mime_type": "VARCHAR", "voice": "VARCHAR"},
                "sticker": {"id": "VARCHAR", "mime_type": "VARCHAR"},
                "button": {"payload": "VARCHAR", "text": "VARCHAR"},
                "interactive": {"type": "VARCHAR", "button_reply": {"id": "VARCHAR", "title": "VARCHAR"},
                                "list_reply": {"id": "VARCHAR", "title": "VARCHAR"}},
                "reaction": {"message_id": "VARCHAR", "emoji": "VARCHAR"},
                "order": {"text": "VARCHAR"},
                "system": {"body": "VARCHAR", "type": "VARCHAR", "wa_id": "VARCHAR", "user_id": "VARCHAR"},
                "unsupported": {"type": "VARCHAR"},
                "edit": {"original_message_id": "VARCHAR",
                         "message": {"text": {"body": "VARCHAR"}, "image": {"caption": "VARCHAR"}}},
                "revoke": {"original_message_id": "VARCHAR"},
                "context": {"id": "VARCHAR", "from": "VARCHAR", "forwarded": "VARCHAR", "frequently_forwarded": "VARCHAR"},
                "referral": {"source_id": "VARCHAR", "source_type": "VARCHAR", "source_url": "VARCHAR", "ctwa_clid": "VARCHAR"},
                "errors": ["JSON"]
            }]
        }') as v,
        {{ json_list('c.value', '$.messages') }} as raw_messages
    from changes as c

),

exploded as (

    select
        change_key,
        receipt_id,
        file,
        line_no,
        received_at,
        loaded_at,
        waba_id,
        phone_number_id,
        display_phone_number,
        entry_index,
        change_index,
        messages_count,
        v.contacts as contacts,
        unnest(v.messages) as m,
        unnest(raw_messages) as message,
        generate_subscripts(raw_messages, 1)::integer as message_index
    from parsed

),

with_contact as (

    select
        *,
        nullif(regexp_replace(coalesce(m."from", ''), '[^0-9]', '', 'g'), '') as from_digits,
        m.type as message_type
    from exploded

),

matched as (

    select
        *,
        coalesce(
            list_filter(contacts, lambda ct: ct.wa_id = from_digits)[1],
            list_filter(contacts, lambda ct: ct.user_id = m.from_user_id)[1],
            case when len(contacts) = messages_count then contacts[message_index] end,
            case when len(contacts) = 1 then contacts[1] end
        ) as contact
    from with_contact

)

select
    change_key || ':m' || message_index as message_event_key,
    m.id as message_id,
    receipt_id,
    file,
    line_no,
    received_at,
    loaded_at,
    waba_id,
    phone_number_id,
    display_phone_number,
    entry_index,
    change_index,
    message_index,

    -- who sent it
    m."from" as from_raw,
    coalesce(nullif(regexp_replace(coalesce(contact.wa_id, ''), '[^0-9]', '', 'g'), ''), from_digits) as wa_id,
    coalesce(
        contact.user_id,
        m.from_user_id,
        -- a BSUID system message without `from` names the user only in its body
        case when m."from" is null and message_type = 'system' then m.system.user_id end
    ) as user_id,
    coalesce(contact.parent_user_id, m.from_parent_user_id) as parent_user_id,
    contact.profile.name as profile_name,
    contact.profile.username as profile_username,
    m.group_id as group_id,

    -- what and when
    to_timestamp(try_cast(m.timestamp as double)) as message_at,
    message_type,
    coalesce(
        m.text.body,
        m.image.caption,
        m.video.caption,
        m.document.caption,
        m.button.text,
        m.interactive.button_reply.title,
        m.interactive.list_reply.title,
        m."order".text,
        m.system.body,
        m.edit.message.text.body,
        m.edit.message.image.caption
    ) as text,
    m.interactive.type as interactive_type,
    coalesce(
        m.interactive.button_reply.id,
        m.interactive.list_reply.id
    ) as interactive_reply_id,
    m.button.payload as button_payload,
    m.reaction.message_id as reaction_message_id,
    nullif(m.reaction.emoji, '') as reaction_emoji,
    coalesce(
        m.image.id, m.video.id, m.audio.id, m.document.id, m.sticker.id
    ) as media_id,
    coalesce(
        m.image.mime_type, m.video.mime_type, m.audio.mime_type, m.document.mime_type, m.sticker.mime_type
    ) as media_mime_type,
    try_cast(m.audio.voice as boolean) as is_voice,
    m.unsupported.type as unsupported_type,
    m.system.type as system_type,
    m.system.wa_id as system_new_wa_id,
    coalesce(
        m.edit.original_message_id,
        m.revoke.original_message_id
    ) as original_message_id,

    -- context: replies and forwards
    m.context.id as context_message_id,
    m.context."from" as context_from,
    coalesce(try_cast(m.context.forwarded as boolean), false) as is_forwarded,
    coalesce(try_cast(m.context.frequently_forwarded as boolean), false) as is_frequently_forwarded,

    -- Click-to-WhatsApp ad / post origin
    m.referral.source_id as referral_source_id,
    m.referral.source_type as referral_source_type,
    m.referral.source_url as referral_source_url,
    m.referral.ctwa_clid as referral_ctwa_clid,

    coalesce(len(m.errors), 0)::integer as errors_count,
    case when message_type is not null then json_extract(message, '$."' || message_type || '"') end as type_body,
    message,
    {{ build_stamp() }} as built_at
from matched
