-- One row per human agent x local business date (R22, R26, R28): how many conversations they
-- handled, how fast they replied (count, average, median, p90 of the reply time per exchange, also
-- in business hours) and the coaching flag: average reply time above 6 minutes
-- (var agent_slow_reply_seconds), counted in business hours so that a message that arrived
-- overnight does not count against the morning shift (is_slow_wall_clock keeps the plain average). A reply is credited to the agent who sent the human message that
-- ended the customer's wait, on the local date of that reply (bot/automation replies never count).
-- First responses (FRT) are credited the same way to the agent of the conversation's first human
-- reply. Resolutions and CSAT go to the conversation's last agent, on the resolution / answer date.

with

messages as (

    select conversation_id, agent_id, sent_date_local
    from {{ ref('int_conversations__messages') }}
    where actor = 'human' and agent_id is not null

),

agents as (

    select agent_id, arg_max(agent_name, sent_at) as agent_name
    from {{ ref('stg_outbound__messages') }}
    where agent_id is not null
    group by agent_id

),

sent as (

    select
        agent_id,
        sent_date_local as activity_date,
        count(*)::integer as messages_sent,
        count(distinct conversation_id)::integer as conversations_handled
    from messages
    group by all

),

replies as (

    select
        agent_id,
        replied_date_local as activity_date,
        count(*)::integer as replies,
        sum(reply_seconds) as reply_seconds_sum,
        avg(reply_seconds) as avg_reply_seconds,
        {{ median_of('reply_seconds') }} as median_reply_seconds,
        {{ p90_of('reply_seconds') }} as p90_reply_seconds,
        avg(reply_seconds_business) as avg_reply_seconds_business,
        {{ median_of('reply_seconds_business') }} as median_reply_seconds_business,
        count(*) filter (where reply_seconds > {{ var('agent_slow_reply_seconds') }})::integer as replies_over_threshold
    from {{ ref('int_conversations__exchanges') }}
    where is_replied and agent_id is not null
    group by all

),

conversations as (

    select * from {{ ref('fct_conversations') }}

),

first_responses as (

    select
        first_agent_id as agent_id,
        cast({{ to_local_time('first_human_reply_at_utc') }} as date) as activity_date,
        count(*)::integer as first_responses,
        avg(first_response_seconds) as avg_first_response_seconds,
        {{ median_of('first_response_seconds') }} as median_first_response_seconds,
        {{ p90_of('first_response_seconds') }} as p90_first_response_seconds,
        {{ median_of('first_response_seconds_business') }} as median_first_response_seconds_business
    from conversations
    where first_agent_id is not null and first_human_reply_at_utc is not null
    group by all

),

resolutions as (

    select
        last_agent_id as agent_id,
        cast({{ to_local_time('resolved_at_utc') }} as date) as activity_date,
        count(*)::integer as resolutions,
        {{ median_of('resolution_seconds') }} as median_resolution_seconds
    from conversations
    where status = 'resolved' and resolved_by = 'human' and last_agent_id is not null
    group by all

),

csat as (

    select
        agent_id,
        responded_date_local as activity_date,
        count(*)::integer as csat_responses,
        count(*) filter (where is_positive)::integer as csat_positive,
        avg(rating) as csat_avg_rating
    from {{ ref('fct_csat_responses') }}
    where agent_id is not null and responded_at_utc is not null
    group by all

),

keys as (

    select agent_id, activity_date from sent
    union select agent_id, activity_date from replies
    union select agent_id, activity_date from first_responses
    union select agent_id, activity_date from resolutions
    union select agent_id, activity_date from csat

)

select
    k.agent_id || ':' || strftime(k.activity_date, '%Y-%m-%d') as agent_day_key,
    k.agent_id,
    a.agent_name,
    k.activity_date,
    coalesce(s.messages_sent, 0) as messages_sent,
    coalesce(s.conversations_handled, 0) as conversations_handled,
    coalesce(r.replies, 0) as replies,
    r.reply_seconds_sum,
    r.avg_reply_seconds,
    r.median_reply_seconds,
    r.p90_reply_seconds,
    r.avg_reply_seconds_business,
    r.median_reply_seconds_business,
    coalesce(r.replies_over_threshold, 0) as replies_over_threshold,
    coalesce(r.avg_reply_seconds_business > {{ var('agent_slow_reply_seconds') }}, false) as is_flagged_slow,
    coalesce(r.avg_reply_seconds > {{ var('agent_slow_reply_seconds') }}, false) as is_slow_wall_clock,
    coalesce(f.first_responses, 0) as first_responses,
    f.avg_first_response_seconds,
    f.median_first_response_seconds,
    f.p90_first_response_seconds,
    f.median_first_response_seconds_business,
    coalesce(z.resolutions, 0) as resolutions,
    z.median_resolution_seconds,
    coalesce(c.csat_responses, 0) as csat_responses,
    coalesce(c.csat_positive, 0) as csat_positive,
    c.csat_avg_rating
from keys as k
left join agents as a on a.agent_id = k.agent_id
left join sent as s on s.agent_id = k.agent_id and s.activity_date = k.activity_date
left join replies as r on r.agent_id = k.agent_id and r.activity_date = k.activity_date
left join first_responses as f on f.agent_id = k.agent_id and f.activity_date = k.activity_date
left join resolutions as z on z.agent_id = k.agent_id and z.activity_date = k.activity_date
left join csat as c on c.agent_id = k.agent_id and c.activity_date = k.activity_date
