/**
 * Point-in-time churn features (issue 7, R16, R27). The SQL lives in ml/sql/churn_features.sql;
 * this module prepares its inputs (per-message sentiment, the treatment log, the keyword view),
 * runs it for a list of as-of times and returns typed rows.
 */
import type { Warehouse } from "../../core/warehouse.ts";
import { analyzeSentiment } from "../sentiment.ts";
import { loadSql } from "./sql.ts";

/** One model feature: its column, whether it needs WhatsApp data, and how a reason reads. */
export interface FeatureDef {
  readonly name: string;
  readonly whatsapp: boolean;
  readonly description: string;
  /** +1: higher values mean more risk (as a reason), -1: lower values mean more risk. */
  readonly riskDirection: 1 | -1;
  /** A reason in words for this customer's value. */
  readonly reason: (v: number) => string;
}

const f1 = (v: number) => (Math.round(v * 10) / 10).toString();
const pct = (v: number) => `${Math.round(v * 100)}%`;

export const FEATURES: readonly FeatureDef[] = [
  {
    name: "active_days_per_week_2w",
    whatsapp: true,
    riskDirection: -1,
    description: "Days with an inbound message per week, last 2 weeks",
    reason: (v) =>
      v === 0 ? "no chat at all in the last 2 weeks" : `only ${f1(v)} chat days a week in the last 2 weeks`,
  },
  {
    name: "active_days_per_week_prev6w",
    whatsapp: true,
    riskDirection: -1,
    description: "Days with an inbound message per week, the 6 weeks before",
    reason: (v) =>
      v === 0 ? "no chat in the 6 weeks before either" : `${f1(v)} chat days a week in the 6 weeks before`,
  },
  {
    name: "frequency_ratio",
    whatsapp: true,
    riskDirection: -1,
    description: "Weekly interaction trend: last 2 weeks / previous 6 weeks (R27 3 -> 1 a week = 0.33)",
    reason: (v) => `interaction frequency fell to ${pct(v)} of its earlier weekly rate`,
  },
  {
    name: "inbound_7d",
    whatsapp: true,
    riskDirection: -1,
    description: "Inbound messages, last 7 days",
    reason: (v) => `${v} messages in the last 7 days`,
  },
  {
    name: "inbound_30d",
    whatsapp: true,
    riskDirection: -1,
    description: "Inbound messages, last 30 days",
    reason: (v) => (v === 0 ? "no message in the last 30 days" : `only ${v} messages in the last 30 days`),
  },
  {
    name: "inbound_90d",
    whatsapp: true,
    riskDirection: -1,
    description: "Inbound messages, last 90 days",
    reason: (v) => `${v} messages in the last 90 days`,
  },
  {
    name: "active_days_30d",
    whatsapp: true,
    riskDirection: -1,
    description: "Days with an inbound message, last 30 days",
    reason: (v) => `active on only ${v} days in the last 30`,
  },
  {
    name: "days_since_last_inbound",
    whatsapp: true,
    riskDirection: 1,
    description: "Days since the last inbound message (400 = never)",
    reason: (v) => (v >= 400 ? "never wrote to us on WhatsApp" : `no message for ${Math.round(v)} days`),
  },
  {
    name: "inbound_overdue_ratio",
    whatsapp: true,
    riskDirection: 1,
    description:
      "Days since the last inbound message / the customer's own mean gap between chat days, capped at 50 (-1 = fewer than 2 chat days)",
    reason: (v) => (v < 0 ? "only one chat day so far" : `silent ${f1(v)}x longer than usual`),
  },
  {
    name: "outbound_30d",
    whatsapp: true,
    riskDirection: 1,
    description: "Messages we sent, last 30 days",
    reason: (v) => `received ${v} messages from us in 30 days`,
  },
  {
    name: "read_rate_90d",
    whatsapp: true,
    riskDirection: -1,
    description: "Read / delivered of our messages, last 90 days (-1 = none delivered)",
    reason: (v) => (v < 0 ? "none of our messages delivered" : `reads only ${pct(v)} of our messages`),
  },
  {
    name: "avg_response_minutes_90d",
    whatsapp: true,
    riskDirection: 1,
    description: "Average wait for our first reply to an inbound message, capped at 24 h (-1 = no inbound)",
    reason: (v) => `waited ${Math.round(v)} min on average for our reply`,
  },
  {
    name: "unanswered_share_90d",
    whatsapp: true,
    riskDirection: 1,
    description: "Share of inbound messages with no reply within 24 h (-1 = no inbound)",
    reason: (v) => `${pct(v)} of messages unanswered within 24 h`,
  },
  {
    name: "complaint_msgs_90d",
    whatsapp: true,
    riskDirection: 1,
    description: "Messages tagged complaint (the mart's complaint tag, as in complaint_rate), last 90 days",
    reason: (v) => `${v} complaint messages in 90 days`,
  },
  {
    name: "discount_mentions_asof",
    whatsapp: true,
    riskDirection: 1,
    description:
      "Messages mentioning a discount before the as-of date (dim_customers.discount_mentions as of then; >= 3 = is_price_sensitive, R15)",
    reason: (v) => (v >= 3 ? `price-sensitive: ${v} discount questions` : `${v} discount questions`),
  },
  {
    name: "product_questions_7d",
    whatsapp: true,
    riskDirection: -1,
    description: "Product questions in the last 7 days (R16 high-interest)",
    reason: (v) => `${v} product questions this week`,
  },
  {
    name: "sentiment_recent",
    whatsapp: true,
    riskDirection: -1,
    description: "Mean sentiment (0-1) of the last 5 inbound messages within 90 days (0.5 = none)",
    reason: (v) => `recent message sentiment ${v.toFixed(2)} (0-1)`,
  },
  {
    name: "sentiment_min_30d",
    whatsapp: true,
    riskDirection: -1,
    description: "Lowest message sentiment in the last 30 days (0.5 = none)",
    reason: (v) => `a very negative message lately (sentiment ${v.toFixed(2)})`,
  },
  {
    name: "days_since_last_order",
    whatsapp: false,
    riskDirection: 1,
    description: "Days since the last order (400 = never)",
    reason: (v) => (v >= 400 ? "has never ordered" : `no order for ${Math.round(v)} days`),
  },
  {
    name: "orders_30d",
    whatsapp: false,
    riskDirection: -1,
    description: "Orders, last 30 days",
    reason: (v) => `${v} orders in the last 30 days`,
  },
  {
    name: "orders_90d",
    whatsapp: false,
    riskDirection: -1,
    description: "Orders, last 90 days",
    reason: (v) => `${v} orders in the last 90 days`,
  },
  {
    name: "orders_365d",
    whatsapp: false,
    riskDirection: -1,
    description: "Orders, last 365 days",
    reason: (v) => `${v} orders in the last year`,
  },
  {
    name: "orders_total",
    whatsapp: false,
    riskDirection: -1,
    description: "Orders ever placed before the as-of date",
    reason: (v) => (v === 1 ? "only one order so far" : `${v} orders so far`),
  },
  {
    name: "order_months_365d",
    whatsapp: false,
    riskDirection: -1,
    description: "Distinct calendar months with an order, last 365 days",
    reason: (v) => `ordered in only ${v} month(s) of the last year`,
  },
  {
    name: "log_order_value_365d",
    whatsapp: false,
    riskDirection: -1,
    description: "ln(1 + value of the orders placed in the last 365 days, not cancelled by then), order currency",
    reason: () => "low spend in the last year",
  },
  {
    name: "log_avg_order_value",
    whatsapp: false,
    riskDirection: -1,
    description: "ln(1 + average order value, orders not cancelled by then), order currency",
    reason: () => "small average order",
  },
  {
    name: "order_tenure_days",
    whatsapp: false,
    riskDirection: -1,
    description: "Days since the first order (-1 = never ordered)",
    reason: (v) => (v < 0 ? "has never ordered" : `first order only ${Math.round(v)} days ago`),
  },
  {
    name: "mean_order_gap_days",
    whatsapp: false,
    riskDirection: 1,
    description: "Mean days between consecutive orders (-1 = fewer than 2 orders)",
    reason: (v) => (v < 0 ? "fewer than 2 orders" : `orders only every ${Math.round(v)} days on average`),
  },
  {
    name: "order_overdue_ratio",
    whatsapp: false,
    riskDirection: 1,
    description:
      "Days since the last order / the customer's own mean gap between orders, capped at 50 (-1 = fewer than 2 orders)",
    reason: (v) => (v < 0 ? "no repeat order yet" : `next order ${f1(v)}x the usual gap overdue`),
  },
  {
    name: "last_order_value_ratio",
    whatsapp: false,
    riskDirection: -1,
    description: "Last order value / mean value of the earlier orders (-1 = fewer than 2 orders)",
    reason: (v) => (v < 0 ? "no repeat order yet" : `last order worth ${pct(v)} of the earlier ones`),
  },
  {
    name: "crm_tenure_days",
    whatsapp: false,
    riskDirection: -1,
    description: "Days since the CRM record was created (-1 = no CRM record yet)",
    reason: (v) => (v < 0 ? "not in the CRM yet" : `in the CRM for only ${Math.round(v)} days`),
  },
  {
    name: "tenure_days",
    whatsapp: true,
    riskDirection: -1,
    description: "Days since first seen (first message, order or CRM record)",
    reason: (v) => `customer for only ${Math.round(v)} days`,
  },
  {
    name: "days_since_last_activity",
    whatsapp: true,
    riskDirection: 1,
    description: "Days since the last message or order",
    reason: (v) => `no message or order for ${Math.round(v)} days`,
  },
];

