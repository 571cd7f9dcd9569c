/**
 * Evaluation metrics for binary scores. `y` holds 0/1 labels, `p` scores or probabilities.
 * Ties in scores are handled as groups everywhere (a tie must not be ordered by input position).
 */

function check(y: ArrayLike<number>, p: ArrayLike<number>): void {
  if (y.length !== p.length) throw new RangeError(`${y.length} labels vs ${p.length} scores`);
  if (y.length === 0) throw new RangeError("empty input");
}

/** Indices sorted by descending score. */
function byScoreDesc(p: ArrayLike<number>): Int32Array {
  const idx = Int32Array.from({ length: p.length }, (_, i) => i);
  return idx.sort((a, b) => p[b]! - p[a]! || a - b);
}

/**
 * ROC AUC as the Mann-Whitney probability P(score_pos > score_neg) + 0.5 P(tie), via average
 * ranks. NaN when one class is absent.
 */
export function rocAuc(y: ArrayLike<number>, p: ArrayLike<number>): number {
  check(y, p);
  const n = y.length;
  const idx = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a]! - p[b]!);
  let rankSumPos = 0;
  let nPos = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && p[idx[j + 1]!] === p[idx[i]!]) j++;
    const avgRank = (i + j) / 2 + 1; // ranks are 1-based
    for (let t = i; t <= j; t++) {
      if (y[idx[t]!] === 1) {
        rankSumPos += avgRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Average precision (area under the precision-recall step curve, scikit-learn's definition):
 * sum over distinct thresholds of (recall_k - recall_{k-1}) * precision_k, tied scores forming
 * one threshold.
 */
export function averagePrecision(y: ArrayLike<number>, p: ArrayLike<number>): number {
  check(y, p);
  const idx = byScoreDesc(p);
  let totalPos = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 1) totalPos++;
  if (totalPos === 0) return NaN;
  let tp = 0;
  let seen = 0;
  let prevRecall = 0;
  let ap = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j < idx.length && p[idx[j]!] === p[idx[i]!]) {
      if (y[idx[j]!] === 1) tp++;
      seen++;
      j++;
    }
    const recall = tp / totalPos;
    ap += (recall - prevRecall) * (tp / seen);
    prevRecall = recall;
    i = j;
  }
  return ap;
}

/** Mean squared error of probabilities. */
export function brierScore(y: ArrayLike<number>, p: ArrayLike<number>): number {
  check(y, p);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (p[i]! - y[i]!) ** 2;
  return s / y.length;
}

/** Mean negative log likelihood; probabilities clipped to [eps, 1 - eps] so 0/1 votes stay finite. */
export function logLoss(y: ArrayLike<number>, p: ArrayLike<number>, eps = 1e-15): number {
  check(y, p);
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - eps, Math.max(eps, p[i]!));
    s -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / y.length;
}

export interface CalibrationBin {
  /** Bin range [lower, upper) on the predicted probability (last bin includes 1). */
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** Reliability table with equal-width bins; empty bins are omitted. */
export function calibrationTable(y: ArrayLike<number>, p: ArrayLike<number>, nBins = 10): CalibrationBin[] {
  check(y, p);
  const count = new Array<number>(nBins).fill(0);
  const sumP = new Array<number>(nBins).fill(0);
  const sumY = new Array<number>(nBins).fill(0);
  for (let i = 0; i < y.length; i++) {
    const b = Math.min(nBins - 1, Math.max(0, Math.floor(p[i]! * nBins)));
    count[b]!++;
    sumP[b]! += p[i]!;
    sumY[b]! += y[i]!;
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < nBins; b++) {
    if (count[b] === 0) continue;
    out.push({
      lower: b / nBins,
      upper: (b + 1) / nBins,
      count: count[b]!,
      meanPredicted: sumP[b]! / count[b]!,
      observedRate: sumY[b]! / count[b]!,
    });
  }
  return out;
}

/** Expected calibration error: count-weighted mean |observed - predicted| over the table's bins. */
export function expectedCalibrationError(bins: readonly CalibrationBin[]): number {
  const n = bins.reduce((a, b) => a + b.count, 0);
  return bins.reduce((a, b) => a + (b.count / n) * Math.abs(b.observedRate - b.meanPredicted), 0);
}

/**
 * Positive rate among the top k scores. Rows tied with the k-th score share the remaining slots
 * pro rata (their expected positive count), so the result does not depend on input order.
 */
export function precisionAtK(y: ArrayLike<number>, p: ArrayLike<number>, k: number): number {
  check(y, p);
  if (!(k >= 1 && k <= y.length)) throw new RangeError(`k must be in [1, ${y.length}]`);
  const idx = byScoreDesc(p);
  let positives = 0;
  let taken = 0;
  let i = 0;
  while (taken < k) {
    let j = i;
    let groupPos = 0;
    while (j < idx.length && p[idx[j]!] === p[idx[i]!]) {
      if (y[idx[j]!] === 1) groupPos++;
      j++;
    }
    const size = j - i;
    const take = Math.min(size, k - taken);
    positives += (groupPos * take) / size;
    taken += take;
    i = j;
  }
  return positives / k;
}

/** Lift of the top fraction (default top decile): its positive rate over the base rate. */
export function liftAt(y: ArrayLike<number>, p: ArrayLike<number>, fraction = 0.1): number {
  check(y, p);
  let pos = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 1) pos++;
  if (pos === 0) return NaN;
  const k = Math.max(1, Math.round(y.length * fraction));
  return precisionAtK(y, p, k) / (pos / y.length);
}

export interface BinaryReport {
  n: number;
  positives: number;
  rocAuc: number;
  prAuc: number;
  brier: number;
  logLoss: number;
  topDecileLift: number;
  ece: number;
}

export function binaryReport(y: ArrayLike<number>, p: ArrayLike<number>): BinaryReport {
  let positives = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 1) positives++;
  return {
    n: y.length,
    positives,
    rocAuc: rocAuc(y, p),
    prAuc: averagePrecision(y, p),
    brier: brierScore(y, p),
    logLoss: logLoss(y, p),
    topDecileLift: liftAt(y, p, 0.1),
    ece: expectedCalibrationError(calibrationTable(y, p, 10)),
  };
}
