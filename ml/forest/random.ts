/**
 * The random draws of ml-random-forest 2.1.0 (src/utils.js), reproduced draw for draw so that our
 * trainer bags the same rows and features as the library for a given seed. The library re-seeds a
 * fresh MersenneTwister19937 for every step and chains the seed: bagging(seed) -> next seed ->
 * featureBagging(seed) -> next seed -> next tree. random-js is the library's own dependency.
 */
import { MersenneTwister19937, integer } from "random-js";

export interface Draw<T> {
  value: T;
  /** The seed for the next step, `engine.next()` after the draws, as the library chains it. */
  nextSeed: number;
}

/** Bootstrap rows with replacement, in draw order (the order matters for tie-breaking). */
export function bootstrapRows(nRows: number, seed: number): Draw<Int32Array> {
  const engine = MersenneTwister19937.seed(seed);
  const distribution = integer(0, nRows - 1);
  const rows = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) rows[i] = distribution(engine);
  return { value: rows, nextSeed: engine.next() };
}

/**
 * Features for one tree. Without replacement the library draws once before the loop and redraws
 * only while the index is already used; we keep that exact sequence.
 */
export function sampleFeatures(nColumns: number, n: number, replacement: boolean, seed: number): Draw<number[]> {
  if (n > nColumns) throw new RangeError("N should be less or equal to the number of columns of X");
  const engine = MersenneTwister19937.seed(seed);
  const distribution = integer(0, nColumns - 1);
  let used: number[];
  if (replacement) {
    used = [];
    for (let i = 0; i < n; i++) used.push(distribution(engine));
  } else {
    const set = new Set<number>();
    let index = distribution(engine);
    for (let i = 0; i < n; i++) {
      while (set.has(index)) index = distribution(engine);
      set.add(index);
    }
    used = [...set];
  }
  return { value: used, nextSeed: engine.next() };
}
