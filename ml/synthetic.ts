/**
 * Seeded synthetic churn-like data for tests and benchmarks (not for the product's metrics):
 * 20 features mixing continuous, count and flag columns; the label is drawn from a known
 * logistic model with one interaction and one threshold effect, so trees have something a linear
 * model misses and calibration can be checked against the true probability.
 */
import { createRng } from "./rng.ts";
import type { ColumnarMatrix } from "./forest/types.ts";

export interface SyntheticData {
  x: ColumnarMatrix;
  y: Int32Array;
  /** The probability the label was drawn from. */
  trueProbability: Float64Array;
}

export function syntheticChurn(nRows: number, seed = 1, nCols = 20): SyntheticData {
  const rng = createRng(seed);
  const columns = Array.from({ length: nCols }, () => new Float64Array(nRows));
  const y = new Int32Array(nRows);
  const trueProbability = new Float64Array(nRows);
  for (let r = 0; r < nRows; r++) {
    for (let c = 0; c < nCols; c++) {
      const kind = c % 4;
      // continuous, counts (few distinct values), days-like (many), flags
      columns[c]![r] =
        kind === 0 ? rng.normal() : kind === 1 ? rng.int(0, 12) : kind === 2 ? rng.int(0, 365) : rng.int(0, 1);
    }
    const daysSilent = columns[2]![r]!;
    const freq = columns[1]![r]!;
    const z =
      -1.5 +
      0.9 * columns[0]![r]! +
      (daysSilent > 60 ? 1.2 : 0) -
      0.15 * freq +
      0.8 * columns[3]![r]! * (columns[4]![r]! > 0 ? 1 : 0);
    const p = 1 / (1 + Math.exp(-z));
    trueProbability[r] = p;
    y[r] = rng.next() < p ? 1 : 0;
  }
  return { x: { nRows, columns }, y, trueProbability };
}

/** Rows [start, end) of a columnar matrix, as another columnar matrix (no copy). */
export function sliceRows(x: ColumnarMatrix, start: number, end: number): ColumnarMatrix {
  return {
    nRows: end - start,
    columns: x.columns.map((c) => (c as Float64Array).subarray(start, end)),
  };
}
