-- One row per CSAT survey sent (R31), with the customer's answer when there is one, as Chatwoot
-- defines the CSAT report: satisfaction score = positive ratings (4 or 5) / responses x 100;
-- response rate = responses / surveys sent x 100.
-- A survey is an outbound message from an automation in var csat_automation_ids, or any outbound
-- message that a CSAT answer replies to. An answer is an inbound interactive button reply (or
-- quick-reply payload) with id csat_1 .. csat_5; it belongs to the survey it quotes (context id),
-- else to the customer's latest survey in the 24 h before it. Only the first answer counts.

with

messages as (

    select * from {{ ref('fct_messages') }}

),

answers as (

    select
        d.message_id,
        d.customer_key,
        d.message_at as responded_at,
        d.context_message_id,
        cast(regexp_extract(coalesce(d.interactive_reply_id, d.button_payload), 'csat_([1-5])', 1) as integer) as rating
    from {{ ref('int_messages__deduplicated') }} as d
    where regexp_full_match(coalesce(d.interactive_reply_id, d.button_payload, ''), 'csat_[1-5]')

),

surveys as (

    select m.message_id, m.customer_key, m.sent_at_utc, m.sent_date_local, m.status, m.is_delivered
    from messages as m
    where m.direction = 'outbound'
      and (list_contains({{ varchar_list(var('csat_automation_ids')) }}, m.automation_id)
           or m.message_id in (select context_message_id from answers where context_message_id is not null))

),

matched as (

    -- an answer quoting its survey, else the latest survey to the same customer in the 24 h before
    select
        a.*,
        coalesce(
            case when a.context_message_id in (select message_id from surveys) then a.context_message_id end,
            (select arg_max(s.message_id, s.sent_at_utc) from surveys as s
             where s.customer_key = a.customer_key and s.sent_at_utc <= a.responded_at
               and s.sent_at_utc > a.responded_at - interval 24 hour)
        ) as survey_message_id
    from answers as a

),

first_answers as (

    select *
    from matched
    where survey_message_id is not null
    qualify row_number() over (partition by survey_message_id order by responded_at, message_id) = 1

),

conversation_of as (

    -- cut to the surveys first: a left join would otherwise hash every message (1.5 of 2.4 s CPU at 10M)
    select message_id, conversation_id from {{ ref('int_conversations__messages') }}
    where message_id in (select message_id from surveys)

),

conversations as (

    select conversation_id, last_agent_id from {{ ref('fct_conversations') }}
    where conversation_id in (select conversation_id from conversation_of)

)

select
    s.message_id as survey_message_id,
    s.customer_key,
    co.conversation_id,
    c.last_agent_id as agent_id,
    s.sent_at_utc as survey_sent_at_utc,
    s.sent_date_local as survey_sent_date_local,
    s.is_delivered as survey_delivered,
    a.message_id as response_message_id,
    a.responded_at as responded_at_utc,
    cast({{ to_local_time('a.responded_at') }} as date) as responded_date_local,
    a.rating,
    a.message_id is not null as has_response,
    a.rating >= 4 as is_positive
from surveys as s
left join first_answers as a on a.survey_message_id = s.message_id
left join conversation_of as co on co.message_id = s.message_id
left join conversations as c on c.conversation_id = co.conversation_id
