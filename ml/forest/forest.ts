/**
 * Fast training for ml-random-forest's RandomForestClassifier. We grow the trees ourselves
 * (tree.ts: histogram/sorted-sweep split search over row-index arrays) in ml-cart's exact node
 * format, then hand the JSON to `RandomForestClassifier.load`, so prediction and serialisation are
 * the library's own code. Options mean what they mean in the library, with its verified bugs
 * neutralised:
 * - probabilities are vote fractions from `predictionValues()` (its `predictProbability` miscounts
 *   the first tree);
 * - feature sampling is without replacement by default (the library's default duplicates columns);
 * - out-of-bag votes are computed here, never by the library's `collectOOB` (which throws when a
 *   row is never out of bag);
 * - `maxSamples` (keeps the first N rows, not a sample) is not offered.
 */
import { RandomForestClassifier } from "ml-random-forest";

import { binFeature, type BinnedFeature } from "./binning.ts";
import { compileForest, treeVote, type CompiledTree } from "./compiled.ts";
import { featureImportance } from "./importance.ts";
import { rowSlice, shape, toColumns } from "./matrix.ts";
import { balancedBootstrapRows, bootstrapRows, sampleFeatures } from "./random.ts";
import { growTree } from "./tree.ts";
import type {
  DecisionTreeClassifierJSON,
  FeatureMatrix,
  RandomForestClassifierJSON,
  TreeNodeOptionsJSON,
  TreeOptions,
  TreeOptionsJSON,
} from "./types.ts";

export interface ForestOptions {
  /** Trees (library default 50). */
  nEstimators?: number;
  /** Float in (0, 1] = fraction of columns (floored), integer > 1 = count (library default 1.0). */
  maxFeatures?: number;
  /** Feature sampling with replacement. Library default true (a bug); ours false. */
  replacement?: boolean;
  /** 32-bit integer seed, chained per tree exactly like the library (default 42). */
  seed?: number;
  /** Bootstrap rows per tree (library default true). */
  useSampleBagging?: boolean;
  /**
   * With sample bagging: "balanced" draws every class equally often (as many rows per class as
   * the smallest class has; see `balancedBootstrapRows`) instead of the library's plain bootstrap.
   */
  bagging?: "bootstrap" | "balanced";
  treeOptions?: TreeOptions;
  /** Histogram bins per feature; features with at most this many distinct values are exact. */
  maxBins?: number;
  /** Compute out-of-bag vote fractions for the positive class (default false). */
  oob?: boolean;
  /** Label whose vote fraction is reported as the probability (default 1). */
  positiveLabel?: number;
}

const TREE_DEFAULTS = {
  gainFunction: "gini",
  splitFunction: "mean",
  minNumSamples: 3,
  maxDepth: Infinity,
  gainThreshold: 0.01,
} as const;

/** Library semantics of maxFeatures -> number of columns per tree. */
export function featuresPerTree(maxFeatures: number, nCols: number): number {
  let n: number;
  if (maxFeatures > 0 && maxFeatures <= 1) n = Math.floor(nCols * maxFeatures);
  else if (Number.isInteger(maxFeatures)) {
    if (maxFeatures > nCols) throw new RangeError(`maxFeatures should be at most ${nCols}`);
    n = maxFeatures;
  } else throw new RangeError(`Cannot process the maxFeatures parameter ${maxFeatures}`);
  if (n < 1) throw new RangeError("maxFeatures selects no column");
  return n;
}

export class TrainedForest {
  /** The library's classifier, loaded from `json`: use it for predict/predictionValues/toJSON. */
  readonly classifier: RandomForestClassifier;
  private compiledTrees: CompiledTree[] | undefined;

  constructor(
    /** Full model JSON (includes gain/numberSamples that the library's load() drops). */
    readonly json: RandomForestClassifierJSON,
    readonly nFeatures: number,
    readonly positiveLabel = 1,
    /** Out-of-bag vote fraction per training row (NaN if never out of bag), when requested. */
    readonly oobProbability?: Float64Array,
  ) {
    this.classifier = RandomForestClassifier.load(json as never);
  }

  /**
   * Probability = fraction of trees voting `positiveLabel`, from the library's
   * `predictionValues()`; rows go through in chunks so a million rows never sit in one Matrix.
   */
  predictProbability(x: FeatureMatrix, chunkSize = 50_000): Float64Array {
    const { nRows } = shape(x);
    const out = new Float64Array(nRows);
    const nTrees = this.json.baseModel.nEstimators;
    for (let start = 0; start < nRows; start += chunkSize) {
      const end = Math.min(nRows, start + chunkSize);
      const votes = this.classifier.predictionValues(rowSlice(x, start, end));
      for (let i = 0; i < end - start; i++) {
        let hits = 0;
        for (let t = 0; t < nTrees; t++) if (votes.get(i, t) === this.positiveLabel) hits++;
        out[start + i] = hits / nTrees;
      }
    }
    return out;
  }

