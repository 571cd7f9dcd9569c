/**
 * Gini arithmetic. Two versions on purpose:
 * - `fastGiniGain` (closed form c/n) ranks candidate splits during the sweep;
 * - `libraryGiniGain` reproduces ml-cart's floating-point arithmetic bit for bit (probabilities
 *   accumulated as c additions of 1/n, classes summed in label order, greater side before lesser).
 *   The stored `gain`, the `gain !== parentGain` stopping rule and tie-breaking between equal
 *   splits all depend on those exact bits, so the chosen split is re-scored with it.
 */

/** ml-cart's `toDiscreteDistribution`: count[c] += 1/n for every element, i.e. c additions. */
export function libraryProbability(count: number, n: number): number {
  let p = 0;
  const step = 1 / n;
  for (let i = 0; i < count; i++) p += step;
  return p;
}

/** ml-cart's leaf distribution: one entry per class up to the largest label present. */
export function libraryDistribution(counts: ArrayLike<number>): number[] {
  let n = 0;
  let maxLabel = -1;
  for (let c = 0; c < counts.length; c++) {
    n += counts[c]!;
    if (counts[c]! > 0) maxLabel = c;
  }
  const out: number[] = [];
  for (let c = 0; c <= maxLabel; c++) out.push(libraryProbability(counts[c]!, n));
  return out;
}

/** ml-cart's `giniImpurity` of a set given its class counts. */
export function libraryGiniImpurity(counts: ArrayLike<number>): number {
  let n = 0;
  for (let c = 0; c < counts.length; c++) n += counts[c]!;
  if (n === 0) return 0;
  let sum = 0.0;
  for (let c = 0; c < counts.length; c++) {
    const p = libraryProbability(counts[c]!, n);
    sum += p * p;
  }
  return 1 - sum;
}

/** ml-cart's `giniGain(y, {greater, lesser})`, evaluated from class counts. */
export function libraryGiniGain(
  parentImpurity: number,
  n: number,
  lesser: ArrayLike<number>,
  greater: ArrayLike<number>,
): number {
  let nL = 0;
  let nG = 0;
  for (let c = 0; c < lesser.length; c++) nL += lesser[c]!;
  for (let c = 0; c < greater.length; c++) nG += greater[c]!;
  let splitsImpurity = 0.0;
  splitsImpurity += (libraryGiniImpurity(greater) * nG) / n;
  splitsImpurity += (libraryGiniImpurity(lesser) * nL) / n;
  return parentImpurity - splitsImpurity;
}

/** Sum of squared counts divided by size: n * (1 - gini) for one side. */
function sumSqOverN(counts: ArrayLike<number>, offset: number, k: number, n: number): number {
  if (n === 0) return 0;
  let s = 0;
  for (let c = 0; c < k; c++) {
    const v = counts[offset + c]!;
    s += v * v;
  }
  return s / n;
}

/**
 * Gini gain in closed form, for ranking only: gini(parent) - nL/n gini(L) - nR/n gini(R)
 * = (sumSq(L)/nL + sumSq(R)/nR - sumSq(P)/n) / n.
 */
export function fastGiniGain(
  left: ArrayLike<number>,
  leftOffset: number,
  nL: number,
  parent: ArrayLike<number>,
  n: number,
  k: number,
  parentTerm: number,
): number {
  let sR = 0;
  let sL = 0;
  for (let c = 0; c < k; c++) {
    const l = left[leftOffset + c]!;
    const r = parent[c]! - l;
    sL += l * l;
    sR += r * r;
  }
  const nR = n - nL;
  return ((nL > 0 ? sL / nL : 0) + (nR > 0 ? sR / nR : 0) - parentTerm) / n;
}

export { sumSqOverN };
