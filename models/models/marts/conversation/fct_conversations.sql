{{
    config(
        materialized='incremental',
        incremental_strategy='replace_tail',
        unique_key='conversation_id',
        tail_key='customer_key',
        tail_column='started_at_utc',
        tail_cutoffs='conversation_cutoffs',
    )
}}

-- One row per conversation (R21, R22, R28), the row-level export Chatwoot users ask for.
-- Definition: the messages between one customer and the business (broadcast campaign sends
-- excluded) are cut into sessions wherever 24 h (var conversation_idle_hours) pass without any
-- message; a conversation starts at the session's first inbound message and ends with its last
-- message. See int_conversations__messages.
-- status (as of the newest message in the warehouse):
--   open        the last message is less than 24 h old: it may still continue;
--   resolved    closed, and the customer got at least one reply (human, or bot/automation:
--               resolved_by says which; Chatwoot's bot_resolved = no human message);
--   unanswered  closed without any reply.
-- first response time (FRT): first human reply - first inbound message; bot and automation
-- replies do not count (R22). resolution time: last business reply (CSAT survey excluded) - start.
-- Each time also in business hours (seed business_hours, SCRM_TIMEZONE).
-- converted_within_7d: the customer placed an order (not cancelled) within 7 days of the start
-- (R20 discount inquiry -> order conversion, R28 sales funnel).
-- Incremental (replace_tail): per customer, the conversations from the earliest of these onwards
-- are recomputed: the session of a conversation message written since the last run, a conversation
-- still open (its status follows the newest message in the warehouse), a conversation whose next
-- order changed; all of them after a changed merged_customer_key. A conversation whose opening
-- message was re-keyed to another customer is replaced with its old customer's later conversations
-- (macro conversation_cutoffs), even when nothing is emitted for that customer. Every other column
-- depends only on the customer's own messages, exchanges and keywords.

with

orders as (

    select customer_key, ordered_at_utc, order_key
    from {{ ref('fct_orders') }}
    where customer_key is not null and ordered_at_utc is not null and coalesce(order_status, '') <> 'cancelled'

),

{% if is_incremental() %}
recompute_from as materialized (

    select customer_key, min(recompute_from) as recompute_from
    from (
        select customer_key, session_started_at as recompute_from
        from {{ ref('int_conversations__messages') }}
        where built_at > {{ build_watermark() }}
        union all
        select customer_key, started_at_utc from {{ this }} where status = 'open'
        union all
        select c.customer_key, '-infinity'::timestamptz
        from {{ this }} as c
        left join {{ ref('int_customers__merged') }} as m on m.customer_key = c.customer_key
        where c.merged_customer_key is distinct from coalesce(m.merged_customer_key, c.customer_key)
        union all
        select c.customer_key, c.started_at_utc
        from (
            -- a conversation with no stored next order whose customer has no order cannot have
            -- changed: only the rest go through the ASOF join (2.4 of 4.4 s CPU at 10M messages)
            select * from {{ this }}
            where next_order_key is not null or customer_key in (select customer_key from orders)
        ) as c
        asof left join orders as o on o.customer_key = c.customer_key and o.ordered_at_utc >= c.started_at_utc
        where c.next_order_key is distinct from o.order_key or c.next_order_at_utc is distinct from o.ordered_at_utc
    )
    group by all

),
{% endif %}

messages as (

    select m.*
    from {{ ref('int_conversations__messages') }} as m
    {% if is_incremental() %}
    -- a session or conversation start: no conversation straddles it
    inner join recompute_from as r on r.customer_key = m.customer_key and m.sent_at_utc >= r.recompute_from
    {% endif %}

),

as_of as (

    select max(sent_at_utc) as as_of_at from {{ ref('fct_messages') }}

),

keywords as (

    select message_id, topic from {{ ref('fct_message_keywords') }}
    {% if is_incremental() %}
    -- a semi join builds its hash table on the few recomputed messages, not on every keyword
    where message_id in (select message_id from messages)
    {% endif %}

),

merged as (

    select customer_key, merged_customer_key from {{ ref('int_customers__merged') }}

),

conversation_topics as (

    select m.conversation_id, list_sort(list_distinct(list(k.topic))) as topics,
           count(*) filter (where k.topic = 'discount')::integer as discount_mentions
    from messages as m
    inner join keywords as k on k.message_id = m.message_id
    group by m.conversation_id

),

rolled as (

    select
        conversation_id,
        any_value(customer_key) as customer_key,
        min(message_id) filter (where message_no = 1) as opening_message_id,
        min(sent_at_utc) as started_at,
        max(sent_at_utc) as last_message_at,
        count(*)::integer as messages,
        count(*) filter (where actor = 'customer')::integer as customer_messages,
        count(*) filter (where actor = 'human')::integer as human_messages,
        count(*) filter (where actor = 'bot')::integer as bot_messages,
        min(sent_at_utc) filter (where actor = 'human') as first_human_reply_at,
        min(sent_at_utc) filter (where actor = 'bot' and not is_csat_survey) as first_bot_reply_at,
        max(sent_at_utc) filter (where actor in ('human', 'bot', 'unknown') and not is_csat_survey) as last_business_reply_at,
        max(sent_at_utc) filter (where needs_reply) as last_customer_message_at,
        arg_min(agent_id, sent_at_utc) filter (where actor = 'human' and agent_id is not null) as first_agent_id,
        arg_max(agent_id, sent_at_utc) filter (where actor = 'human' and agent_id is not null) as last_agent_id,
        list_sort(list_distinct(list(agent_id) filter (where agent_id is not null))) as agent_ids,
        bool_or(is_csat_survey) as csat_survey_sent,
        max(last_loaded_at) as last_loaded_at,
    from messages
    group by conversation_id

),

exchanges as (

    select
        conversation_id,
        count(*)::integer as exchanges,
        count(*) filter (where is_replied)::integer as replied_exchanges,
        avg(reply_seconds) as avg_reply_seconds,
        {{ median_of('reply_seconds') }} as median_reply_seconds,
        avg(reply_seconds_business) as avg_reply_seconds_business
    from {{ ref('int_conversations__exchanges') }}
    {% if is_incremental() %}
    where conversation_id in (select conversation_id from messages)
    {% endif %}
    group by conversation_id

),

timed as (

    select
        r.*,
        case
            -- instant vs instant - interval: timestamptz - timestamptz goes through ICU's calendar, ~3 us
            -- a row (27 of this model's ~110 s CPU at 10M messages)
            when r.last_message_at > (select as_of_at from as_of) - interval {{ var('conversation_idle_hours') }} hour then 'open'
            when r.last_business_reply_at is not null then 'resolved'
            else 'unanswered'
        end as status,
        epoch(r.first_human_reply_at) - epoch(r.started_at) as first_response_seconds,
        epoch(r.first_bot_reply_at) - epoch(r.started_at) as first_bot_response_seconds
    from rolled as r

),

with_resolution as (

    select
        *,
        case when status = 'resolved' then last_business_reply_at end as resolved_at,
        case when status = 'resolved' then case when human_messages > 0 then 'human' else 'bot' end end as resolved_by
    from timed

)

select
    c.conversation_id,
    c.customer_key,
    coalesce(mg.merged_customer_key, c.customer_key) as merged_customer_key,
    c.opening_message_id,
    c.started_at as started_at_utc,
    {{ to_local_time('c.started_at') }} as started_at_local,
    cast({{ to_local_time('c.started_at') }} as date) as started_date_local,
    hour({{ to_local_time('c.started_at') }})::integer as started_hour_local,
    isodow({{ to_local_time('c.started_at') }})::integer as started_weekday_local,
    c.last_message_at as last_message_at_utc,
    c.status,
    c.status <> 'open' as is_closed,
    c.resolved_at as resolved_at_utc,
    c.resolved_by,
    c.messages,
    c.customer_messages,
    c.human_messages,
    c.bot_messages,
    c.first_agent_id,
    c.last_agent_id,
    coalesce(c.agent_ids, []::varchar[]) as agent_ids,
    c.first_human_reply_at as first_human_reply_at_utc,
    c.first_response_seconds,
    {{ business_seconds_between('c.started_at', 'c.first_human_reply_at', 'started_day', 'reply_day') }} as first_response_seconds_business,
    c.first_bot_response_seconds,
    coalesce(e.exchanges, 0) as exchanges,
    coalesce(e.replied_exchanges, 0) as replied_exchanges,
    e.avg_reply_seconds,
    e.median_reply_seconds,
    e.avg_reply_seconds_business,
    epoch(c.resolved_at) - epoch(c.started_at) as resolution_seconds,
    {{ business_seconds_between('c.started_at', 'c.resolved_at', 'started_day', 'resolved_day') }} as resolution_seconds_business,
    c.last_customer_message_at is not null and (c.last_business_reply_at is null or c.last_business_reply_at < c.last_customer_message_at) as has_unanswered_tail,
    c.csat_survey_sent,
    coalesce(t.topics, []::varchar[]) as topics,
    coalesce(t.discount_mentions, 0) as discount_mentions,
    list_contains(coalesce(t.topics, []::varchar[]), 'complaint') as has_complaint,
    list_contains(coalesce(t.topics, []::varchar[]), 'discount') as has_discount_question,
    list_contains(coalesce(t.topics, []::varchar[]), 'agent_request') as has_agent_request,
    n.order_key as next_order_key,
    n.ordered_at_utc as next_order_at_utc,
    coalesce(n.ordered_at_utc < c.started_at + interval 7 day, false) as converted_within_7d,
    c.last_loaded_at,
    {{ build_stamp() }} as built_at
from with_resolution as c
-- per-row lookups instead of keyed subqueries joined back: each join back by conversation_id
-- cost as much as the lookup itself at 10M messages
asof left join orders as n on n.customer_key = c.customer_key and n.ordered_at_utc >= c.started_at
{{ business_clock_join('c.started_at', 'started_day') }}
{{ business_clock_join('c.first_human_reply_at', 'reply_day') }}
{{ business_clock_join('c.resolved_at', 'resolved_day') }}
left join exchanges as e on e.conversation_id = c.conversation_id
left join conversation_topics as t on t.conversation_id = c.conversation_id
left join merged as mg on mg.customer_key = c.customer_key
