/**
 * Per-feature binning, done once before any tree is grown (the histogram idea of LightGBM and
 * scikit-learn's HistGradientBoosting). A feature with at most `maxBins` distinct values gets one
 * bin per value, so candidate thresholds are exactly ml-cart's (midpoints of adjacent values) and
 * trees are identical to the library's. Above that, quantile bins bound the work per node.
 */

export interface BinnedFeature {
  /** Bin of every training row (bins are ordered by value). */
  bins: Uint8Array | Uint16Array;
  /** Smallest and largest training value in each bin; thresholds are built from them. */
  lo: Float64Array;
  hi: Float64Array;
  nBins: number;
  /** True when every bin holds a single distinct value (thresholds equal ml-cart's). */
  exact: boolean;
}

export function binFeature(column: ArrayLike<number>, maxBins = 256): BinnedFeature {
  if (maxBins < 2 || maxBins > 65535) throw new RangeError("maxBins must be in [2, 65535]");
  const n = column.length;
  const sorted = Float64Array.from(column);
  for (let i = 0; i < n; i++) {
    // ml-cart sends NaN right at every split and sorts it unpredictably; refuse rather than guess.
    if (Number.isNaN(sorted[i]!)) throw new RangeError("NaN in feature column; impute first");
  }
  sorted.sort();
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;

  const lo: number[] = [];
  const hi: number[] = [];
  const exact = distinct <= maxBins;
  if (exact) {
    for (let i = 0; i < n; i++) {
      if (i === 0 || sorted[i] !== sorted[i - 1]) {
        lo.push(sorted[i]!);
        hi.push(sorted[i]!);
      }
    }
  } else {
    // Greedy quantile bins over distinct values: close a bin once its cumulative share reaches the
    // next 1/maxBins quantile. A heavy single value simply fills one bin on its own.
    let i = 0;
    while (i < n) {
      const binStart = i;
      const target = Math.ceil(((lo.length + 1) * n) / maxBins);
      let j = i;
      // extend over whole runs of equal values until the target is reached
      while (j < n) {
        const v = sorted[j]!;
        let k = j;
        while (k < n && sorted[k] === v) k++;
        j = k;
        if (j >= target && lo.length < maxBins - 1) break;
      }
      lo.push(sorted[binStart]!);
      hi.push(sorted[j - 1]!);
      i = j;
    }
  }
  const nBins = lo.length;
  const bins = nBins <= 256 ? new Uint8Array(n) : new Uint16Array(n);
  const hiArr = Float64Array.from(hi);
  for (let r = 0; r < n; r++) {
    const x = column[r]!;
    // first bin whose upper end is >= x
    let a = 0;
    let b = nBins - 1;
    while (a < b) {
      const m = (a + b) >> 1;
      if (hiArr[m]! >= x) b = m;
      else a = m + 1;
    }
    bins[r] = a;
  }
  return { bins, lo: Float64Array.from(lo), hi: hiArr, nBins, exact };
}
