{{ config(materialized='view') }}

-- R16 segments as of each day: one row per customer x local date from their first inbound message
-- to the newest data date, expanded from the spells in fct_customer_segments (a view: computed
-- when queried, so it costs nothing to build).

with

spells as (

    select * from {{ ref('fct_customer_segments') }}

),

as_of as (

    select max(valid_from) as last_date from spells

),

last_date as (

    select greatest((select last_date from as_of), (select max(sent_date_local) from {{ ref('fct_messages') }})) as last_date

)

select
    cast(d.day as date) as segment_date,
    s.customer_key,
    s.segment
from spells as s,
     range(s.valid_from, coalesce(s.valid_to, (select last_date from last_date) + 1), interval 1 day) as d(day)
