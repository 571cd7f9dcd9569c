/**
 * Platt (sigmoid) scaling: p = 1 / (1 + exp(-(a * s + b))) for a raw score s (e.g. the forest's
 * vote fraction). Forest vote fractions are biased toward the middle and step in 1/nEstimators,
 * so they are recalibrated on a LATER time slice than the trees were trained on (fitting on the
 * training rows would learn the trees' overconfidence on data they have seen). Two parameters
 * suit small calibration sets, where isotonic regression overfits.
 */
import { sigmoid } from "./linalg.ts";
import { calibrationTable, type CalibrationBin } from "./metrics.ts";

export interface PlattModel {
  kind: "platt";
  a: number;
  b: number;
}

/**
 * Fits (a, b) by Newton's method on the log loss, with Platt's (1999) smoothed targets
 * (N+ + 1)/(N+ + 2) and 1/(N- + 2) instead of 1 and 0, which keeps the fit finite when scores
 * separate the classes and shrinks small samples toward the base rate.
 */
export function fitPlatt(scores: ArrayLike<number>, y: ArrayLike<number>): PlattModel {
  if (scores.length !== y.length) throw new RangeError("scores and labels differ in length");
  const n = scores.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) if (y[i] === 1) nPos++;
  const nNeg = n - nPos;
  const hi = (nPos + 1) / (nPos + 2);
  const lo = 1 / (nNeg + 2);
  let a = 0;
  // start at the base rate's log-odds
  let b = Math.log((nPos + 1) / (nNeg + 1));
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < n; i++) {
      const s = scores[i]!;
      const t = y[i] === 1 ? hi : lo;
      const p = sigmoid(a * s + b);
      const w = p * (1 - p);
      ga += (t - p) * s;
      gb += t - p;
      haa += w * s * s;
      hab += w * s;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a += da;
    b += db;
    if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) break;
  }
  return { kind: "platt", a, b };
}

export function applyPlatt(model: PlattModel, scores: ArrayLike<number>): Float64Array {
  return Float64Array.from(scores, (s) => sigmoid(model.a * s + model.b));
}

/** Reliability diagram data: equal-width bins of mean predicted vs observed rate. */
export function reliabilityBins(y: ArrayLike<number>, p: ArrayLike<number>, nBins = 10): CalibrationBin[] {
  return calibrationTable(y, p, nBins);
}

/**
 * Out-of-time split: indices of rows dated before `cutoff` (fit) and on or after it (calibrate or
 * test). Dates are ISO strings (YYYY-MM-DD) so they compare lexicographically.
 */
export function splitByTime(dates: readonly string[], cutoff: string): { before: number[]; after: number[] } {
  const before: number[] = [];
  const after: number[] = [];
  dates.forEach((d, i) => (d < cutoff ? before : after).push(i));
  return { before, after };
}
