import { describe, expect, it } from "vitest";
import { RandomForestClassifier } from "ml-random-forest";

import { featuresPerTree, trainForest, binFeature } from "../../../ml/forest/index.ts";
import { rowSlice } from "../../../ml/forest/matrix.ts";
import { balancedBootstrapRows } from "../../../ml/forest/random.ts";
import { rocAuc } from "../../../ml/metrics.ts";
import { sliceRows, syntheticChurn } from "../../../ml/synthetic.ts";

describe("trainForest on data with many distinct values (histogram bins)", () => {
  const data = syntheticChurn(3000, 11);
  const train = sliceRows(data.x, 0, 2000);
  const test = sliceRows(data.x, 2000, 3000);
  const forest = trainForest(train, data.y.subarray(0, 2000), {
    nEstimators: 30,
    maxFeatures: 0.7,
    oob: true,
    treeOptions: { maxDepth: 8, minNumSamples: 10 },
  });

  it("learns something out of sample", () => {
    const p = forest.predictProbability(test);
    expect(rocAuc(data.y.subarray(2000), p)).toBeGreaterThan(0.7);
  });

  it("reports vote fractions from predictionValues (not the buggy predictProbability)", () => {
    const rows = rowSlice(test, 0, 50);
    const votes = forest.classifier.predictionValues(rows);
    const p = forest.predictProbability(test).subarray(0, 50);
    for (let i = 0; i < 50; i++) {
      expect(p[i]).toBe(votes.getRow(i).filter((v) => v === 1).length / 30);
    }
  });

  it("fast scorer agrees exactly with the library's votes", () => {
    expect(forest.predictProbabilityFast(test)).toEqual(forest.predictProbability(test, 333));
  });

  it("survives a JSON round trip through the library's load()", () => {
    const loaded = RandomForestClassifier.load(JSON.parse(JSON.stringify(forest.json)));
    const rows = rowSlice(test, 0, 200);
    expect(loaded.predict(rows)).toEqual(forest.classifier.predict(rows));
    expect(JSON.parse(JSON.stringify(loaded.toJSON()))).toEqual(JSON.parse(JSON.stringify(forest.classifier.toJSON())));
  });

  it("computes out-of-bag probabilities without crashing", () => {
    const oob = forest.oobProbability!;
    expect(oob).toHaveLength(2000);
    const finite = Array.from(oob).filter(Number.isFinite).length;
    expect(finite).toBeGreaterThan(1990);
    const idx = Array.from(oob.keys()).filter((i) => Number.isFinite(oob[i]!));
    expect(
      rocAuc(
        idx.map((i) => data.y[i]!),
        idx.map((i) => oob[i]!),
      ),
    ).toBeGreaterThan(0.65);
  });

  it("feature importance sums to 1 and ranks the informative column first", () => {
    const imp = forest.featureImportance();
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const top = imp.indexOf(Math.max(...imp));
    expect([0, 1, 2]).toContain(top);
  });

  it("feature importance stays meaningful on deep trees (ml-cart also stores a gain on leaves)", () => {
    const deep = trainForest(train, data.y.subarray(0, 2000), {
      nEstimators: 10,
      maxFeatures: 1.0,
      treeOptions: { maxDepth: 30, minNumSamples: 2, gainThreshold: 0 },
    });
    const imp = deep.featureImportance();
    expect(imp.every((v) => v >= 0)).toBe(true);
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect([0, 1, 2]).toContain(imp.indexOf(Math.max(...imp)));
  });

  it("samples features without replacement by default", () => {
    for (const used of forest.json.baseModel.indexes) expect(new Set(used).size).toBe(used.length);
  });
});

describe("helpers", () => {
  it("featuresPerTree follows the library's maxFeatures semantics", () => {
    expect(featuresPerTree(1, 20)).toBe(20);
    expect(featuresPerTree(0.7, 20)).toBe(14);
    expect(featuresPerTree(5, 20)).toBe(5);
    expect(() => featuresPerTree(25, 20)).toThrow(RangeError);
    expect(() => featuresPerTree(0.01, 20)).toThrow(RangeError);
  });

  it("binFeature is exact below maxBins and quantile above", () => {
    const exact = binFeature([3, 1, 2, 3, 1], 4);
    expect(exact.exact).toBe(true);
    expect(Array.from(exact.bins)).toEqual([2, 0, 1, 2, 0]);
    const values = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    const hist = binFeature(values, 16);
    expect(hist.exact).toBe(false);
    expect(hist.nBins).toBeLessThanOrEqual(16);
    // bins are ordered by value and contiguous ranges
    for (let i = 0; i < values.length; i++) {
      const b = hist.bins[i]!;
      expect(values[i]).toBeGreaterThanOrEqual(hist.lo[b]!);
      expect(values[i]).toBeLessThanOrEqual(hist.hi[b]!);
    }
  });

  it("balanced bagging draws every class equally often and keeps the library's model format", () => {
    const draw = balancedBootstrapRows([0, 0, 0, 0, 0, 0, 0, 1, 1, 0], 2, 42);
    expect(draw.value).toHaveLength(4);
    const drawn = [...draw.value].map((r) => (r === 7 || r === 8 ? 1 : 0));
    expect(drawn.filter((l) => l === 1)).toHaveLength(2);
    // A rare, weakly predictable class: plain bagging votes for it almost nowhere, balanced
    // bagging still ranks the rows by it.
    const data = syntheticChurn(2000, 5);
    const train = data.x;
    const rare = Int32Array.from(data.trueProbability, (p, i) => (p > 0.8 || i % 97 === 0 ? 1 : 0));
    const options = { nEstimators: 20, maxFeatures: 0.7, treeOptions: { maxDepth: 6, minNumSamples: 40 } };
    const plain = trainForest(train, rare, options).predictProbabilityFast(train);
    const balanced = trainForest(train, rare, { ...options, bagging: "balanced" }).predictProbabilityFast(train);
    const nonZero = (p: Float64Array) => p.filter((v) => v > 0).length;
    expect(nonZero(balanced)).toBeGreaterThan(nonZero(plain));
    const loaded = RandomForestClassifier.load(
      JSON.parse(JSON.stringify(trainForest(train, rare, { ...options, bagging: "balanced" }).json)),
    );
    expect(loaded.predictionValues(rowSlice(train, 0, 5)).rows).toBe(5);
  });

  it("rejects NaN features and non-integer labels", () => {
    expect(() => trainForest([[NaN], [1]], [0, 1])).toThrow(/NaN/);
    expect(() => trainForest([[0], [1]], [0, 0.5])).toThrow(/label/);
  });
});
