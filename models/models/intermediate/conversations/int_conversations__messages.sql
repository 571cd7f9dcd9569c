{{
    config(
        materialized='incremental',
        incremental_strategy='replace_tail',
        unique_key='message_id',
        tail_key='customer_key',
        tail_column='session_started_at',
        tail_cutoffs='conversation_message_cutoffs',
    )
}}

-- Every conversational message with the conversation it belongs to (R21, R22).
-- Definition (documented in fct_conversations): messages between one customer and the business,
-- excluding broadcast campaign sends, are cut into sessions wherever
-- `conversation_idle_hours` (24 h, WhatsApp's service window) pass without any message; a
-- conversation is the part of a session from its first inbound (customer) message onwards.
-- Business messages before the first inbound message of a session (a template, an order-status
-- notification) are not part of a conversation: they opened no dialogue.
-- Roles: customer (inbound), human (agent, business_app: staff in the Business app), bot (bot,
-- automation: excluded from response times, R22), unknown (seen only in statuses).
-- needs_reply: an inbound message that makes the customer wait (not a reaction, not a CSAT answer).
-- Incremental (replace_tail): a message fct_messages wrote since the last run (loaded, changed, or
-- re-keyed to another customer) can only change the session it falls in and the sessions after it
-- (a late message may join two sessions), for its customer and for the customer it had before
-- (macro conversation_message_cutoffs: that customer's tail is replaced even when nothing is
-- emitted for them). Per touched customer, everything from the start of that session is recomputed
-- and replaced; the start is found in the 30 days before the touched message (no session break
-- there: the customer's whole history). Sessions never span customers, so this equals a full refresh.

with

{% if is_incremental() %}
touched as (

    -- messages written since the last run under their customer, and their stored sessions under
    -- the customer they had
    select customer_key, sent_at_utc
    from {{ ref('fct_messages') }}
    where built_at > {{ build_watermark() }} and customer_key is not null and sent_at_utc is not null
    union all
    select customer_key, tail_from from ({{ conversation_message_cutoffs() }})

),

first_touched as (

    select customer_key, min(sent_at_utc) as touched_at from touched group by all

),

lookback as (

    select
        m.customer_key,
        m.sent_at_utc,
        ft.touched_at,
        lag(m.sent_at_utc) over (partition by m.customer_key order by m.sent_at_utc, m.message_id) as previous_at
    from {{ ref('fct_messages') }} as m
    inner join first_touched as ft on ft.customer_key = m.customer_key
    where m.sender_kind <> 'campaign' and m.sent_at_utc >= ft.touched_at - interval 30 day

),

recompute_from as materialized (

    -- the last session break at or before the first touched message; the lookback's first message
    -- has no known predecessor, so it is no break
    select
        customer_key,
        coalesce(
            max(sent_at_utc) filter (
                where sent_at_utc <= touched_at
                  and sent_at_utc > previous_at + interval {{ var('conversation_idle_hours') }} hour
            ),
            '-infinity'::timestamptz
        ) as recompute_from
    from lookback
    group by all

),
{% endif %}

messages as (

    select
        m.message_id, m.customer_key, m.direction, m.sender_kind, m.agent_id, m.automation_id,
        m.template_name, m.message_type, m.sent_at_utc, m.sent_date_local, m.last_loaded_at
    from {{ ref('fct_messages') }} as m
    {% if is_incremental() %}
    inner join recompute_from as r on r.customer_key = m.customer_key and m.sent_at_utc >= r.recompute_from
    {% endif %}
    where m.customer_key is not null
      and m.sent_at_utc is not null
      and m.sender_kind <> 'campaign'

),

csat_answers as (

    select message_id
    from {{ ref('int_messages__deduplicated') }}
    where regexp_full_match(coalesce(interactive_reply_id, button_payload, ''), 'csat_[1-5]')

),

classified as (

    select
        m.*,
        case
            when m.direction = 'inbound' then 'customer'
            when m.sender_kind in ('agent', 'business_app') then 'human'
            when m.sender_kind in ('bot', 'automation') then 'bot'
            else 'unknown'
        end as actor,
        m.direction = 'outbound' and coalesce(list_contains({{ varchar_list(var('csat_automation_ids')) }}, m.automation_id), false) as is_csat_survey,
        m.direction = 'inbound' and a.message_id is not null as is_csat_answer,
        m.direction = 'inbound' and a.message_id is null and coalesce(m.message_type, '') not in ('reaction', 'system', 'unsupported') as needs_reply,
        lag(m.sent_at_utc) over customer_order as previous_at,
        row_number() over customer_order as customer_message_no
    from messages as m
    left join csat_answers as a on a.message_id = m.message_id
    window customer_order as (partition by m.customer_key order by m.sent_at_utc, m.message_id)

),

sessions as (

    select
        *,
        -- (timestamptz + interval, not timestamptz - timestamptz: the difference goes through ICU's
        -- calendar, ~1.7 us a row, a third of this model's CPU at 10M messages)
        sum(case when previous_at is null or sent_at_utc > previous_at + interval {{ var('conversation_idle_hours') }} hour then 1 else 0 end)
            over running as session_no,
        -- the customer_message_no of the first message at this instant (several can share one)
        max(case when previous_at is distinct from sent_at_utc then customer_message_no end) over running as instant_first_no
    from classified
    window running as (partition by customer_key order by sent_at_utc, message_id rows unbounded preceding)

),

opened as (

    -- one pass per session: its start, and its first inbound message as (instant, first number at
    -- that instant, smallest id at that instant); the conversation is every message from that
    -- instant on, so a message's number in it is its distance from that first number
    select
        *,
        min(sent_at_utc) over sess as session_started_at,
        min(case when direction = 'inbound' then {'at': sent_at_utc, 'no': instant_first_no, 'id': message_id} end) over sess as opening
    from sessions
    window sess as (partition by customer_key, session_no)

)

select
    md5(opening.id) as conversation_id,
    customer_key,
    message_id,
    direction,
    actor,
    sender_kind,
    agent_id,
    automation_id,
    template_name,
    message_type,
    is_csat_survey,
    is_csat_answer,
    needs_reply,
    sent_at_utc,
    sent_date_local,
    session_started_at,
    customer_message_no - opening.no + 1 as message_no,
    last_loaded_at,
    {{ build_stamp() }} as built_at
from opened
where opening is not null
  and sent_at_utc >= opening.at
