-- Tables of the churn-risk and anomaly work (issue 7). Idempotent; run before every ML command.
create schema if not exists ml;
create schema if not exists crm_sync;

-- Lexicon sentiment (ml/sentiment.ts, 0 = negative .. 1 = positive) of each inbound text message,
-- computed once per message in Node; joined to marts.fct_messages by message_id.
create table if not exists ml.message_sentiment (
  message_id  varchar primary key,
  sentiment   double not null,
  language    varchar
);

-- Our own treatments (leakage guard): win-back sends seen in marts.fct_messages and the recovery
-- tags the scorer queued (ml.tag_log). Rebuilt by every train/score.
create table if not exists ml.treatments (
  customer_key  varchar not null,
  treated_at    timestamptz not null,
  kind          varchar not null,   -- winback_send | recovery_tag
  detail        varchar
);

-- Every recovery tag the scorer put in crm_sync.desired_tags, per run (treatment log).
create table if not exists ml.tag_log (
  run_id        varchar not null,
  customer_key  varchar not null,
  crm           varchar not null,
  record_id     varchar not null,
  tag           varchar not null,
  tagged_at     timestamptz not null
);

-- One row per training run (scrm train); the model JSON and card live under <home>/models/<version>/.
create table if not exists ml.model_runs (
  model_version     varchar primary key,
  trained_at        timestamptz not null,
  status            varchar not null,   -- trained | skipped
  message           varchar,
  horizon_days      integer,
  feature_set       varchar,
  n_features        integer,
  n_train           integer,
  n_calibration     integer,
  n_test            integer,
  train_as_of       varchar,
  calibration_as_of varchar,
  test_as_of        varchar,
  test_roc_auc      double,
  test_pr_auc       double,
  test_brier        double,
  test_lift_top_decile double,
  model_path        varchar,
  card_path         varchar,
  train_seconds     double
);

-- Every model and baseline on the same out-of-time test slice, per training run.
create table if not exists ml.model_metrics (
  model_version     varchar not null,
  data_set          varchar not null,   -- whatsapp_and_orders | orders_only
  model             varchar not null,   -- forest | logistic | rule_r16_silent_60d | rule_r27_frequency_sentiment
  n                 integer,
  positives         integer,
  roc_auc           double,
  pr_auc            double,
  brier             double,
  log_loss          double,
  ece               double,
  top_decile_lift   double
);

-- Churn scores: one row per customer and scoring run (the dashboard's Churn page reads it).
create table if not exists ml.churn_scores (
  run_id              varchar not null,
  score_date          date not null,
  scored_at           timestamptz not null,
  as_of_at            timestamptz not null,
  customer_key        varchar not null,
  crm                 varchar,
  crm_record_id       varchar,
  score               double not null,    -- forest vote fraction
  probability         double not null,    -- Platt-calibrated churn probability (60-day horizon)
  risk_band           varchar not null,   -- high | medium | low
  segment             varchar,            -- R16: high_interest | potential | silent_60d | other
  reason_1            varchar,
  reason_2            varchar,
  reason_3            varchar,
  recommended_action  varchar,
  recommended_tag     varchar,
  is_holdout          boolean not null,   -- random hold-out: not tagged, not exported
  recovery_outcome    varchar,            -- pending | returned | not_returned (filled once the horizon has passed)
  last_inbound_at     timestamptz,
  days_since_last_inbound double,
  model_version       varchar not null
);

-- Hold-out assignments per run, for uplift measurement (treated vs held out).
create table if not exists ml.churn_holdout (
  run_id         varchar not null,
  customer_key   varchar not null,
  crm_record_id  varchar,
  risk_band      varchar not null,
  assigned_at    timestamptz not null
);

-- KPI anomalies for the dashboard's Anomalies page (R26): flagged days only.
create table if not exists ml.kpi_anomalies (
  metric_date      date not null,
  metric           varchar not null,
  dimension        varchar not null,
  dimension_value  varchar not null,
  value            double,
  expected         double,
  lower            double,
  upper            double,
  score            double,
  severity         varchar not null,  -- low | medium | high
  direction        varchar,           -- spike | drop | streak
  method           varchar not null,  -- seasonal_median_mad | rule_r26_complaint_rate_3d
  is_anomaly       boolean not null,
  detected_at      timestamptz not null
);

create table if not exists crm_sync.desired_tags (
  crm        varchar not null,
  record_id  varchar not null,
  tag        varchar not null
);
