{{
    config(
        materialized='incremental',
        incremental_strategy='replace_tail',
        tail_key='topic',
        tail_column='keyword_date',
    )
}}

-- Hot keywords per local day x topic (R23, R30): how many inbound messages and conversations
-- mentioned the topic, and the share of the day's conversations that did (R23: "discount" in
-- fewer than 8% of conversations during a promotion = the offer is not attractive). A
-- conversation counts on the local date it started. Zero rows are included for every topic on
-- every day with conversations.
-- Incremental (replace_tail, every topic from the same day): a day's rows depend only on that
-- day's keywords and conversation starts. Recomputed: every day from the earliest day of a keyword
-- or conversation row written since this model's last build (built_at). That day has a rewritten
-- conversation or keyword; a conversation deleted by fct_conversations' replace_tail started no
-- earlier than the rewritten ones of its customer, so every changed day is at or after it.

with

{% if is_incremental() %}
recompute_from as (

    select least(
        (select min(sent_date_local) from {{ ref('fct_message_keywords') }} where built_at > {{ build_watermark() }}),
        (select min(started_date_local) from {{ ref('fct_conversations') }} where built_at > {{ build_watermark() }})
    ) as day

),
{% endif %}

keywords as (

    select * from {{ ref('fct_message_keywords') }}
    {% if is_incremental() %}
    where sent_date_local >= (select day from recompute_from)
    {% endif %}

),

conversations as (

    select conversation_id, started_date_local, topics from {{ ref('fct_conversations') }}
    {% if is_incremental() %}
    where started_date_local >= (select day from recompute_from)
    {% endif %}

),

topics as (

    select topic, label from {{ ref('keyword_topics') }}

),

days as (

    select started_date_local as day, count(*) as conversations
    from conversations
    group by all

),

message_counts as (

    select sent_date_local as day, topic, count(*) as messages, count(distinct customer_key) as customers
    from keywords
    group by all

),

conversation_counts as (

    select c.started_date_local as day, t.topic, count(*) as conversations_with_topic
    from conversations as c, unnest(c.topics) as t(topic)
    group by all

)

select
    d.day as keyword_date,
    t.topic,
    t.label,
    coalesce(m.messages, 0)::integer as messages,
    coalesce(m.customers, 0)::integer as customers,
    coalesce(cc.conversations_with_topic, 0)::integer as conversations_with_topic,
    d.conversations::integer as conversations,
    coalesce(cc.conversations_with_topic, 0) / d.conversations as conversation_share,
    {{ build_stamp() }} as built_at
from days as d
cross join topics as t
left join message_counts as m on m.day = d.day and m.topic = t.topic
left join conversation_counts as cc on cc.day = d.day and cc.topic = t.topic
