import { describe, expect, it } from "vitest";

import { applyPlatt, fitPlatt, reliabilityBins, splitByTime } from "../../../ml/calibration.ts";
import { fitLogistic, logisticContributions, predictLogistic } from "../../../ml/logistic.ts";
import { brierScore, expectedCalibrationError, rocAuc } from "../../../ml/metrics.ts";
import { createRng } from "../../../ml/rng.ts";
import { sliceRows, syntheticChurn } from "../../../ml/synthetic.ts";

describe("fitLogistic", () => {
  it("recovers known coefficients on logistic data", () => {
    const rng = createRng(5);
    const n = 20_000;
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = rng.normal();
      const b = rng.normal() * 3 + 10;
      const z = -0.5 + 1.2 * a - 0.4 * (b - 10);
      x.push([a, b, 7]); // the constant column must not break the fit
      y.push(rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
    }
    const model = fitLogistic(x, y, { l2: 1e-6 });
    expect(model.converged).toBe(true);
    // back to the original scale: w / scale
    expect(model.weights[0]! / model.scales[0]!).toBeCloseTo(1.2, 1);
    expect(model.weights[1]! / model.scales[1]!).toBeCloseTo(-0.4, 1);
    expect(model.weights[2]).toBe(0);
    // calibrated in the large: mean prediction equals the observed rate
    const p = predictLogistic(model, x);
    const meanP = p.reduce((s, v) => s + v, 0) / n;
    expect(meanP).toBeCloseTo(y.reduce((s, v) => s + v, 0) / n, 3);
    expect(logisticContributions(model, [1, 10, 7])).toHaveLength(3);
  });

  it("is deterministic and handles separable data", () => {
    const x = [[0], [1], [2], [3]];
    const y = [0, 0, 1, 1];
    const a = fitLogistic(x, y);
    const b = fitLogistic(x, y);
    expect(a).toEqual(b);
    const p = predictLogistic(a, x);
    expect(p[0]).toBeLessThan(0.5);
    expect(p[3]).toBeGreaterThan(0.5);
  });

  it("is well calibrated on held-out synthetic churn data", () => {
    const d = syntheticChurn(6000, 3);
    const model = fitLogistic(sliceRows(d.x, 0, 4000), d.y.subarray(0, 4000));
    const p = predictLogistic(model, sliceRows(d.x, 4000, 6000));
    const yt = d.y.subarray(4000);
    expect(rocAuc(yt, p)).toBeGreaterThan(0.7);
    expect(expectedCalibrationError(reliabilityBins(yt, p))).toBeLessThan(0.05);
  });
});

describe("Platt scaling", () => {
  it("recovers a known sigmoid and improves the Brier score of squashed scores", () => {
    const rng = createRng(9);
    const n = 10_000;
    const s = new Float64Array(n);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = rng.next();
      y[i] = rng.next() < 1 / (1 + Math.exp(-(6 * s[i]! - 4))) ? 1 : 0;
    }
    const model = fitPlatt(s, y);
    expect(model.a).toBeCloseTo(6, 0);
    expect(model.b).toBeCloseTo(-4, 0);
    expect(brierScore(y, applyPlatt(model, s))).toBeLessThan(brierScore(y, s));
  });

  it("stays finite on perfectly separated scores", () => {
    const m = fitPlatt([0, 0.1, 0.9, 1], [0, 0, 1, 1]);
    expect(Number.isFinite(m.a) && Number.isFinite(m.b)).toBe(true);
  });

  it("splits by time", () => {
    expect(splitByTime(["2024-01-01", "2024-03-01", "2024-02-01"], "2024-02-01")).toEqual({
      before: [0],
      after: [1, 2],
    });
  });
});
