{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='sent_date_local',
    )
}}

-- One row per customer x local day with an inbound message, and how many they sent: what
-- agg_kpi_daily counts inbound messages and active customers from (R21, R26). Messages without a
-- customer key make one row per day with a null key, so the day's message count stays whole.
-- Incremental (delete+insert by day): a message never changes its day, so a day's rows change only
-- when fct_messages writes one of its inbound messages again (a new one, or one whose customer key
-- was resolved anew); every day with an inbound message written since this model's newest row is
-- recomputed from all of that day's inbound messages.

with

inbound as (

    select customer_key, sent_date_local
    from {{ ref('fct_messages') }}
    where direction = 'inbound' and sent_date_local is not null
    {% if is_incremental() %}
      and sent_date_local in (
          select sent_date_local from {{ ref('fct_messages') }}
          where direction = 'inbound' and built_at > {{ build_watermark() }}
      )
    {% endif %}

)

select
    customer_key,
    sent_date_local,
    count(*)::integer as inbound_messages,
    {{ build_stamp() }} as built_at
from inbound
group by all
