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
 * Balanced bootstrap (Chen, Liaw & Breiman 2004, "balanced random forest"): for every class, as
 * many rows as the smallest class has, drawn with replacement from that class, then shuffled
 * (row order breaks ties in the split search, so it must not follow the class). Each tree's
 * majority vote then compares a leaf's class mix with the classes' balance instead of with 1/2,
 * so with a rare, weakly predictable class the trees still vote for it where it is over-
 * represented (plain bagging leaves almost every leaf voting for the majority). The library never
 * draws this way, but its model JSON does not record how rows were drawn, so loading and
 * prediction are unchanged.
 */
export function balancedBootstrapRows(labels: ArrayLike<number>, nClasses: number, seed: number): Draw<Int32Array> {
  const byClass: number[][] = Array.from({ length: nClasses }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]!]!.push(i);
  const present = byClass.filter((c) => c.length > 0);
  const k = Math.min(...present.map((c) => c.length));
  const engine = MersenneTwister19937.seed(seed);
  const rows = new Int32Array(k * present.length);
  let at = 0;
  for (const members of present) {
    const distribution = integer(0, members.length - 1);
    for (let i = 0; i < k; i++) rows[at++] = members[distribution(engine)]!;
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = integer(0, i)(engine);
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
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
