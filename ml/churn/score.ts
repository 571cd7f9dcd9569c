/**
 * `scrm score`: scores every in-scope customer as of the scoring time with the latest trained
 * model, writes ml.churn_scores (one row per customer and run), assigns the optional seeded
 * hold-out group, and replaces our recovery tags in crm_sync.desired_tags (idempotent).
 */
import { existsSync, readFileSync } from "node:fs";
import type { Warehouse } from "../../core/warehouse.ts";
import { stableHash } from "./dataset.ts";
import { computeFeatures, dataEnd, refreshSentiment, refreshTreatments, type FeatureRow } from "./features.ts";
import { predictSaved, reasonsFor, type SavedChurnModel } from "./model.ts";

/** Our tag families: only these are replaced in crm_sync.desired_tags by the scorer. */
export const RISK_TAG_PREFIX = "scrm:churn-risk-";
export const ACTION_TAG_PREFIX = "scrm:action-";

export interface ScoreOptions {
  /** Fraction of targeted customers held out (not tagged, not exported); 0 = none. Default 0.1. */
  holdoutFraction?: number;
  /** Seed of the hold-out assignment (default: derived from the scoring month, so it is stable within a month). */
  holdoutSeed?: number;
  /** Which CRM the tags are for (crm_sync.desired_tags.crm); default: the CRM of each record key. */
  crm?: string;
}

export interface ScoreResult {
  status: "scored" | "skipped";
  message: string;
  runId: string;
  modelVersion?: string;
  asOf?: string;
  scored: number;
  bands: Record<string, number>;
  holdout: number;
  tags: number;
}

export interface Recommendation {
  segment: "high_interest" | "potential" | "silent_60d" | "other";
  action: string | null;
  tags: string[];
}

/** R16 / R27 segment and action for a scored customer. */
export function recommend(band: string, row: FeatureRow): Recommendation {
  const v = row.values;
  const segment: Recommendation["segment"] =
    (v.product_questions_7d ?? 0) >= 3
      ? "high_interest"
      : (v.days_since_last_inbound ?? 0) > 60
        ? "silent_60d"
        : (v.active_days_30d ?? 0) >= 1 && (v.active_days_30d ?? 0) <= 2
          ? "potential"
          : "other";
  const riskTag = band === "high" || band === "medium" ? [`${RISK_TAG_PREFIX}${band}`] : [];
  if (band === "high")
    return {
      segment,
      action: "15% win-back discount code (marketing template; R27)",
      tags: [...riskTag, `${ACTION_TAG_PREFIX}winback-15`],
    };
  if (segment === "high_interest")
    return {
      segment,
      action: "10% discount code (R16 high-interest)",
      tags: [...riskTag, `${ACTION_TAG_PREFIX}discount-10`],
    };
  if (band === "medium" || segment === "potential")
    return {
      segment,
      action: "weekly follow-up reminder (R16 potential)",
      tags: [...riskTag, `${ACTION_TAG_PREFIX}follow-up-weekly`],
    };
  if (segment === "silent_60d")
    return { segment, action: "low-priority list (R16 churned)", tags: [`${ACTION_TAG_PREFIX}low-priority`] };
  return { segment, action: null, tags: [] };
}

export function bandOf(p: number, bands: { high: number; medium: number }): "high" | "medium" | "low" {
  return p >= bands.high ? "high" : p >= bands.medium ? "medium" : "low";
}

/** The latest trained model, or null. */
export async function latestModel(wh: Warehouse): Promise<SavedChurnModel | null> {
  const rows = await wh.rows<{ model_path: string }>(
    "select model_path from ml.model_runs where status = 'trained' and model_path is not null order by trained_at desc limit 5",
  );
  for (const r of rows) {
    if (existsSync(r.model_path)) return JSON.parse(readFileSync(r.model_path, "utf8")) as SavedChurnModel;
  }
  return null;
}

function splitRecordKey(key: string | null): { crm: string; recordId: string } | null {
  if (!key) return null;
  const i = key.indexOf(":");
  if (i <= 0) return null;
  return { crm: key.slice(0, i), recordId: key.slice(i + 1) };
}

