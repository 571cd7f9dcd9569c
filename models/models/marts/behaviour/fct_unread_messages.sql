-- R17, R29: the unread list. One row per outbound message that reached the customer's phone
-- (delivered, or sent with no later status) but has not been read more than 24 h
-- (var unread_after_hours) after it was sent, as of the newest message in the warehouse. Customers
-- on this list get a lower priority (R17); the daily 02:00 export (R29) reads this mart.
-- Failed sends are not here (see agg_delivery_failures_daily).
-- A view: "as of the newest message" moves with every load, so every row's hours change on every
-- run; computing it when read costs one filtered scan of fct_outbound_funnel instead of rewriting
-- the whole list each run. message_id is unique and not null because fct_outbound_funnel's is
-- (tested there) and nothing here joins.

{{ config(materialized='view') }}

with

as_of as (

    select max(sent_at_utc) as as_of_at from {{ ref('fct_messages') }}

),

candidates as (

    select *
    from {{ ref('fct_outbound_funnel') }}
    where not is_read
      and not is_failed
      and (is_delivered or is_sent)
      and sent_at_utc <= (select as_of_at from as_of) - interval {{ var('unread_after_hours') }} hour

)

select
    c.message_id,
    c.customer_key,
    c.sent_at_utc,
    c.sent_date_local,
    c.sender_kind,
    c.template_name,
    c.campaign_id,
    c.status,
    c.is_delivered,
    (select as_of_at from as_of) as as_of_at_utc,
    (epoch((select as_of_at from as_of)) - epoch(c.sent_at_utc)) / 3600 as hours_unread,
    count(*) over (partition by c.customer_key)::integer as customer_unread_messages,
    true as is_low_priority
from candidates as c