  /** Same votes as `predictProbability`, from flat arrays: several times faster at scale. */
  predictProbabilityFast(x: FeatureMatrix): Float64Array {
    this.compiledTrees ??= compileForest(this.json);
    const columns = toColumns(x);
    const { nRows } = shape(x);
    const out = new Float64Array(nRows);
    const trees = this.compiledTrees;
    for (let r = 0; r < nRows; r++) {
      let hits = 0;
      for (const tree of trees) if (treeVote(tree, columns, r) === this.positiveLabel) hits++;
      out[r] = hits / trees.length;
    }
    return out;
  }

  featureImportance(): number[] {
    return featureImportance(this.json, this.nFeatures);
  }

  toJSON(): RandomForestClassifierJSON {
    return this.json;
  }
}

/** Validates labels (integers >= 0, as ml-cart indexes distributions by label). */
function toLabels(y: ArrayLike<number>, nRows: number): { labels: Int32Array; nClasses: number } {
  if (y.length !== nRows) throw new RangeError(`${y.length} labels for ${nRows} rows`);
  const labels = new Int32Array(nRows);
  let max = 0;
  for (let i = 0; i < nRows; i++) {
    const v = y[i]!;
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`label ${v} is not an integer >= 0`);
    labels[i] = v;
    if (v > max) max = v;
  }
  return { labels, nClasses: max + 1 };
}

export function trainForest(x: FeatureMatrix, y: ArrayLike<number>, options: ForestOptions = {}): TrainedForest {
  const nEstimators = options.nEstimators ?? 50;
  const maxFeaturesOpt = options.maxFeatures ?? 1.0;
  const replacement = options.replacement ?? false;
  const seed = options.seed ?? 42;
  const useSampleBagging = options.useSampleBagging ?? true;
  const positiveLabel = options.positiveLabel ?? 1;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, not ${seed}`);

  const { nRows, nCols } = shape(x);
  if (nRows === 0) throw new RangeError("no training rows");
  const columns = toColumns(x);
  const { labels, nClasses } = toLabels(y, nRows);
  const binned: BinnedFeature[] = columns.map((c) => binFeature(c, options.maxBins ?? 256));
  const n = featuresPerTree(maxFeaturesOpt, nCols);

  const merged = { ...TREE_DEFAULTS, ...options.treeOptions };
  const treeOptionsJSON: TreeOptionsJSON = { ...merged, kind: "classifier" } as TreeOptionsJSON;
  const nodeOptions: TreeNodeOptionsJSON = {
    kind: "classifier",
    gainFunction: merged.gainFunction,
    splitFunction: merged.splitFunction,
    minNumSamples: merged.minNumSamples,
    maxDepth: merged.maxDepth,
    gainThreshold: merged.gainThreshold || 0,
  };

  const estimators: DecisionTreeClassifierJSON[] = [];
  const indexes: number[][] = [];
  const oobVotes = options.oob ? new Float64Array(nRows) : undefined;
  const oobTrees = options.oob ? new Int32Array(nRows) : undefined;
  const allRows = Int32Array.from({ length: nRows }, (_, i) => i);
  let currentSeed = seed;
  for (let t = 0; t < nEstimators; t++) {
    let rows: Int32Array = allRows;
    if (useSampleBagging) {
      const draw =
        options.bagging === "balanced"
          ? balancedBootstrapRows(labels, nClasses, currentSeed)
          : bootstrapRows(nRows, currentSeed);
      rows = draw.value;
      currentSeed = draw.nextSeed;
    }
    const features = sampleFeatures(nCols, n, replacement, currentSeed);
    currentSeed = features.nextSeed;
    const used = features.value;

    const root = growTree({
      features: used.map((c) => binned[c]!),
      values: used.map((c) => columns[c]!),
      labels,
      nClasses,
      rows,
      nodeOptions,
      maxDepth: merged.maxDepth,
    });
    estimators.push({ options: { ...treeOptionsJSON }, root, name: "DTClassifier" });
    indexes.push(used);

    if (oobVotes && oobTrees && useSampleBagging) {
      const inBag = new Uint8Array(nRows);
      for (const r of rows) inBag[r] = 1;
      const tree = compileForest({
        baseModel: { indexes: [used], estimators: [estimators[t]!] } as never,
        name: "RFClassifier",
      })[0]!;
      for (let r = 0; r < nRows; r++) {
        if (inBag[r]) continue;
        oobTrees[r]!++;
        if (treeVote(tree, columns, r) === positiveLabel) oobVotes[r]!++;
      }
    }
  }

  const json: RandomForestClassifierJSON = {
    baseModel: {
      indexes,
      n,
      replacement,
      maxFeatures: maxFeaturesOpt,
      nEstimators,
      ...(options.treeOptions !== undefined ? { treeOptions: options.treeOptions } : {}),
      isClassifier: true,
      seed,
      estimators,
      useSampleBagging,
    },
    name: "RFClassifier",
  };
  let oob: Float64Array | undefined;
  if (oobVotes && oobTrees) {
    oob = new Float64Array(nRows);
    for (let r = 0; r < nRows; r++) oob[r] = oobTrees[r]! > 0 ? oobVotes[r]! / oobTrees[r]! : NaN;
  }
  return new TrainedForest(json, nCols, positiveLabel, oob);
}