/**
 * The model's columns for a feature set. "orders_only" (a CRM with orders but no WhatsApp history)
 * keeps only features computed from orders and the CRM record: anything that also reads messages
 * (first or last activity, tenure since the first message) is a WhatsApp feature.
 */
export function featureNames(set: FeatureSet): string[] {
  return FEATURES.filter((f) => set === "whatsapp_and_orders" || !f.whatsapp).map((f) => f.name);
}

export type FeatureSet = "whatsapp_and_orders" | "orders_only";

export interface FeatureRow {
  as_of_at: string;
  customer_key: string;
  primary_crm_contact_key: string | null;
  market: string;
  last_inbound_at: string | null;
  days_since_treatment: number;
  treated_in_outcome: boolean;
  label_observed: boolean;
  churned: boolean;
  values: Record<string, number>;
}

export interface FeatureOptions {
  /** Label horizon: churned = no inbound message and no order in the next N days (R16: 60). */
  horizonDays?: number;
  /** Population: customers with a message or order in the last N days before the as-of time. */
  activeDays?: number;
}

async function tableExists(wh: Warehouse, schema: string, name: string): Promise<boolean> {
  const n = await wh.scalar<number>(
    "select count(*)::integer from information_schema.tables where table_schema = $1 and table_name = $2",
    [schema, name],
  );
  return Number(n) > 0;
}

