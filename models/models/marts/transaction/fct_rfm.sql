-- RFM scores per customer with at least one paid order (R25, R27), as of the newest order date:
--   recency_days    days since the last paid order;
--   frequency       paid orders;
--   monetary        paid revenue in the business currency.
-- Scores 1-5 are quintiles (ntile over all customers; 5 = best: most recent, most frequent,
-- highest spend). Segments follow the common RFM grid: champions (R>=4, F>=4, M>=4), loyal
-- (F>=4), at_risk (R<=2 and F>=3: the win-back list), hibernating (R<=2), new (R>=4 and F=1),
-- potential_loyalist (R>=3), else need_attention.

with

orders as (

    select customer_key, ordered_date_local, revenue_amount_business
    from {{ ref('fct_orders') }}
    where is_paid and customer_key is not null and ordered_date_local is not null

),

as_of as (

    select max(ordered_date_local) as as_of_date from orders

),

per_customer as (

    select
        customer_key,
        max(ordered_date_local) as last_order_date,
        count(*)::integer as frequency,
        coalesce(sum(revenue_amount_business), 0) as monetary
    from orders
    group by customer_key

),

scored as (

    select
        p.*,
        (select as_of_date from as_of) as as_of_date,
        ((select as_of_date from as_of) - p.last_order_date)::integer as recency_days,
        ntile(5) over (order by p.last_order_date, p.customer_key) as r_score,
        ntile(5) over (order by p.frequency, p.monetary, p.customer_key) as f_score,
        ntile(5) over (order by p.monetary, p.customer_key) as m_score
    from per_customer as p

)

select
    customer_key,
    as_of_date,
    last_order_date,
    recency_days,
    frequency,
    monetary,
    '{{ var("business_currency") }}' as business_currency,
    r_score::integer as r_score,
    f_score::integer as f_score,
    m_score::integer as m_score,
    r_score::varchar || f_score::varchar || m_score::varchar as rfm_cell,
    case
        when r_score >= 4 and f_score >= 4 and m_score >= 4 then 'champions'
        when f_score >= 4 then 'loyal'
        when r_score <= 2 and f_score >= 3 then 'at_risk'
        when r_score <= 2 then 'hibernating'
        when r_score >= 4 and frequency = 1 then 'new'
        when r_score >= 3 then 'potential_loyalist'
        else 'need_attention'
    end as rfm_segment
from scored