export async function scoreChurn(wh: Warehouse, now: Date, opts: ScoreOptions = {}): Promise<ScoreResult> {
  const runId = `score-${now.toISOString()}`;
  const empty = { runId, scored: 0, bands: {}, holdout: 0, tags: 0 };
  const model = await latestModel(wh);
  if (!model) return { status: "skipped", message: "no trained churn model yet (run `scrm train`)", ...empty };
  await refreshSentiment(wh);
  await refreshTreatments(wh);
  const end = await dataEnd(wh);
  if (!end) return { status: "skipped", message: "no data to score", ...empty };
  // Score as of now, but never after the data ends (a demo warehouse can end before today).
  const asOf = new Date(Math.min(now.getTime(), end.getTime() + 1000));
  const rows = await computeFeatures(wh, [asOf], { horizonDays: model.horizonDays, activeDays: model.activeDays });
  if (rows.length === 0) return { status: "skipped", message: "no customer in scope to score", ...empty };
  const { score, probability } = predictSaved(model, rows);
  const fraction = opts.holdoutFraction ?? 0.1;
  // The hold-out is a hash of the customer and a seed that changes monthly, not a fresh draw per
  // run: a daily re-score must not move customers in and out of the control group (their CRM
  // tags would flap and the uplift measurement would be meaningless).
  const holdoutSalt = opts.holdoutSeed ?? stableHash(`holdout-${now.toISOString().slice(0, 7)}`);
  const inHoldout = (customerKey: string) => (stableHash(`${holdoutSalt}:${customerKey}`) >>> 0) / 2 ** 32 < fraction;
  const scoreDate = now.toISOString().slice(0, 10);
  const bands: Record<string, number> = {};
  let holdout = 0;
  let tagCount = 0;

  await wh.transaction(async () => {
    await wh.run("delete from ml.churn_scores where score_date = $1::date", [scoreDate]);
    await wh.run("delete from ml.churn_holdout where assigned_at::date = $1::date", [scoreDate]);
    await wh.run("delete from ml.tag_log where tagged_at::date = $1::date", [scoreDate]);
    await wh.run(
      `delete from crm_sync.desired_tags where (tag like '${RISK_TAG_PREFIX}%' or tag like '${ACTION_TAG_PREFIX}%')${opts.crm ? " and crm = $1" : ""}`,
      opts.crm ? [opts.crm] : [],
    );
    // Staged as text/double/boolean, then cast in SQL (the appender does not convert types).
    await wh.run(
      `create or replace table ml._stage_scores (run_id varchar, score_date varchar, scored_at varchar, as_of_at varchar,
        customer_key varchar, crm varchar, crm_record_id varchar, score double, probability double, risk_band varchar,
        segment varchar, reason_1 varchar, reason_2 varchar, reason_3 varchar, recommended_action varchar,
        recommended_tag varchar, is_holdout boolean, recovery_outcome varchar, last_inbound_at varchar,
        days_since_last_inbound double, model_version varchar)`,
    );
    const scores = await wh.connection.createAppender("_stage_scores", "ml");
    const tags: { crm: string; recordId: string; tag: string; customer: string }[] = [];
    const held: { customer: string; recordId: string | null; band: string }[] = [];
    try {
      rows.forEach((row, i) => {
        const p = probability[i]!;
        const band = bandOf(p, model.bands);
        bands[band] = (bands[band] ?? 0) + 1;
        const rec = recommend(band, row);
        const reasons = reasonsFor(model, row, 3);
        const record = splitRecordKey(row.primary_crm_contact_key);
        const isHoldout = rec.tags.length > 0 && fraction > 0 && inHoldout(row.customer_key);
        if (isHoldout) {
          holdout++;
          held.push({ customer: row.customer_key, recordId: record?.recordId ?? null, band });
        } else if (record && (!opts.crm || opts.crm === record.crm)) {
          for (const tag of rec.tags) tags.push({ ...record, tag, customer: row.customer_key });
        }
        const vals: (string | number | boolean | null)[] = [
          runId,
          scoreDate,
          now.toISOString(),
          asOf.toISOString(),
          row.customer_key,
          record?.crm ?? null,
          record?.recordId ?? null,
          score[i]!,
          p,
          band,
          rec.segment,
          reasons[0] ?? null,
          reasons[1] ?? null,
          reasons[2] ?? null,
          rec.action,
          rec.tags.join(";") || null,
          isHoldout,
          "pending",
          row.last_inbound_at,
          row.values.days_since_last_inbound ?? null,
          model.version,
        ];
        for (const v of vals) {
          if (v === null) scores.appendNull();
          else if (typeof v === "boolean") scores.appendBoolean(v);
          else if (typeof v === "number") scores.appendDouble(v);
          else scores.appendVarchar(v);
        }
        scores.endRow();
      });
      scores.flushSync();
    } finally {
      scores.closeSync();
    }
    await wh.run(
      `insert into ml.churn_scores select run_id, score_date::date, scored_at::timestamptz, as_of_at::timestamptz,
         customer_key, crm, crm_record_id, score, probability, risk_band, segment, reason_1, reason_2, reason_3,
         recommended_action, recommended_tag, is_holdout, recovery_outcome, last_inbound_at::timestamptz,
         days_since_last_inbound, model_version from ml._stage_scores`,
    );
    await wh.run("drop table ml._stage_scores");
    for (const h of held) {
      await wh.run("insert into ml.churn_holdout values ($1, $2, $3, $4, $5::timestamptz)", [
        runId,
        h.customer,
        h.recordId,
        h.band,
        now.toISOString(),
      ]);
    }
    if (tags.length) {
      await wh.run(
        "create or replace table ml._stage_tags (crm varchar, record_id varchar, tag varchar, customer_key varchar)",
      );
      const app = await wh.connection.createAppender("_stage_tags", "ml");
      try {
        for (const t of tags) {
          app.appendVarchar(t.crm);
          app.appendVarchar(t.recordId);
          app.appendVarchar(t.tag);
          app.appendVarchar(t.customer);
          app.endRow();
        }
        app.flushSync();
      } finally {
        app.closeSync();
      }
      await wh.run(
        `insert into crm_sync.desired_tags select distinct s.crm, s.record_id, s.tag from ml._stage_tags as s
         where not exists (select 1 from crm_sync.desired_tags d where d.crm = s.crm and d.record_id = s.record_id and d.tag = s.tag)`,
      );
      await wh.run(
        "insert into ml.tag_log select distinct $1, customer_key, crm, record_id, tag, $2::timestamptz from ml._stage_tags",
        [runId, now.toISOString()],
      );
      await wh.run("drop table ml._stage_tags");
      tagCount = tags.length;
    }
    await updateOutcomes(wh, model.horizonDays);
  });
  return {
    status: "scored",
    message: `scored ${rows.length} customers as of ${asOf.toISOString()} with ${model.version}: ${Object.entries(bands)
      .map(([b, n]) => `${n} ${b}`)
      .join(", ")}; ${holdout} held out; ${tagCount} recovery tags queued`,
    runId,
    modelVersion: model.version,
    asOf: asOf.toISOString(),
    scored: rows.length,
    bands,
    holdout,
    tags: tagCount,
  };
}

/** Recovery outcome of past scores whose horizon has passed: returned (a message or order) or not. */
async function updateOutcomes(wh: Warehouse, horizonDays: number): Promise<void> {
  await wh.run(
    `update ml.churn_scores as s set recovery_outcome = case when exists (
        select 1 from marts.fct_messages m where m.customer_key = s.customer_key and m.direction = 'inbound'
          and m.sent_at_utc >= s.as_of_at and m.sent_at_utc < s.as_of_at + to_days($1::integer))
      or exists (select 1 from marts.fct_orders o where o.customer_key = s.customer_key
          and o.ordered_at_utc >= s.as_of_at and o.ordered_at_utc < s.as_of_at + to_days($1::integer))
      then 'returned' else 'not_returned' end
     where s.recovery_outcome = 'pending'
       and s.as_of_at + to_days($1::integer) <= (select max(sent_at_utc) from marts.fct_messages)`,
    [horizonDays],
  );
}
