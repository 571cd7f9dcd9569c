-- R24 weekday x hour activity (local business time): messages and conversations started per ISO
-- weekday (1 = Monday) x hour, over the whole history, with each cell's share of all inbound
-- messages (for staff shifts and send times; Chatwoot's conversation-traffic heatmap).

with

messages as (

    select sent_weekday_local as weekday, sent_hour_local as hour, direction, sender_kind
    from {{ ref('fct_messages') }}
    where sent_weekday_local is not null

),

conversations as (

    select started_weekday_local as weekday, started_hour_local as hour, count(*) as conversations_started
    from {{ ref('fct_conversations') }}
    group by all

),

grid as (

    select w.weekday, h.hour
    from range(1, 8) as w(weekday), range(0, 24) as h(hour)

),

counts as (

    select
        weekday, hour,
        count(*) filter (where direction = 'inbound') as inbound_messages,
        count(*) filter (where direction = 'outbound' and sender_kind = 'agent') as agent_messages,
        count(*) filter (where direction = 'outbound') as outbound_messages
    from messages
    group by all

)

select
    g.weekday::integer as weekday,
    dayname(date '2024-01-01' + (g.weekday - 1)::integer) as weekday_name,
    g.hour::integer as hour,
    coalesce(c.inbound_messages, 0)::integer as inbound_messages,
    coalesce(c.outbound_messages, 0)::integer as outbound_messages,
    coalesce(c.agent_messages, 0)::integer as agent_messages,
    coalesce(v.conversations_started, 0)::integer as conversations_started,
    coalesce(c.inbound_messages, 0) / nullif(sum(coalesce(c.inbound_messages, 0)) over (), 0) as inbound_share
from grid as g
left join counts as c on c.weekday = g.weekday and c.hour = g.hour
left join conversations as v on v.weekday = g.weekday and v.hour = g.hour
