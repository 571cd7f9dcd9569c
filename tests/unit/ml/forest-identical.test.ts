/**
 * The split-search fix must not change the model: on small data whose features have few distinct
 * values (so every histogram bin is one value), our trainer must produce the same forest JSON as
 * ml-random-forest 2.1.0's own training, tree for tree and bit for bit, with the same seed.
 */
import { RandomForestClassifier } from "ml-random-forest";
import { describe, expect, it } from "vitest";

import { trainForest, type ForestOptions } from "../../../ml/forest/index.ts";
import { createRng } from "../../../ml/rng.ts";

function dataset(seed: number, nRows: number, nCols: number, levels: number) {
  const rng = createRng(seed);
  const next = (max: number) => rng.int(0, max - 1);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < nRows; i++) {
    const row = Array.from({ length: nCols }, () => next(levels) / 2);
    // a label that depends on two features plus noise, so trees are several levels deep
    const score = row[0]! + (row[1]! > 2 ? 1.5 : 0) - row[2]! * 0.3 + next(4) * 0.6;
    x.push(row);
    y.push(score > 3 ? 1 : 0);
  }
  return { x, y };
}

const roundTrip = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

const cases: Array<[string, ForestOptions, { rows: number; cols: number; levels: number; seed: number }]> = [
  [
    "library defaults (replacement true)",
    { nEstimators: 8, seed: 42, replacement: true },
    { rows: 200, cols: 6, levels: 9, seed: 1 },
  ],
  [
    "without replacement, maxFeatures 0.5, deeper minNumSamples",
    { nEstimators: 10, seed: 7, replacement: false, maxFeatures: 0.5, treeOptions: { minNumSamples: 5 } },
    { rows: 200, cols: 6, levels: 12, seed: 2 },
  ],
  [
    "integer maxFeatures, maxDepth and gainThreshold 0",
    { nEstimators: 6, seed: 123, replacement: false, maxFeatures: 4, treeOptions: { maxDepth: 4, gainThreshold: 0 } },
    { rows: 150, cols: 6, levels: 5, seed: 3 },
  ],
  [
    "no sample bagging",
    { nEstimators: 4, seed: 99, useSampleBagging: false, replacement: true, maxFeatures: 0.8 },
    { rows: 120, cols: 6, levels: 20, seed: 4 },
  ],
];

describe("trainForest gives the library's trees", () => {
  it.each(cases)("%s", (_name, options, d) => {
    const { x, y } = dataset(d.seed, d.rows, d.cols, d.levels);
    const lib = new RandomForestClassifier({
      ...options,
      replacement: options.replacement ?? false,
      noOOB: true,
    } as never);
    lib.train(x, y);
    const ours = trainForest(x, y, options);

    const libJson = roundTrip(lib.toJSON());
    const ourJson = roundTrip(ours.json);
    expect(ourJson.baseModel.indexes).toEqual(libJson.baseModel.indexes);
    ourJson.baseModel.estimators.forEach((est, i) => {
      expect(est).toEqual(libJson.baseModel.estimators[i]);
    });
    expect(ourJson).toEqual(libJson);
    // and the library scores our model exactly like its own
    expect(ours.classifier.predict(x)).toEqual(lib.predict(x));
  });
});
