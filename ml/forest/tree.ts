/**
 * CART tree growth with ml-cart 2.1.1's exact semantics but without its quadratic split search.
 *
 * ml-cart, per node and feature, sorts the rows, turns every adjacent label change into a
 * candidate threshold and scores each candidate with a full pass: O(n^2). Here each node holds a
 * segment of a row-index buffer (no matrix copies); per feature one pass fills per-bin class
 * counts (plus the first and last label of each bin in row order), and one sweep over the
 * non-empty bins scores every candidate from running counts.
 *
 * Equivalence with ml-cart (when every bin is a single value):
 * - ml-cart's sort is stable, so in sorted order the rows of one value keep node order. The
 *   partition "x < v_c" is a candidate iff the last row of the previous value and the first row of
 *   value c differ in label (threshold = mean of the two values), or value c's rows are mixed
 *   (threshold = v_c itself, from an intra-run label change). The first value's mixed run gives
 *   the degenerate "everything right" candidate with threshold v_min, which ml-cart also scores.
 * - Candidates are considered in column order then value order, and only a strictly greater gain
 *   replaces the best, as in ml-cart. Near-ties under the closed-form gain are re-scored with
 *   ml-cart's own floating-point arithmetic (see gini.ts) before choosing.
 * - Stopping rules, stored fields and leaf distributions are ml-cart's.
 */
import type { BinnedFeature } from "./binning.ts";
import { fastGiniGain, libraryDistribution, libraryGiniGain, libraryGiniImpurity, sumSqOverN } from "./gini.ts";
import type { TreeNodeJSON, TreeNodeOptionsJSON } from "./types.ts";

/** Closed-form and library gains differ by a few ulps; anything this close is a possible tie. */
const TIE_TOLERANCE = 1e-9;
/** Cap on the work spent re-scoring near-ties exactly (rows x candidates) in one node. */
const TIE_BUDGET = 50_000_000;

export interface TreeInput {
  /** Binned features of this tree, in the tree's column order (library `indexes[i]`). */
  features: readonly BinnedFeature[];
  /** Raw values of the same columns; the final partition uses `x < splitValue` like ml-cart. */
  values: ReadonlyArray<ArrayLike<number>>;
  /** Labels 0..nClasses-1 of every training row. */
  labels: ArrayLike<number>;
  nClasses: number;
  /** Row indices of the tree's training set in library order (bootstrap draw order). */
  rows: Int32Array;
  nodeOptions: TreeNodeOptionsJSON;
  /** Real maxDepth (Infinity allowed), as opposed to the JSON-able copy in nodeOptions. */
  maxDepth: number;
}

