/** The markdown model card written with every training run. */
import { FEATURES, type FeatureRow } from "./features.ts";
import type { TrainResult } from "./train.ts";
import { metricsTable } from "./train.ts";
import { FEW_COLUMNS, SEARCH_TREES } from "./model.ts";
import type { BinaryReport } from "../metrics.ts";

const rate = (rows: readonly FeatureRow[]) =>
  rows.length ? `${((100 * rows.filter((r) => r.churned).length) / rows.length).toFixed(1)}%` : "n/a";

const fmt = (v: number) => v.toFixed(3);

/** The metrics the card checks "the forest beats every baseline" on: name, value, higher is better. */
const CARD_METRICS: readonly [string, (m: BinaryReport) => number, boolean][] = [
  ["ROC AUC", (m) => m.rocAuc, true],
  ["PR AUC", (m) => m.prAuc, true],
  ["Brier score", (m) => m.brier, false],
  ["top-decile lift", (m) => m.topDecileLift, true],
];

export function modelCard(
  r: TrainResult,
  parts: { train: readonly FeatureRow[]; cal: readonly FeatureRow[]; test: readonly FeatureRow[] },
): string {
  const m = r.model!;
  const split = r.split!;
  const e = r.eligibility!;
  const main = r.comparisons![0]!;
  const forest = main.evaluations.find((x) => x.model === "forest")!;
  const beats = r.comparisons!.map((c) => {
    const f = c.evaluations.find((x) => x.model === "forest")!.report;
    const others = c.evaluations.filter((x) => x.model !== "forest");
    const won: string[] = [];
    const lost: string[] = [];
    for (const [name, value, higherIsBetter] of CARD_METRICS) {
      const notBeaten = others.filter((o) =>
        higherIsBetter ? value(o.report) >= value(f) : value(o.report) <= value(f),
      );
      if (notBeaten.length === 0) won.push(name);
      else
        lost.push(
          `${name} (${notBeaten.map((o) => `${o.model} ${fmt(value(o.report))}`).join(", ")} vs ${fmt(value(f))})`,
        );
    }
    return lost.length === 0
      ? `- ${c.featureSet}: the forest beats every baseline on ${won.join(", ")}.`
      : `- ${c.featureSet}: the forest beats every baseline on ${won.length ? won.join(", ") : "no metric"}; NOT on ${lost.join("; ")}.`;
  });
  const imp = main.columns
    .map((c, i) => ({ c, v: main.importance[i] ?? 0 }))
    .sort((a, b) => b.v - a.v)
    .slice(0, 12);
  const desc = new Map(FEATURES.map((f) => [f.name, f.description]));
  return `# Churn-risk model ${m.version}

Trained ${m.trainedAt} by \`scrm train\` (issue 7; R16, R27). Model file: \`model.json\` (the
\`forest\` field is \`ml-random-forest\` 2.1.0 JSON, loadable with \`RandomForestClassifier.load\`).

## What it predicts
The probability that a customer sends **no inbound WhatsApp message and places no order in the
next ${m.horizonDays} days** (R16's 60-day silence, configurable), for customers with a message or
order in the ${m.activeDays} days before the scoring time. Longer-silent customers are already
"churned" under R16 and are not scored.

## Data and validation (out of time)
- As-of dates: every ${r.stepDays} day(s); features use only events strictly before the as-of time
  (point-in-time SQL in \`ml/sql/churn_features.sql\`).
- Train: ${split.train.map((d) => d.slice(0, 10)).join(", ")} (${parts.train.length} rows, churn rate ${rate(parts.train)}).
- Calibration (Platt, later slice): ${split.calibration.map((d) => d.slice(0, 10)).join(", ")} (${parts.cal.length} rows, ${rate(parts.cal)}).
- Test (the latest ${split.test.length} as-of date(s) whose ${m.horizonDays}-day outcome is fully observed): ${split.test.map((d) => d.slice(0, 10)).join(", ")} (${parts.test.length} rows, ${rate(parts.test)}).
- ${split.purged ? `Purged: every train and calibration outcome window closed before the first test date.` : `Not purged: too little history to close every training outcome window before the test date; train, calibration and test are still in time order.`}
- The same customer appears at several as-of dates, but never in two slices at the same date.

## Leakage guards
- Our own treatments are excluded, not modelled: an example is dropped when the customer got a
  win-back send (template or automation named *winback*) or one of our recovery tags
  (\`ml.tag_log\`) in the ${m.horizonDays} days before the as-of date or inside its outcome window.
  ${e.total} candidate rows: ${e.unobserved} without a fully observed outcome, ${e.treatedBefore} treated before, ${e.treatedInOutcome} treated in the outcome window, ${e.eligible} used.
- Read receipts count only if read before the as-of time; replies only if sent before it.
- Orders: \`marts.fct_orders\` keeps only each order's current version, so payment status is not
  a feature (a later refund or payment would leak), and a cancellation counts only when it was
  recorded before the as-of time.
- Sentiment is a fixed lexicon (\`ml/sentiment.ts\`), not trained on outcome-window messages.
- No resampling; no random K-fold across time.

## Comparison on the same test slice
${metricsTable(r.comparisons!)}

The forest and the logistic regression are both Platt-calibrated on the calibration slice; rules
are turned into probabilities with their churn rate on that slice. The
orders-only rows drop every feature that reads WhatsApp data, including tenure and last activity
measured from the first or last message (a CRM with orders but no WhatsApp history); they keep
the order history (recency, frequency, value, the customer's own gap between orders and how
overdue the next one is, value trend, months with an order) and the CRM record's age. The rows
and labels are the same as above (the label still needs WhatsApp to observe "no inbound message").
R16 becomes "no order for 60 days" and R27 "ordered in the last 90 days but not the last 30".

${beats.join("\n")}

## Calibration (test slice, forest, calibrated)
| bin | n | mean predicted | observed |
|---|---|---|---|
${forest.calibration
  .filter((b) => b.count > 0)
  .map((b, i) => `| ${i + 1} | ${b.count} | ${b.meanPredicted.toFixed(3)} | ${b.observedRate.toFixed(3)} |`)
  .join("\n")}

## Forest
${JSON.stringify(m.forestOptions)} - ${main.trainSeconds.toFixed(1)} s to choose the settings below and train.

Settings were chosen per feature set on the calibration slice (as-of dates after every training
date and before the test date; the test date is never used to choose), by ROC AUC + PR AUC of the
vote fractions, without sharing customers: customers are split into two halves, and each half's
calibration rows are scored by a ${SEARCH_TREES}-tree forest trained on the other half's training rows
(every other training date: neighbouring dates hold nearly the same rows).
A customer's rows at neighbouring dates share most of their outcome window, so scoring them with a
model that saw the same customer would reward memorising customers. Leaf sizes (minNumSamples) are
counted in customers: 10 or 20 times the number of training dates. With fewer than ${FEW_COLUMNS}
columns (orders only) trees use balanced bagging (each tree draws as many churned as retained
rows): the signal is weak, and with plain bagging almost every leaf votes "retained".

| feature set | bagging | maxFeatures | maxDepth | minNumSamples | validation ROC AUC | validation PR AUC | chosen |
|---|---|---|---|---|---|---|---|
${r
  .comparisons!.flatMap((c) =>
    c.tuning.map(
      (t) =>
        `| ${c.featureSet} | ${t.options.bagging ?? "bootstrap"} | ${t.options.maxFeatures} | ${t.options.treeOptions?.maxDepth} | ${t.options.treeOptions?.minNumSamples} | ${t.validationRocAuc.toFixed(3)} | ${t.validationPrAuc.toFixed(3)} | ${t.options === c.forestOptions ? "yes" : ""} |`,
    ),
  )
  .join("\n")}

Platt: a = ${m.platt.a.toFixed(3)}, b = ${m.platt.b.toFixed(3)}.
Risk bands on the calibrated probability: high >= ${m.bands.high}, medium >= ${m.bands.medium}.

### Most important features (impurity importance)
| feature | importance | meaning |
|---|---|---|
${imp.map((x) => `| ${x.c} | ${x.v.toFixed(3)} | ${desc.get(x.c) ?? (x.c.startsWith("market_") ? "market one-hot" : "")} |`).join("\n")}

## Reasons and actions
Each score carries up to three reasons in words: among the 12 most important features, those
where the customer is riskier than at least 70% of retained training customers, ranked by
importance x extremeness. Actions follow R16/R27: high risk -> 15% win-back code; high-interest
(3+ product questions in 7 days) -> 10% code; medium risk or potential (1-2 active days in 30) ->
weekly follow-up; silent 60+ days -> low-priority list.

## Limits
- Demo data is synthetic; figures on real data will differ. Performance decays: retrain regularly.
- Impurity importance favours continuous features; reasons are rule-based, not SHAP.
- Amounts are in each order's own currency (the market one-hot absorbs the scale).
`;
}
