/**
 * The churn model as trained, evaluated and saved: the forest (ml-random-forest JSON), Platt
 * calibration, rule baselines, reason codes. Pure (no warehouse).
 */
import { applyPlatt, fitPlatt, type PlattModel } from "../calibration.ts";
import { trainForest, TrainedForest, type ForestOptions } from "../forest/index.ts";
import type { ColumnarMatrix, RandomForestClassifierJSON } from "../forest/types.ts";
import { fitLogistic, logisticLogit } from "../logistic.ts";
import { binaryReport, calibrationTable, type BinaryReport, type CalibrationBin } from "../metrics.ts";
import { labels, matrixColumns, toMatrix } from "./dataset.ts";
import { FEATURES, featureNames, type FeatureRow, type FeatureSet } from "./features.ts";

export const DEFAULT_FOREST: ForestOptions = {
  nEstimators: 150,
  maxFeatures: 0.4,
  replacement: false,
  seed: 42,
  treeOptions: { maxDepth: 10, minNumSamples: 60, gainThreshold: 0 },
};

/**
 * Below this many matrix columns a tree sees every column (maxFeatures 1.0 / 0.8): the library
 * samples features once per tree, not per split, so a 0.4 share of ~20 columns leaves the
 * strongest ones (recency, frequency) out of most trees, and those trees are simply weaker.
 * With few columns the bootstrap alone decorrelates the trees enough.
 */
export const FEW_COLUMNS = 24;

/**
 * Forest settings tried for a matrix with `nColumns` columns; the one with the best ROC AUC +
 * PR AUC on the calibration slice (later than every training date, earlier than the test date)
 * is used. The test date is never looked at when choosing.
 */
export function forestGrid(nColumns: number): ForestOptions[] {
  const [wide, wider] = nColumns < FEW_COLUMNS ? [1.0, 0.8] : [0.4, 0.6];
  return [
    { ...DEFAULT_FOREST, maxFeatures: wide },
    { ...DEFAULT_FOREST, maxFeatures: wider, treeOptions: { maxDepth: 6, minNumSamples: 100, gainThreshold: 0 } },
    { ...DEFAULT_FOREST, maxFeatures: wide, treeOptions: { maxDepth: 14, minNumSamples: 20, gainThreshold: 0 } },
    { ...DEFAULT_FOREST, maxFeatures: wider, treeOptions: { maxDepth: 12, minNumSamples: 30, gainThreshold: 0 } },
  ];
}

export type ModelName = "forest" | "logistic" | "rule_r16_silent_60d" | "rule_r27_frequency_sentiment";

export interface ModelEvaluation {
  model: ModelName;
  report: BinaryReport;
  calibration: CalibrationBin[];
}

/** R16 "churned: no reply for more than 60 days" (orders only: no order for 60 days). */
export function ruleR16(row: FeatureRow, set: FeatureSet): number {
  const v = set === "orders_only" ? row.values.days_since_last_order : row.values.days_since_last_inbound;
  return (v ?? 0) >= 60 ? 1 : 0;
}

/**
 * R27 "interaction frequency falls (3 a week -> 1 a week) and recent sentiment < 0.3". Frequency
 * falls = the last 2 weeks' weekly rate is at most half of the 6 weeks before. Orders only (no
 * messages, no sentiment): ordered in the 90 days before but not in the last 30.
 */
export function ruleR27(row: FeatureRow, set: FeatureSet): number {
  const v = row.values;
  if (set === "orders_only") return (v.orders_90d ?? 0) > 0 && (v.orders_30d ?? 0) === 0 ? 1 : 0;
  const dropped = (v.active_days_per_week_prev6w ?? 0) > 0 && (v.frequency_ratio ?? 1) <= 0.5;
  return dropped && (v.sentiment_recent ?? 0.5) < 0.3 ? 1 : 0;
}

/** A 0/1 rule as a probability: the churn rate where it fires / does not fire on the calibration slice. */
function ruleProbabilities(calFire: number[], calY: ArrayLike<number>): [number, number] {
  const n = [0, 0];
  const pos = [0, 0];
  calFire.forEach((f, i) => {
    n[f]!++;
    pos[f]! += calY[i]!;
  });
  return [(pos[0]! + 1) / (n[0]! + 2), (pos[1]! + 1) / (n[1]! + 2)];
}

export interface ReasonReference {
  feature: string;
  column: number;
  importance: number;
  /** Sorted sample (<= 101 quantiles) of the feature among retained customers in training. */
  retainedQuantiles: number[];
}

export interface SavedChurnModel {
  kind: "scrm-churn";
  version: string;
  trainedAt: string;
  featureSet: FeatureSet;
  featureNames: string[];
  markets: string[];
  columns: string[];
  horizonDays: number;
  activeDays: number;
  forestOptions: ForestOptions;
  forest: RandomForestClassifierJSON;
  platt: PlattModel;
  reasons: ReasonReference[];
  bands: { high: number; medium: number };
}

export interface ComparisonResult {
  featureSet: FeatureSet;
  evaluations: ModelEvaluation[];
  forest: TrainedForest;
  platt: PlattModel;
  columns: string[];
  importance: number[];
  trainSeconds: number;
  /** The forest settings chosen on the calibration slice, and every candidate's validation score. */
  forestOptions: ForestOptions;
  tuning: { options: ForestOptions; validationRocAuc: number; validationPrAuc: number }[];
}

function quantiles(values: number[], k = 101): number[] {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return [];
  return Array.from({ length: k }, (_, i) => s[Math.min(s.length - 1, Math.round((i / (k - 1)) * (s.length - 1)))]!);
}

/**
 * Trains the forest and the logistic regression on `train`, calibrates both (Platt) on `cal`, and
 * evaluates them with the two rule baselines on `test` (all on the same rows).
 */
