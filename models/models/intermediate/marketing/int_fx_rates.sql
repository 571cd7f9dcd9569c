-- Dated exchange rates to the business currency (var business_currency, config business.currency):
-- one row per currency x valid_from with the factor that converts an amount in that currency to
-- the business currency (usd_per_unit(currency) / usd_per_unit(business currency) on that date).

with

rates as (

    select * from {{ ref('fx_rates') }}

),

business as (

    select valid_from, usd_per_unit from rates where currency = '{{ var("business_currency") }}'

)

select
    r.currency,
    r.valid_from,
    '{{ var("business_currency") }}' as business_currency,
    r.usd_per_unit,
    r.usd_per_unit / nullif(b.usd_per_unit, 0) as to_business_rate
from rates as r
asof inner join business as b on r.valid_from >= b.valid_from
