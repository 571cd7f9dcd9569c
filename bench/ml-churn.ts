/**
 * Churn pipeline benchmark (issue 7): training time of the production churn forest settings
 * (DEFAULT_FOREST) at 10k, 100k and 1M rows x 25 features, Platt calibration, and scoring 1M
 * customers (vote fractions + calibration + bands). Synthetic features (ml/synthetic.ts).
 *
 *   npx tsx bench/ml-churn.ts           # 10k, 100k, 1M  (1M rows x 100 trees: give node more heap,
 *                                       #  NODE_OPTIONS=--max-old-space-size=8192)
 *   npx tsx bench/ml-churn.ts --quick   # 10k and 100k, then scoring 1M with the 100k model
 */
import { cpus, loadavg } from "node:os";

import { applyPlatt, fitPlatt } from "../ml/calibration.ts";
import { DEFAULT_FOREST } from "../ml/churn/model.ts";
import { bandOf } from "../ml/churn/score.ts";
import { trainForest } from "../ml/forest/index.ts";
import { rocAuc } from "../ml/metrics.ts";
import { sliceRows, syntheticChurn } from "../ml/synthetic.ts";

const quick = process.argv.includes("--quick");
const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
const nCols = 25;
// Wall time and this process's CPU time (user + system): the machine is shared, and when other
// work competes for the cores the CPU seconds stay comparable while the wall time does not.
const clock = () => ({ wall: performance.now(), cpu: process.cpuUsage() });
const took = (t0: ReturnType<typeof clock>) => {
  const cpu = process.cpuUsage(t0.cpu);
  return `${((performance.now() - t0.wall) / 1000).toFixed(1)} | ${((cpu.user + cpu.system) / 1e6).toFixed(1)}`;
};
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(" ");

console.log(`churn benchmark (node ${process.version}, ${cpus().length} cores, load average ${load()})`);
console.log(`forest ${JSON.stringify(DEFAULT_FOREST)}; ${nCols} features`);
const holdout = syntheticChurn(50_000, 99, nCols);
let lastForest = null as ReturnType<typeof trainForest> | null;
console.log("| training rows | train wall (s) | train CPU (s) | holdout ROC AUC | load average after |");
console.log("|---|---|---|---|---|");
for (const n of sizes) {
  const d = syntheticChurn(n, 7, nCols);
  const t0 = clock();
  const forest = trainForest(d.x, d.y, DEFAULT_FOREST);
  const t = took(t0);
  const auc = rocAuc(holdout.y, forest.predictProbabilityFast(holdout.x));
  console.log(`| ${n.toLocaleString("en-US")} | ${t} | ${auc.toFixed(3)} | ${load()} |`);
  lastForest = forest;
}
const forest = lastForest!;
const cal = sliceRows(holdout.x, 0, 20_000);
const platt = fitPlatt(forest.predictProbabilityFast(cal), holdout.y.subarray(0, 20_000));
const big = syntheticChurn(1_000_000, 11, nCols);
const t0 = clock();
const votes = forest.predictProbabilityFast(big.x);
const p = applyPlatt(platt, votes);
const bands = { high: 0, medium: 0, low: 0 };
for (const v of p) bands[bandOf(v, { high: 0.5, medium: 0.25 })]++;
console.log(
  `\nscoring 1,000,000 customers (votes + Platt + bands), wall | CPU s: ${took(t0)}; bands ${JSON.stringify(bands)}`,
);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; load average ${load()}`);