export function compareModels(
  train: readonly FeatureRow[],
  cal: readonly FeatureRow[],
  test: readonly FeatureRow[],
  set: FeatureSet,
  markets: readonly string[],
  forestOptions?: ForestOptions | readonly ForestOptions[],
): ComparisonResult {
  const names = featureNames(set);
  const xTrain = toMatrix(train, names, markets);
  const xCal = toMatrix(cal, names, markets);
  const xTest = toMatrix(test, names, markets);
  const yTrain = labels(train);
  const yCal = labels(cal);
  const yTest = labels(test);
  const started = performance.now();
  const grid =
    forestOptions === undefined
      ? forestGrid(xTrain.columns.length)
      : Array.isArray(forestOptions)
        ? forestOptions
        : [forestOptions as ForestOptions];
  let forest: ReturnType<typeof trainForest> | undefined;
  let chosen = grid[0]!;
  let bestScore = -Infinity;
  const tuning: { options: ForestOptions; validationRocAuc: number; validationPrAuc: number }[] = [];
  for (const options of grid) {
    const candidate = trainForest(xTrain, yTrain, options);
    const v = binaryReport(yCal, candidate.predictProbabilityFast(xCal));
    tuning.push({ options, validationRocAuc: v.rocAuc, validationPrAuc: v.prAuc });
    if (v.rocAuc + v.prAuc > bestScore) {
      bestScore = v.rocAuc + v.prAuc;
      forest = candidate;
      chosen = options;
    }
  }
  if (!forest) throw new RangeError("empty forest grid");
  const trainSeconds = (performance.now() - started) / 1000;
  const platt = fitPlatt(forest.predictProbabilityFast(xCal), yCal);
  const pForest = applyPlatt(platt, forest.predictProbabilityFast(xTest));
  // The logistic baseline gets the same Platt step on the same later slice as the forest (on its
  // logit, where Platt is a slope and intercept correction): the churn rate drifts between the
  // training and the test dates, and without it the baseline's Brier score would be judged on a
  // shift the forest was corrected for.
  const logistic = fitLogistic(xTrain, yTrain, { l2: 1 });
  const logisticPlatt = fitPlatt(logisticLogit(logistic, xCal), yCal);
  const pLogistic = applyPlatt(logisticPlatt, logisticLogit(logistic, xTest));
  const evals: ModelEvaluation[] = [];
  const add = (model: ModelName, p: ArrayLike<number>) =>
    evals.push({ model, report: binaryReport(yTest, p), calibration: calibrationTable(yTest, p, 10) });
  add("forest", pForest);
  add("logistic", pLogistic);
  for (const [model, rule] of [
    ["rule_r16_silent_60d", ruleR16],
    ["rule_r27_frequency_sentiment", ruleR27],
  ] as const) {
    const [p0, p1] = ruleProbabilities(
      cal.map((r) => rule(r, set)),
      yCal,
    );
    add(
      model,
      test.map((r) => (rule(r, set) ? p1 : p0)),
    );
  }
  return {
    featureSet: set,
    evaluations: evals,
    forest,
    platt,
    columns: matrixColumns(names, markets),
    importance: forest.featureImportance(),
    trainSeconds,
    forestOptions: chosen,
    tuning,
  };
}

export function reasonReferences(
  result: ComparisonResult,
  train: readonly FeatureRow[],
  set: FeatureSet,
): ReasonReference[] {
  const names = featureNames(set);
  const retained = train.filter((r) => !r.churned);
  return names
    .map((feature, column) => ({
      feature,
      column,
      importance: result.importance[column] ?? 0,
      retainedQuantiles: quantiles(retained.map((r) => r.values[feature] ?? 0)),
    }))
    .sort((a, b) => b.importance - a.importance);
}

/** Share of retained customers whose value is less risky than v (0..1). */
function riskPercentile(ref: ReasonReference, v: number, direction: 1 | -1): number {
  const q = ref.retainedQuantiles;
  if (q.length === 0) return 0;
  let below = 0;
  let equal = 0;
  for (const x of q) {
    if (x === v) equal++;
    else if (direction === 1 ? x < v : x > v) below++;
  }
  return (below + equal / 2) / q.length;
}

const FEATURE_BY_NAME = new Map(FEATURES.map((f) => [f.name, f]));

/**
 * Top reasons in words: among the model's most important features, those where the customer
 * is riskier than most retained customers, ranked by importance x how extreme the value is.
 */
export function reasonsFor(model: SavedChurnModel, row: FeatureRow, k = 3): string[] {
  const scored: { text: string; weight: number }[] = [];
  for (const ref of model.reasons.slice(0, 12)) {
    const def = FEATURE_BY_NAME.get(ref.feature);
    if (!def) continue;
    const v = row.values[ref.feature] ?? 0;
    const p = riskPercentile(ref, v, def.riskDirection);
    if (p < 0.7) continue;
    scored.push({
      text: `${def.reason(v)} (riskier than ${Math.round(p * 100)}% of retained customers)`,
      weight: ref.importance * (p - 0.5),
    });
  }
  return scored
    .sort((a, b) => b.weight - a.weight)
    .slice(0, k)
    .map((s) => s.text);
}

/** Raw vote fractions and calibrated probabilities for rows, with a saved model. */
export function predictSaved(
  model: SavedChurnModel,
  rows: readonly FeatureRow[],
): { score: Float64Array; probability: Float64Array } {
  const forest = new TrainedForest(model.forest, model.columns.length);
  const x: ColumnarMatrix = toMatrix(rows, model.featureNames, model.markets);
  const score = forest.predictProbabilityFast(x);
  return { score, probability: applyPlatt(model.platt, score) };
}
