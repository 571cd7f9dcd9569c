/**
 * Churn pipeline benchmark (issue 7): training time of the production churn forest settings
 * (DEFAULT_FOREST) at 10k, 100k and 1M rows x 25 features, Platt calibration, and scoring 1M
 * customers (vote fractions + calibration + bands). Synthetic features (ml/synthetic.ts).
 *
 *   npx tsx bench/ml-churn.ts           # 10k, 100k, 1M  (1M rows x 150 trees: give node more heap,
 *                                       #  NODE_OPTIONS=--max-old-space-size=8192)
 *   npx tsx bench/ml-churn.ts --quick   # 10k and 100k, then scoring 1M with the 100k model
 */
import { applyPlatt, fitPlatt } from "../ml/calibration.ts";
import { DEFAULT_FOREST } from "../ml/churn/model.ts";
import { bandOf } from "../ml/churn/score.ts";
import { trainForest } from "../ml/forest/index.ts";
import { rocAuc } from "../ml/metrics.ts";
import { sliceRows, syntheticChurn } from "../ml/synthetic.ts";

const quick = process.argv.includes("--quick");
const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const nCols = 25;

console.log(`churn benchmark (node ${process.version}); forest ${JSON.stringify(DEFAULT_FOREST)}; ${nCols} features`);
const holdout = syntheticChurn(50_000, 99, nCols);
let lastForest = null as ReturnType<typeof trainForest> | null;
console.log("| training rows | train (s) | holdout ROC AUC |");
console.log("|---|---|---|");
for (const n of sizes) {
  const d = syntheticChurn(n, 7, nCols);
  const t0 = performance.now();
  const forest = trainForest(d.x, d.y, DEFAULT_FOREST);
  const t = seconds(t0);
  const auc = rocAuc(holdout.y, forest.predictProbabilityFast(holdout.x));
  console.log(`| ${n.toLocaleString("en-US")} | ${t.toFixed(1)} | ${auc.toFixed(3)} |`);
  lastForest = forest;
}
const forest = lastForest!;
const cal = sliceRows(holdout.x, 0, 20_000);
const platt = fitPlatt(forest.predictProbabilityFast(cal), holdout.y.subarray(0, 20_000));
const big = syntheticChurn(1_000_000, 11, nCols);
const t0 = performance.now();
const votes = forest.predictProbabilityFast(big.x);
const p = applyPlatt(platt, votes);
const bands = { high: 0, medium: 0, low: 0 };
for (const v of p) bands[bandOf(v, { high: 0.5, medium: 0.25 })]++;
console.log(
  `\nscoring 1,000,000 customers (votes + Platt + bands): ${seconds(t0).toFixed(1)} s; bands ${JSON.stringify(bands)}`,
);
