{{
    config(
        materialized='incremental',
        incremental_strategy='replace_tail',
        unique_key='exchange_id',
        tail_key='customer_key',
        tail_column='waiting_since',
        tail_cutoffs='exchange_cutoffs',
    )
}}

-- One row per exchange (R22 "reply time per exchange"; Chatwoot's reply_time event): a customer
-- waiting period inside a conversation. It starts at the first needs_reply inbound message after
-- the previous human reply (Chatwoot's waiting_since) and ends at the next human reply (agent or
-- staff in the Business app). Bot and automation messages do not end it: they are excluded from
-- response times (R22; respond.io and Trengo exclude workflow/bot replies too). An exchange with
-- no human reply in the conversation is unanswered (replied_at null).
-- Incremental (replace_tail): per customer with conversation messages written since the last run,
-- the exchanges from the first such message's session onwards are recomputed (an exchange never
-- spans conversations, hence sessions or customers). An exchange whose first customer message was
-- re-keyed to another customer is replaced with its old customer's later exchanges (macro
-- exchange_cutoffs), even when nothing is emitted for that customer.

with

{% if is_incremental() %}
recompute_from as materialized (

    select customer_key, min(session_started_at) as recompute_from
    from {{ ref('int_conversations__messages') }}
    where built_at > {{ build_watermark() }}
    group by all

),
{% endif %}

messages as materialized (

    select
        m.*,
        -- human replies at or before this message: inbound messages with the same count wait for
        -- the same (next) human reply
        sum(case when m.actor = 'human' then 1 else 0 end)
            over (partition by m.conversation_id order by m.sent_at_utc, m.message_id rows unbounded preceding) as humans_before
    from {{ ref('int_conversations__messages') }} as m
    {% if is_incremental() %}
    inner join recompute_from as r on r.customer_key = m.customer_key and m.session_started_at >= r.recompute_from
    {% endif %}

),

waits as materialized (

    select
        conversation_id,
        any_value(customer_key) as customer_key,
        humans_before,
        min(sent_at_utc) as waiting_since,
        count(*)::integer as customer_messages,
        arg_min(message_id, sent_at_utc) as first_customer_message_id,
        max(last_loaded_at) as last_loaded_at
    from messages
    where needs_reply
    group by conversation_id, humans_before

),

human_replies as (

    select
        conversation_id,
        humans_before,
        message_id as reply_message_id,
        agent_id,
        sender_kind,
        sent_at_utc as replied_at
    from messages
    where actor = 'human'

),

bot_replies as (

    select
        w.conversation_id,
        w.humans_before,
        min(m.sent_at_utc) as first_bot_reply_at
    from waits as w
    inner join messages as m
        on m.conversation_id = w.conversation_id
        and m.humans_before = w.humans_before
        and m.actor = 'bot'
        and not m.is_csat_survey
        and m.sent_at_utc >= w.waiting_since
    group by all

),

exchanges as (

    select
        w.conversation_id || ':' || w.humans_before as exchange_id,
        w.conversation_id,
        w.customer_key,
        row_number() over (partition by w.conversation_id order by w.waiting_since) :: integer as exchange_no,
        w.first_customer_message_id,
        w.customer_messages,
        w.last_loaded_at,
        w.waiting_since,
        b.first_bot_reply_at,
        h.reply_message_id,
        h.replied_at,
        -- the human reply ending the wait: the first one after it
        coalesce(h.agent_id, case when h.sender_kind = 'business_app' then 'business_app' end) as agent_id,
        epoch(h.replied_at) - epoch(w.waiting_since) as reply_seconds
    from waits as w
    left join human_replies as h
        on h.conversation_id = w.conversation_id
        and h.humans_before = w.humans_before + 1
    left join bot_replies as b
        on b.conversation_id = w.conversation_id
        and b.humans_before = w.humans_before

)

select
    e.exchange_id,
    e.conversation_id,
    e.customer_key,
    e.exchange_no,
    e.first_customer_message_id,
    e.customer_messages,
    e.waiting_since,
    cast({{ to_local_time('e.waiting_since') }} as date) as waiting_since_date_local,
    e.first_bot_reply_at,
    e.reply_message_id,
    e.replied_at,
    cast({{ to_local_time('e.replied_at') }} as date) as replied_date_local,
    e.agent_id,
    e.replied_at is not null as is_replied,
    e.reply_seconds,
    {{ business_seconds_between('e.waiting_since', 'e.replied_at', 'waiting_day', 'replied_day') }} as reply_seconds_business,
    e.last_loaded_at,
    {{ build_stamp() }} as built_at
from exchanges as e
{{ business_clock_join('e.waiting_since', 'waiting_day') }}
{{ business_clock_join('e.replied_at', 'replied_day') }}
