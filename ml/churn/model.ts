/**
 * The churn model as trained, evaluated and saved: the forest (ml-random-forest JSON), Platt
 * calibration, rule baselines, reason codes. Pure (no warehouse).
 */
import { applyPlatt, fitPlatt, type PlattModel } from "../calibration.ts";
import { trainForest, TrainedForest, type ForestOptions } from "../forest/index.ts";
import type { ColumnarMatrix, RandomForestClassifierJSON } from "../forest/types.ts";
import { fitLogistic, logisticLogit } from "../logistic.ts";
import { binaryReport, calibrationTable, type BinaryReport, type CalibrationBin } from "../metrics.ts";
import { customerFold, labels, matrixColumns, toMatrix } from "./dataset.ts";
import { FEATURES, featureNames, type FeatureRow, type FeatureSet } from "./features.ts";

export const DEFAULT_FOREST: ForestOptions = {
  nEstimators: 100,
  maxFeatures: 0.4,
  replacement: false,
  seed: 42,
  treeOptions: { maxDepth: 10, minNumSamples: 60, gainThreshold: 0 },
};

/**
 * Below this many matrix columns (the orders-only set, ~20 with the market one-hots) the forest
 * uses balanced bagging and larger leaves. Such sets carry a weak signal: with plain bagging and
 * a ~20% churn rate almost every leaf holds a retained majority, so almost every tree votes
 * "retained" and the vote fractions lose the ranking; the only trees that vote "churned" are deep
 * ones whose small leaves single out individual customers (see `forestGrid`).
 */
export const FEW_COLUMNS = 24;

/** Trees per candidate and fold while choosing settings; the chosen settings are then trained in full. */
export const SEARCH_TREES = 40;

/**
 * Forest settings tried for a matrix with `nColumns` columns, trained on `trainDates` as-of dates.
 * Leaf sizes are given in customers: a customer contributes up to one row per as-of date with
 * nearly the same features and an overlapping outcome window, so a leaf of `k * trainDates` rows
 * spans at least k customers. Leaves of a handful of customers memorise who churned; that pays off
 * only where the evaluation shares customers and outcome windows with training, never on a
 * customer whose future is unknown. The 20-row leaf is kept as a candidate for the settings
 * search to reject or keep (`chooseForest`).
 */
export function forestGrid(nColumns: number, trainDates = 1): ForestOptions[] {
  const customers = (k: number) => k * Math.max(1, trainDates);
  const tree = (maxDepth: number, minNumSamples: number) => ({ maxDepth, minNumSamples, gainThreshold: 0 });
  if (nColumns < FEW_COLUMNS) {
    const balanced = { ...DEFAULT_FOREST, bagging: "balanced" as const, maxFeatures: 0.6 };
    return [
      { ...balanced, treeOptions: tree(14, 20) },
      { ...balanced, treeOptions: tree(12, customers(10)) },
      { ...balanced, treeOptions: tree(10, customers(20)) },
    ];
  }
  return [
    { ...DEFAULT_FOREST, maxFeatures: 0.4, treeOptions: tree(14, 20) },
    { ...DEFAULT_FOREST, maxFeatures: 0.6, treeOptions: tree(12, customers(10)) },
    { ...DEFAULT_FOREST, maxFeatures: 0.4, treeOptions: tree(10, customers(20)) },
  ];
}

export interface ForestTuning {
  options: ForestOptions;
  validationRocAuc: number;
  validationPrAuc: number;
}

/**
 * Chooses forest settings on the calibration slice without sharing customers: customers are split
 * into two halves by a stable hash; each half's calibration rows are scored by a forest trained on
 * the other half's training rows (`SEARCH_TREES` trees), and the pooled ROC AUC + PR AUC decides.
 * Scoring the calibration rows with a model trained on the same customers at the dates just
 * before would reward memorising them (their outcome windows overlap), which is exactly what fails
 * on a later test slice. The test slice is never looked at.
 */
export function chooseForest(
  train: readonly FeatureRow[],
  cal: readonly FeatureRow[],
  names: readonly string[],
  markets: readonly string[],
  grid: readonly ForestOptions[],
): { chosen: ForestOptions; tuning: ForestTuning[] } {
  // Neighbouring as-of dates hold nearly the same rows (the same customers a few days apart), so
  // the search fits on every other training date: half the work, with the leaf sizes scaled to match.
  const dates = [...new Set(train.map((r) => r.as_of_at))].sort();
  const kept = new Set(dates.filter((_, i) => (dates.length - 1 - i) % 2 === 0));
  const scale = kept.size / Math.max(1, dates.length);
  const folds = [0, 1].map((k) => {
    const fit = train.filter((r) => kept.has(r.as_of_at) && customerFold(r.customer_key) !== k);
    const held = cal.filter((r) => customerFold(r.customer_key) === k);
    return {
      x: toMatrix(fit, names, markets),
      y: labels(fit),
      xHeld: toMatrix(held, names, markets),
      yHeld: labels(held),
    };
  });
  const usable = folds.every((f) => hasBothClasses(f.y) && f.yHeld.length > 0);
  const yAll = Float64Array.from(folds.flatMap((f) => [...f.yHeld]));
  const tuning: ForestTuning[] = [];
  let chosen = grid[0]!;
  let best = -Infinity;
  if (!usable || grid.length === 1) return { chosen, tuning };
  for (const options of grid) {
    const p = folds.flatMap((f) => [
      ...trainForest(f.x, f.y, searchOptions(options, scale)).predictProbabilityFast(f.xHeld),
    ]);
    const v = binaryReport(yAll, p);
    tuning.push({ options, validationRocAuc: v.rocAuc, validationPrAuc: v.prAuc });
    if (v.rocAuc + v.prAuc > best) {
      best = v.rocAuc + v.prAuc;
      chosen = options;
    }
  }
  return { chosen, tuning };
}

/** A candidate as trained during the search: fewer trees, leaves scaled to the rows searched on. */
function searchOptions(options: ForestOptions, scale: number): ForestOptions {
  const tree = options.treeOptions ?? {};
  const minNumSamples = Math.max(1, Math.round((tree.minNumSamples ?? 3) * scale));
  return { ...options, nEstimators: SEARCH_TREES, treeOptions: { ...tree, minNumSamples } };
}

function hasBothClasses(y: ArrayLike<number>): boolean {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i]!;
  return pos > 0 && pos < y.length;
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
  tuning: ForestTuning[];
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
      ? forestGrid(xTrain.columns.length, new Set(train.map((r) => r.as_of_at)).size)
      : Array.isArray(forestOptions)
        ? forestOptions
        : [forestOptions as ForestOptions];
  if (grid.length === 0) throw new RangeError("empty forest grid");
  const { chosen, tuning } = chooseForest(train, cal, names, markets, grid);
  const forest = trainForest(xTrain, yTrain, chosen);
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
