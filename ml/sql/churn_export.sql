-- The win-back list (issue 7, C4 conventions) from the latest scoring run in ml.churn_scores.
-- Hold-out customers are never on it; customers without marketing opt-in only when
-- __INCLUDE_NO_OPT_IN__ = 1; bands: high and medium (and low when __INCLUDE_LOW__ = 1).
-- Expects a temp table ml_export_now(now_at timestamptz) with the export time.
create or replace temp table ml_churn_export as
with latest as (
    select * from ml.churn_scores
    where run_id = (select run_id from ml.churn_scores order by scored_at desc, run_id desc limit 1)
)
select
    s.crm_record_id,
    s.customer_key as external_id,
    c.phone_e164,
    c.email,
    round(s.probability, 4) as churn_risk,
    s.risk_band,
    s.reason_1,
    s.reason_2,
    s.reason_3,
    s.recommended_action,
    s.recommended_tag,
    strftime(s.last_inbound_at, '%Y-%m-%dT%H:%M:%SZ') as last_inbound_at,
    round(s.days_since_last_inbound, 1) as days_since_last_inbound,
    coalesce(c.marketing_opt_in, false) as whatsapp_opt_in,
    strftime(c.opt_in_at, '%Y-%m-%dT%H:%M:%SZ') as opt_in_at,
    coalesce(s.last_inbound_at > (select now_at from ml_export_now) - interval 24 hour, false) as window_open,
    s.model_version,
    strftime(s.scored_at, '%Y-%m-%dT%H:%M:%SZ') as scored_at
from latest as s
left join marts.dim_customers as c on c.customer_key = s.customer_key
where not s.is_holdout
  and (s.risk_band in ('high', 'medium') or __INCLUDE_LOW__ = 1)
  and (coalesce(c.marketing_opt_in, false) and not coalesce(c.is_deleted_in_crm, false) or __INCLUDE_NO_OPT_IN__ = 1)
order by s.probability desc, s.customer_key;