/** In-place ascending sort of a[0, len): the occupied-bin lists here are short. */
function insertionSort(a: Int32Array, len: number): void {
  for (let i = 1; i < len; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

export function growTree(input: TreeInput): TreeNodeJSON {
  const grower = new TreeGrower(input);
  return grower.grow(0, input.rows.length, 0, null);
}

class TreeGrower {
  private readonly rows: Int32Array;
  private readonly scratch: Int32Array;
  private readonly k: number;
  private readonly binCounts: Int32Array;
  private readonly binTotal: Int32Array;
  private readonly firstLabel: Int32Array;
  private readonly lastLabel: Int32Array;
  private readonly touched: Int32Array;
  private readonly leftCum: Int32Array;
  private readonly candColumn: Int32Array;
  private readonly candValue: Float64Array;
  private readonly candGain: Float64Array;
  private readonly candLeft: Int32Array;

  constructor(private readonly input: TreeInput) {
    this.rows = Int32Array.from(input.rows);
    this.scratch = new Int32Array(input.rows.length);
    this.k = input.nClasses;
    let maxBins = 1;
    for (const f of input.features) maxBins = Math.max(maxBins, f.nBins);
    this.binCounts = new Int32Array(maxBins * this.k);
    this.binTotal = new Int32Array(maxBins);
    this.firstLabel = new Int32Array(maxBins);
    this.lastLabel = new Int32Array(maxBins);
    this.touched = new Int32Array(maxBins);
    this.leftCum = new Int32Array(this.k);
    // at most one candidate per occupied bin and feature
    const maxCand = maxBins * input.features.length;
    this.candColumn = new Int32Array(maxCand);
    this.candValue = new Float64Array(maxCand);
    this.candGain = new Float64Array(maxCand);
    this.candLeft = new Int32Array(maxCand * this.k);
  }

  grow(start: number, end: number, depth: number, parentGain: number | null): TreeNodeJSON {
    const { nodeOptions, labels } = this.input;
    const { minNumSamples, gainThreshold } = nodeOptions;
    const node: TreeNodeJSON = { ...nodeOptions };
    const n = end - start;
    const counts = new Int32Array(this.k);
    for (let i = start; i < end; i++) counts[labels[this.rows[i]!]!]!++;
    if (n <= minNumSamples) {
      node.distribution = [libraryDistribution(counts)];
      return node;
    }

    const best = this.bestSplit(start, end, counts);
    if (!best) {
      // ml-cart stores gain = -Infinity (JSON null) and leaves the split fields undefined.
      node.gain = -Infinity;
      node.distribution = [libraryDistribution(counts)];
      return node;
    }
    node.splitValue = best.value;
    node.splitColumn = best.column;
    node.gain = best.gain;
    node.numberSamples = n;

    const nLeft = this.partition(start, end, best.column, best.value);
    if (
      depth < this.input.maxDepth &&
      best.gain > gainThreshold &&
      best.gain !== parentGain &&
      nLeft > 0 &&
      nLeft < n
    ) {
      node.left = this.grow(start, start + nLeft, depth + 1, best.gain);
      node.right = this.grow(start + nLeft, end, depth + 1, best.gain);
    } else {
      node.distribution = [libraryDistribution(counts)];
    }
    return node;
  }

  /** Stable partition of rows[start, end) by `x < value`; returns the size of the lesser side. */
  private partition(start: number, end: number, column: number, value: number): number {
    const x = this.input.values[column]!;
    const rows = this.rows;
    const scratch = this.scratch;
    let l = start;
    let r = 0;
    for (let i = start; i < end; i++) {
      const row = rows[i]!;
      if (x[row]! < value) rows[l++] = row;
      else scratch[r++] = row;
    }
    rows.set(scratch.subarray(0, r), l);
    return l - start;
  }

  private bestSplit(
    start: number,
    end: number,
    parentCounts: Int32Array,
  ): { column: number; value: number; gain: number } | undefined {
    const { features, labels } = this.input;
    const k = this.k;
    const n = end - start;
    const rows = this.rows;
    const { binCounts, binTotal, firstLabel, lastLabel, touched, leftCum } = this;
    const parentTerm = sumSqOverN(parentCounts, 0, k, n);

    // Candidates within TIE_TOLERANCE of the running best, in ml-cart's evaluation order, kept in
    // flat reusable arrays (allocation per candidate dominated the profile).
    let bestFast = -Infinity;
    const candColumn = this.candColumn;
    const candValue = this.candValue;
    const candGain = this.candGain;
    const candLeft = this.candLeft;
    let nCand = 0;
    const consider = (column: number, value: number, fastGain: number): void => {
      if (fastGain < bestFast - TIE_TOLERANCE) return;
      if (fastGain > bestFast) bestFast = fastGain;
      candColumn[nCand] = column;
      candValue[nCand] = value;
      candGain[nCand] = fastGain;
      for (let c = 0; c < k; c++) candLeft[nCand * k + c] = leftCum[c]!;
      nCand++;
    };

    for (let column = 0; column < features.length; column++) {
      const feature = features[column]!;
      const bins = feature.bins;
      const lo = feature.lo;
      const hi = feature.hi;
      let nTouched = 0;
      for (let i = start; i < end; i++) {
        const row = rows[i]!;
        const b = bins[row]!;
        const label = labels[row]!;
        if (binTotal[b] === 0) {
          touched[nTouched++] = b;
          firstLabel[b] = label;
        }
        lastLabel[b] = label;
        binTotal[b]!++;
        binCounts[b * k + label]!++;
      }
      // Few occupied bins (small nodes): sort just those; otherwise walk all bins in order.
      const sparse = nTouched * 8 < feature.nBins;
      if (sparse) insertionSort(touched, nTouched);
      const limit = sparse ? nTouched : feature.nBins;

      for (let c = 0; c < k; c++) leftCum[c] = 0;
      let nL = 0;
      let prev = -1;
      for (let o = 0; o < limit; o++) {
        const b = sparse ? touched[o]! : o;
        const total = binTotal[b]!;
        if (total === 0) continue;
        const mixed = binCounts[b * k + firstLabel[b]!] !== total;
        if (prev === -1) {
          // ml-cart's "everything right" candidate: gain is 0 up to rounding.
          if (mixed) consider(column, lo[b]!, 0);
        } else {
          const boundaryChange = lastLabel[prev] !== firstLabel[b];
          if (boundaryChange || mixed) {
            const value = boundaryChange ? (hi[prev]! + lo[b]!) / 2 : lo[b]!;
            consider(column, value, fastGiniGain(leftCum, 0, nL, parentCounts, n, k, parentTerm));
          }
        }
        for (let c = 0; c < k; c++) leftCum[c]! += binCounts[b * k + c]!;
        nL += total;
        prev = b;
      }
      for (let t = 0; t < nTouched; t++) {
        const b = touched[t]!;
        binTotal[b] = 0;
        for (let c = 0; c < k; c++) binCounts[b * k + c] = 0;
      }
    }

    if (nCand === 0) return undefined;
    const survivors: number[] = [];
    for (let i = 0; i < nCand; i++) if (candGain[i]! >= bestFast - TIE_TOLERANCE) survivors.push(i);
    if (survivors.length * n > TIE_BUDGET) {
      // Pathological tie storm in a big node: keep the first best by closed form (documented).
      survivors.splice(
        0,
        survivors.length,
        survivors.find((i) => candGain[i] === bestFast)!,
      );
    }
    const parentImpurity = libraryGiniImpurity(parentCounts);
    const lesser = new Int32Array(k);
    const greater = new Int32Array(k);
    let chosen: { column: number; value: number; gain: number } | undefined;
    for (const i of survivors) {
      for (let c = 0; c < k; c++) {
        lesser[c] = candLeft[i * k + c]!;
        greater[c] = parentCounts[c]! - lesser[c]!;
      }
      const gain = libraryGiniGain(parentImpurity, n, lesser, greater);
      if (chosen === undefined || gain > chosen.gain) {
        chosen = { column: candColumn[i]!, value: candValue[i]!, gain };
      }
    }
    return chosen;
  }
}