export async function ensureSchema(wh: Warehouse): Promise<void> {
  await wh.run("set TimeZone = 'UTC'");
  await wh.run(loadSql("schema"));
}

/** Scores every inbound text message not yet in ml.message_sentiment. Returns how many. */
export async function refreshSentiment(wh: Warehouse): Promise<number> {
  const rows = await wh.rows<{ message_id: string; text: string }>(
    `select m.message_id, m.text from marts.fct_messages as m
     where m.direction = 'inbound' and m.text is not null and length(m.text) > 0
       and m.message_id not in (select message_id from ml.message_sentiment)`,
  );
  if (rows.length === 0) return 0;
  const appender = await wh.connection.createAppender("message_sentiment", "ml");
  try {
    for (const r of rows) {
      const s = analyzeSentiment(r.text);
      appender.appendVarchar(r.message_id);
      appender.appendDouble(s.score);
      const language = s.hits[0]?.language;
      if (language) appender.appendVarchar(language);
      else appender.appendNull();
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  return rows.length;
}

export async function refreshTreatments(wh: Warehouse): Promise<void> {
  await wh.run(loadSql("treatments"));
}

/** Computes features (and labels) for every in-scope customer at each as-of time. */
export async function computeFeatures(
  wh: Warehouse,
  asOf: readonly Date[],
  opts: FeatureOptions = {},
): Promise<FeatureRow[]> {
  const horizon = opts.horizonDays ?? 60;
  const active = opts.activeDays ?? 120;
  if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError("horizonDays must be a positive integer");
  if (!Number.isInteger(active) || active < 1) throw new RangeError("activeDays must be a positive integer");
  await wh.run("set TimeZone = 'UTC'");
  await wh.run("create or replace temp table ml_as_of (as_of_at timestamptz)");
  for (const d of asOf) await wh.run("insert into ml_as_of values ($1::timestamptz)", [d.toISOString()]);
  if (await tableExists(wh, "marts", "fct_message_keywords")) {
    await wh.run(
      "create or replace temp view ml_keywords as select message_id, customer_key, sent_at_utc, topic from marts.fct_message_keywords",
    );
  } else {
    await wh.run(
      "create or replace temp view ml_keywords as select null::varchar as message_id, null::varchar as customer_key, null::timestamptz as sent_at_utc, null::varchar as topic where false",
    );
  }
  const sql = loadSql("churn_features", { HORIZON_DAYS: horizon, ACTIVE_DAYS: active });
  await wh.run(sql);
  const names = FEATURES.map((f) => f.name);
  const raw = await wh.rows<Record<string, unknown>>(
    `select strftime(as_of_at, '%Y-%m-%dT%H:%M:%S.%gZ') as as_of_iso, strftime(last_inbound_at, '%Y-%m-%dT%H:%M:%SZ') as last_inbound_iso, *
     from ml_features order by as_of_at, customer_key`,
  );
  return raw.map((r) => {
    const values: Record<string, number> = {};
    for (const n of names) values[n] = Number(r[n]);
    return {
      as_of_at: String(r.as_of_iso),
      customer_key: String(r.customer_key),
      primary_crm_contact_key: (r.primary_crm_contact_key as string | null) ?? null,
      market: String(r.market),
      last_inbound_at: (r.last_inbound_iso as string | null) ?? null,
      days_since_treatment: Number(r.days_since_treatment),
      treated_in_outcome: r.treated_in_outcome === true,
      label_observed: r.label_observed === true,
      churned: r.churned === true,
      values,
    };
  });
}

/** The latest event time in the warehouse (messages or orders): the end of observed data. */
export async function dataEnd(wh: Warehouse): Promise<Date | null> {
  const v = await wh.scalar<string | null>(
    `select strftime(greatest(
        (select max(sent_at_utc) from marts.fct_messages),
        coalesce((select max(ordered_at_utc) from marts.fct_orders), '1970-01-01'::timestamptz)), '%Y-%m-%dT%H:%M:%S.%gZ')`,
  );
  return v ? new Date(v) : null;
}

/**
 * Start of the observed history: the first WhatsApp message (CRM orders often reach further back,
 * but before the first message the label's "no inbound message" part is not observable).
 * Falls back to the first order for a warehouse without messages.
 */
export async function dataStart(wh: Warehouse): Promise<Date | null> {
  const v = await wh.scalar<string | null>(
    `select strftime(coalesce((select min(sent_at_utc) from marts.fct_messages), (select min(ordered_at_utc) from marts.fct_orders)), '%Y-%m-%dT%H:%M:%S.%gZ')`,
  );
  return v ? new Date(v) : null;
}
