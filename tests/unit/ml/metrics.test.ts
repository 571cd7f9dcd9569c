import { describe, expect, it } from "vitest";

import {
  averagePrecision,
  binaryReport,
  brierScore,
  calibrationTable,
  liftAt,
  logLoss,
  precisionAtK,
  rocAuc,
} from "../../../ml/metrics.ts";

describe("rocAuc", () => {
  it("is 1 for perfect ranking, 0 for reversed, 0.5 for all tied", () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(rocAuc([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9])).toBe(0);
    expect(rocAuc([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });
  it("counts ties as half (hand-computed)", () => {
    // pos scores 0.4, 0.8; neg scores 0.4, 0.1, 0.9
    // pairs (pos>neg): 0.4>0.1 (1), 0.4=0.4 (0.5), 0.4<0.9 (0), 0.8>0.4, 0.8>0.1 (2), 0.8<0.9 (0) = 3.5 / 6
    expect(rocAuc([1, 0, 0, 1, 0], [0.4, 0.4, 0.1, 0.8, 0.9])).toBeCloseTo(3.5 / 6, 12);
  });
  it("does not depend on input order among tied scores", () => {
    expect(rocAuc([1, 0, 1], [0.5, 0.5, 0.2])).toBe(rocAuc([0, 1, 1], [0.5, 0.5, 0.2]));
  });
  it("is NaN with one class", () => {
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN();
  });
});

describe("averagePrecision", () => {
  it("matches a hand computation", () => {
    // sorted: 0.9(1) 0.8(0) 0.7(1) 0.1(0): precision at each positive 1/1, 2/3 -> (1 + 2/3) / 2
    expect(averagePrecision([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1])).toBeCloseTo((1 + 2 / 3) / 2, 12);
  });
  it("treats tied scores as one threshold", () => {
    // all tied: one step to recall 1 at precision 2/4
    expect(averagePrecision([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5])).toBeCloseTo(0.5, 12);
    // 0.9(1), then tie {0.5: 1, 0}: (1/2)*1 + (1/2)*(2/3)
    expect(averagePrecision([1, 1, 0], [0.9, 0.5, 0.5])).toBeCloseTo(0.5 + 1 / 3, 12);
  });
});

describe("brier and log loss", () => {
  it("match hand computations", () => {
    expect(brierScore([1, 0], [0.8, 0.4])).toBeCloseTo((0.04 + 0.16) / 2, 12);
    expect(logLoss([1, 0], [0.8, 0.4])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    expect(Number.isFinite(logLoss([1], [0]))).toBe(true);
  });
});

describe("calibrationTable", () => {
  it("bins predictions and reports observed rates", () => {
    const table = calibrationTable([0, 1, 1, 0, 1], [0.05, 0.15, 0.12, 0.95, 1], 10);
    expect(table).toEqual([
      { lower: 0, upper: 0.1, count: 1, meanPredicted: 0.05, observedRate: 0 },
      { lower: 0.1, upper: 0.2, count: 2, meanPredicted: expect.closeTo(0.135, 12), observedRate: 1 },
      { lower: 0.9, upper: 1, count: 2, meanPredicted: 0.975, observedRate: 0.5 },
    ]);
  });
});

describe("precisionAtK and lift", () => {
  it("computes precision of the top k", () => {
    expect(precisionAtK([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1], 2)).toBe(0.5);
    expect(precisionAtK([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1], 3)).toBeCloseTo(2 / 3, 12);
  });
  it("shares slots among ties at the cut", () => {
    // top 2: 0.9 (pos) + one of the tie {0.5: pos, neg, neg} -> 1 + 1/3
    expect(precisionAtK([1, 1, 0, 0], [0.9, 0.5, 0.5, 0.5], 2)).toBeCloseTo((1 + 1 / 3) / 2, 12);
  });
  it("computes top-decile lift", () => {
    const y = [1, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const p = [0.99, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.04, 0.03, 0.02];
    // top 1 of 10 is positive: rate 1, base rate 0.2 -> lift 5
    expect(liftAt(y, p, 0.1)).toBeCloseTo(5, 12);
  });
  it("builds a full report", () => {
    const r = binaryReport([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]);
    expect(r).toMatchObject({ n: 4, positives: 2, rocAuc: 1, prAuc: 1 });
  });
});
