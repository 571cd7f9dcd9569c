/**
 * The serialised shapes of ml-cart 2.1.1 / ml-random-forest 2.1.0 models, as produced by
 * `JSON.parse(JSON.stringify(model.toJSON()))`. Our trainer emits exactly these shapes so that the
 * library's own `RandomForestClassifier.load`, `predict` and `predictionValues` do the scoring.
 *
 * Non-finite numbers appear as `null` after a JSON round trip (maxDepth = Infinity, gain =
 * -Infinity for a node that found no candidate split), hence `number | null`.
 */

/** Options that every ml-cart TreeNode carries (copied from parent to child). */
export interface TreeNodeOptionsJSON {
  kind: "classifier";
  gainFunction: "gini";
  splitFunction: "mean";
  minNumSamples: number;
  maxDepth: number | null;
  gainThreshold: number;
}

/**
 * One ml-cart TreeNode. Internal nodes have splitValue/splitColumn/gain/numberSamples/left/right.
 * Leaves have `distribution` (a 1 x nClasses matrix as nested arrays) and, when the node was large
 * enough to attempt a split that was then rejected, also the attempted split's fields.
 */
export interface TreeNodeJSON extends TreeNodeOptionsJSON {
  splitValue?: number;
  splitColumn?: number;
  gain?: number | null;
  numberSamples?: number;
  left?: TreeNodeJSON;
  right?: TreeNodeJSON;
  distribution?: number[][];
}

export interface TreeOptionsJSON {
  gainFunction: "gini";
  splitFunction: "mean";
  minNumSamples: number;
  maxDepth: number | null;
  gainThreshold: number;
  kind: "classifier";
}

export interface DecisionTreeClassifierJSON {
  options: TreeOptionsJSON;
  root: TreeNodeJSON;
  name: "DTClassifier";
}

/** User-facing tree options, same names and defaults as ml-cart's DecisionTreeClassifier. */
export interface TreeOptions {
  gainFunction?: "gini";
  splitFunction?: "mean";
  /** A node with this many rows or fewer becomes a leaf (ml-cart default 3). */
  minNumSamples?: number;
  /** Root is depth 0 (ml-cart default Infinity). */
  maxDepth?: number;
  /** A split must gain strictly more than this (ml-cart default 0.01). */
  gainThreshold?: number;
}

export interface RandomForestBaseJSON {
  indexes: number[][];
  n: number;
  replacement: boolean;
  maxFeatures: number;
  nEstimators: number;
  treeOptions?: TreeOptions;
  isClassifier: true;
  seed: number;
  estimators: DecisionTreeClassifierJSON[];
  useSampleBagging: boolean;
}

export interface RandomForestClassifierJSON {
  baseModel: RandomForestBaseJSON;
  name: "RFClassifier";
}

/**
 * Feature matrix: either rows (like the library takes) or columns (cheaper at a million rows).
 */
export type FeatureMatrix = ReadonlyArray<ArrayLike<number>> | ColumnarMatrix;

export interface ColumnarMatrix {
  nRows: number;
  columns: ReadonlyArray<ArrayLike<number>>;
}
