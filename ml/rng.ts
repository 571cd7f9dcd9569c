/**
 * Seeded randomness for tests, benchmarks and synthetic data: pure-rand's xoroshiro128+ so runs
 * are reproducible across machines (Math.random is not seedable).
 */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [from, to]. */
  int(from: number, to: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
}

export function createRng(seed: number): Rng {
  const gen = xoroshiro128plus(seed);
  return {
    next: () => uniformFloat64(gen),
    int: (from, to) => uniformInt(gen, from, to),
    normal: () => {
      const u = 1 - uniformFloat64(gen);
      const v = uniformFloat64(gen);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}
