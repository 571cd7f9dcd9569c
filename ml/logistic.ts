/**
 * L2-regularised logistic regression fitted by Newton-Raphson (IRLS). The baseline the forest must
 * beat: logistic regression is well calibrated by construction (its score equations make mean
 * predicted = observed rate on the training data) and its coefficients explain themselves.
 * Features are standardised with training means/standard deviations so the single L2 strength
 * treats them alike; the intercept is not penalised. Deterministic: no randomness, fixed order.
 */
import { choleskySolve, sigmoid } from "./linalg.ts";
import { shape, toColumns } from "./forest/matrix.ts";
import type { FeatureMatrix } from "./forest/types.ts";

export interface LogisticOptions {
  /** Penalty lambda in  sum(logloss) + lambda/2 * ||w||^2  on standardised weights (default 1). */
  l2?: number;
  maxIterations?: number;
  /** Stop when the largest Newton step is below this (default 1e-9). */
  tolerance?: number;
}

export interface LogisticModel {
  kind: "logistic";
  means: number[];
  scales: number[];
  /** Weights on standardised features. */
  weights: number[];
  intercept: number;
  iterations: number;
  converged: boolean;
}

export function fitLogistic(x: FeatureMatrix, y: ArrayLike<number>, options: LogisticOptions = {}): LogisticModel {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-9;
  const { nRows: n, nCols: p } = shape(x);
  if (y.length !== n) throw new RangeError(`${y.length} labels for ${n} rows`);
  const cols = toColumns(x);

  const means: number[] = [];
  const scales: number[] = [];
  for (const c of cols) {
    let m = 0;
    for (let i = 0; i < n; i++) m += c[i]!;
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (c[i]! - m) ** 2;
    const sd = Math.sqrt(v / n);
    means.push(m);
    // a constant column gets scale 1: its standardised value is 0 and its weight stays 0
    scales.push(sd > 0 ? sd : 1);
  }
  const z = cols.map((c, j) => Float64Array.from(c, (v) => (v - means[j]!) / scales[j]!));

  // parameter vector: [intercept, w_1..w_p]
  const d = p + 1;
  const beta = new Float64Array(d);
  let iterations = 0;
  let converged = false;
  const eta = new Float64Array(n);
  while (iterations < maxIterations) {
    iterations++;
    const grad = new Float64Array(d);
    const hess = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      let e = beta[0]!;
      for (let j = 0; j < p; j++) e += beta[j + 1]! * z[j]![i]!;
      eta[i] = e;
    }
    const row = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const mu = sigmoid(eta[i]!);
      const w = Math.max(mu * (1 - mu), 1e-12);
      const r = y[i]! - mu;
      row[0] = 1;
      for (let j = 0; j < p; j++) row[j + 1] = z[j]![i]!;
      for (let a = 0; a < d; a++) {
        grad[a]! += r * row[a]!;
        const wa = w * row[a]!;
        for (let b = 0; b <= a; b++) hess[a * d + b]! += wa * row[b]!;
      }
    }
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < a; b++) hess[b * d + a] = hess[a * d + b]!;
      if (a > 0) {
        grad[a]! -= l2 * beta[a]!;
        hess[a * d + a]! += l2;
      }
    }
    // a tiny ridge on the intercept keeps separable or single-class data solvable
    hess[0]! += 1e-9;
    const step = choleskySolve(hess, grad, d);
    let maxStep = 0;
    for (let a = 0; a < d; a++) {
      beta[a]! += step[a]!;
      maxStep = Math.max(maxStep, Math.abs(step[a]!));
    }
    if (maxStep < tolerance) {
      converged = true;
      break;
    }
  }
  return {
    kind: "logistic",
    means,
    scales,
    weights: Array.from(beta.subarray(1)),
    intercept: beta[0]!,
    iterations,
    converged,
  };
}

/** Linear predictor (log-odds) per row. */
export function logisticLogit(model: LogisticModel, x: FeatureMatrix): Float64Array {
  const { nRows } = shape(x);
  const cols = toColumns(x);
  const out = new Float64Array(nRows).fill(model.intercept);
  model.weights.forEach((w, j) => {
    const c = cols[j]!;
    const m = model.means[j]!;
    const s = model.scales[j]!;
    for (let i = 0; i < nRows; i++) out[i]! += (w * (c[i]! - m)) / s;
  });
  return out;
}

export function predictLogistic(model: LogisticModel, x: FeatureMatrix): Float64Array {
  return logisticLogit(model, x).map(sigmoid);
}

/**
 * Per-feature contribution to the log-odds for one row, relative to an average customer
 * (w_j * standardised x_j): the logistic model's own reason codes.
 */
export function logisticContributions(model: LogisticModel, row: ArrayLike<number>): number[] {
  return model.weights.map((w, j) => (w * (row[j]! - model.means[j]!)) / model.scales[j]!);
}
