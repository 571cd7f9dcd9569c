/**
 * Churn forest benchmark: training time at 10k / 100k / 1M rows x 20 features (50 trees),
 * scoring time for 1M rows (library predictionValues and the flat scorer), and the speed-up over
 * ml-random-forest's own trainer at a size where the library is still feasible.
 *
 *   npx tsx bench/ml-train.ts            # full run (several minutes, ~2 GB RAM at 1M rows)
 *   npx tsx bench/ml-train.ts --quick    # 10k and 100k only, skips the 1M rows
 *   npx tsx bench/ml-train.ts --config=1 # only the churn tree settings
 */
import { cpus, loadavg } from "node:os";

import { RandomForestClassifier } from "ml-random-forest";

import { trainForest, type ForestOptions } from "../ml/forest/index.ts";
import { rowSlice } from "../ml/forest/matrix.ts";
import { rocAuc } from "../ml/metrics.ts";
import { sliceRows, syntheticChurn } from "../ml/synthetic.ts";

const quick = process.argv.includes("--quick");
const options: ForestOptions = { nEstimators: 50, maxFeatures: 0.7, replacement: false, seed: 42 };
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const fmt = (s: number) => `${s.toFixed(2)} s`;
// CPU seconds (user + system) next to wall time: on a shared machine the wall time of a
// single-threaded run grows with the competing load, its CPU time much less.
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(" ");

console.log(
  `churn forest benchmark (node ${process.version}, ${cpus().length} cores, load average ${load()}), options ${JSON.stringify(options)}`,
);
console.log("tree options: ml-cart defaults (gini, minNumSamples 3, maxDepth Infinity, gainThreshold 0.01)\n");

// 1. Against the library's own trainer, same data and options (it is quadratic, so small sizes).
for (const [rows, trees] of [
  [1000, 10],
  [2000, 5],
] as const) {
  const d = syntheticChurn(rows, 7);
  const x = rowSlice(d.x, 0, rows);
  const y = Array.from(d.y);
  const opts = { ...options, nEstimators: trees };
  let t0 = performance.now();
  const lib = new RandomForestClassifier({ ...opts, noOOB: true } as never);
  lib.train(x, y);
  const libTime = seconds(t0);
  t0 = performance.now();
  trainForest(x, y, opts);
  const ourTime = seconds(t0);
  console.log(
    `library vs ours, ${rows} rows x 20 features, ${trees} trees: library ${fmt(libTime)}, ours ${fmt(ourTime)}, ` +
      `speed-up x${(libTime / ourTime).toFixed(0)}`,
  );
}
console.log("");

// 2. Training time at scale, with a holdout AUC as a sanity check. Two tree settings: ml-cart's
// defaults (gainThreshold 0.01 stops large noisy trees early, so they are small) and the deeper
// settings a churn model would use.
const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
const configs: Array<[string, ForestOptions]> = [
  ["ml-cart default tree options", options],
  [
    "churn settings {maxDepth 12, minNumSamples 20, gainThreshold 0}",
    { ...options, treeOptions: { maxDepth: 12, minNumSamples: 20, gainThreshold: 0 } },
  ],
];
const only = process.argv.find((a) => a.startsWith("--config="));
let lastForest: ReturnType<typeof trainForest> | undefined;
for (const [ci, [name, opts]] of configs.entries()) {
  if (only && only !== `--config=${ci}`) continue;
  console.log(name);
  for (const rows of sizes) {
    const d = syntheticChurn(rows + 20_000, 11);
    const train = sliceRows(d.x, 0, rows);
    const test = sliceRows(d.x, rows, rows + 20_000);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const forest = trainForest(train, d.y.subarray(0, rows), opts);
    const t = seconds(t0);
    const cpu = cpuSeconds(c0);
    const auc = rocAuc(d.y.subarray(rows), forest.predictProbabilityFast(test));
    const mb = JSON.stringify(forest.json).length / 1e6;
    console.log(
      `  train ${rows.toLocaleString("en")} rows: ${fmt(t)} wall, ${fmt(cpu)} CPU  (holdout AUC ${auc.toFixed(3)}, model JSON ${mb.toFixed(1)} MB; load average ${load()})`,
    );
    lastForest = forest;
  }
}

// 3. Scoring 1M rows with the last model (the deepest one trained).
const nScore = quick ? 200_000 : 1_000_000;
const scoreData = syntheticChurn(nScore, 13);
let t0 = performance.now();
let c0 = process.cpuUsage();
const fast = lastForest!.predictProbabilityFast(scoreData.x);
const fastTime = seconds(t0);
const fastCpu = cpuSeconds(c0);
t0 = performance.now();
c0 = process.cpuUsage();
const viaLib = lastForest!.predictProbability(scoreData.x);
const libTime = seconds(t0);
const libCpu = cpuSeconds(c0);
const same = fast.every((v, i) => v === viaLib[i]);
console.log(
  `\nscore ${nScore.toLocaleString("en")} rows: library predictionValues ${fmt(libTime)} wall / ${fmt(libCpu)} CPU, ` +
    `flat scorer ${fmt(fastTime)} wall / ${fmt(fastCpu)} CPU (identical: ${same})`,
);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; load average ${load()}`);
