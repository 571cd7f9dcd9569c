// Loader for data/churn.json: churn risk (R16, R27) from the scoring output of issue 7
// (ml.churn_scores, one row per customer and scoring run). Shipped as aggregates only: a score
// histogram of the latest run, customers per risk band per scoring date, top reasons, and recovery
// outcomes. Never a customer key. Absent table: "not computed yet".
import { page } from "./marts.ts";
import { emit, ident, loaderEnv, pickColumn, withWarehouse } from "./warehouse.ts";

const TABLES: [string, string][] = [
  ["ml", "churn_scores"],
  ["ml", "churn_risk"],
  ["ml", "churn_predictions"],
  ["marts", "fct_churn_risk"],
];
const num = (x: unknown) => (x == null ? null : Number(x));

const env = loaderEnv();
const result = await withWarehouse(env.warehouse, async (wh) => {
  const out = page();
  for (const [schema, name] of TABLES) {
    const cols = await wh.columns(schema, name);
    if (!cols) continue;
    const when = pickColumn(cols, ["score_date", "as_of_date", "scored_date", "scored_at", "as_of"]);
    const prob = pickColumn(cols, ["probability", "churn_probability", "calibrated_probability", "risk_score", "score"]);
    const band = pickColumn(cols, ["risk_band", "band"]);
    if (!when || !prob) continue;
    const t = `${schema}.${name}`;
    const day = `strftime(${ident(when)}::date, '%Y-%m-%d')`;
    const latest = `${ident(when)}::date = (select max(${ident(when)})::date from ${t})`;
    const hist = await wh.query(
      `select least(floor(${ident(prob)} * 20), 19)::integer as bin, count(*)::integer as n from ${t} where ${latest} group by 1 order by 1`,
    );
    out.histogram = hist.map((r) => ({ bin: num(r.bin), n: num(r.n) }));
    if (band) {
      const b = await wh.query(`select ${day} as date, ${ident(band)}::varchar as band, count(*)::integer as n from ${t} group by all order by 1`);
      out.bands = b.map((r) => ({ date: r.date, band: r.band, n: num(r.n) }));
    }
    const reason = pickColumn(cols, ["reason_1", "top_reason", "reason1", "primary_reason"]);
    const reasons = pickColumn(cols, ["reasons", "top_reasons", "reason_codes"]);
    if (reason) {
      const r = await wh.query(`select ${ident(reason)}::varchar as reason, count(*)::integer as n from ${t} where ${latest} and ${ident(reason)} is not null ${band ? `and ${ident(band)} = 'high'` : ""} group by 1 order by 2 desc limit 15`);
      out.reasons = r.map((x) => ({ reason: x.reason, n: num(x.n) }));
    } else if (reasons) {
      const r = await wh.query(`select unnest(${ident(reasons)})::varchar as reason, count(*)::integer as n from ${t} where ${latest} group by 1 order by 2 desc limit 15`).catch(() => []);
      out.reasons = r.map((x) => ({ reason: x.reason, n: num(x.n) }));
    }
    const action = pickColumn(cols, ["recommended_action", "action"]);
    const outcome = pickColumn(cols, ["recovery_outcome", "outcome", "recovered"]);
    if (action || outcome) {
      const r = await wh.query(
        `select ${action ? `coalesce(${ident(action)}::varchar, '(none)')` : "'(all)'"} as action, ${outcome ? `coalesce(${ident(outcome)}::varchar, 'pending')` : "'pending'"} as outcome, count(*)::integer as n
         from ${t} where ${latest} group by all order by 3 desc`,
      );
      out.recovery = r.map((x) => ({ action: x.action, outcome: x.outcome, n: num(x.n) }));
    }
    const meta = await wh.query(`select max(${ident(when)})::varchar as latest, count(*)::integer as n ${cols.has("model_version") ? ", max(model_version)::varchar as model_version" : ""} from ${t} where ${latest}`);
    out.latest = { date: meta[0]?.latest ?? null, customers: num(meta[0]?.n), modelVersion: meta[0]?.model_version ?? null, source: t };
    if (!outcome) out.missing.push({ what: "Recovery outcomes (R27: 27% recovered)", needs: `${t}.recovery_outcome (or a marts.fct_recovery_outcomes table)` });
    break;
  }
  if (!out.latest)
    out.missing.push({ what: "Churn-risk scores (R27)", needs: "ml.churn_scores (customer_key, score_date, probability, risk_band, reason_1, recommended_action, recovery_outcome, model_version) from `scrm score` (issue 7)" });
  return out;
});
emit(result);
