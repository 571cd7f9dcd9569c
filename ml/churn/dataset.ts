/**
 * Training examples for the churn model: which as-of dates, which rows are eligible (label
 * observed, not treated by us), the out-of-time split and the feature matrix. Pure functions.
 */
import type { ColumnarMatrix } from "../forest/types.ts";
import type { FeatureRow } from "./features.ts";

const DAY_MS = 86_400_000;

/** Start of the UTC day. */
export function utcDay(d: Date): Date {
  return new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);
}

/**
 * As-of dates every `stepDays`, counting back from the last date whose whole outcome window is
 * observed (dataEnd - horizon), no earlier than `warmupDays` after the data starts (so the
 * 6-week frequency features have history).
 */
export function chooseAsOfDates(
  start: Date,
  end: Date,
  opts: { horizonDays: number; stepDays?: number; warmupDays?: number },
): Date[] {
  const step = opts.stepDays ?? 7;
  const warmup = opts.warmupDays ?? 42;
  const last = utcDay(new Date(end.getTime() - opts.horizonDays * DAY_MS));
  const first = utcDay(new Date(start.getTime() + warmup * DAY_MS));
  const out: Date[] = [];
  for (let t = last.getTime(); t >= first.getTime(); t -= step * DAY_MS) out.push(new Date(t));
  return out.reverse();
}

export interface TimeSplit {
  train: string[];
  calibration: string[];
  test: string[];
  /** True when train and calibration outcomes were fully known before the first test date. */
  purged: boolean;
}

/**
 * Out-of-time split over sorted as-of dates: test = the latest `testDates`, calibration = the
 * `calibrationDates` before, train = the rest before that. With `purge`, every train and
 * calibration date must have its whole outcome window before the first test date (as if the
 * model had been trained on the day it is tested); when that leaves fewer than
 * `minTrainDates` training dates the split falls back to plain time order (reported).
 */
export function splitOutOfTime(
  dates: readonly string[],
  opts: { horizonDays: number; testDates?: number; calibrationDates?: number; minTrainDates?: number; purge?: boolean },
): TimeSplit | null {
  const sorted = [...new Set(dates)].sort();
  const nTest = opts.testDates ?? 1;
  const nCal = opts.calibrationDates ?? 2;
  const minTrain = opts.minTrainDates ?? 2;
  if (sorted.length < nTest + nCal + 1) return null;
  const test = sorted.slice(-nTest);
  const firstTest = Date.parse(test[0] as string);
  if (opts.purge !== false) {
    const known = sorted.filter((d) => Date.parse(d) + opts.horizonDays * DAY_MS <= firstTest);
    if (known.length >= nCal + minTrain) {
      return { train: known.slice(0, -nCal), calibration: known.slice(-nCal), test, purged: true };
    }
  }
  const before = sorted.slice(0, -nTest);
  return { train: before.slice(0, -nCal), calibration: before.slice(-nCal), test, purged: false };
}

export interface EligibilityReport {
  total: number;
  unobserved: number;
  treatedBefore: number;
  treatedInOutcome: number;
  eligible: number;
}

/**
 * Leakage guard (documented choice): examples of customers we treated (a win-back send or one of
 * our recovery tags) in the `treatmentLookbackDays` before the as-of date or inside its outcome
 * window are left out of training, calibration and test; their behaviour is no longer the
 * untreated behaviour the model is meant to predict. Rows whose outcome window is not fully
 * observed are left out too.
 */
export function eligibleRows(
  rows: readonly FeatureRow[],
  opts: { treatmentLookbackDays: number },
): { rows: FeatureRow[]; report: EligibilityReport } {
  const report: EligibilityReport = {
    total: rows.length,
    unobserved: 0,
    treatedBefore: 0,
    treatedInOutcome: 0,
    eligible: 0,
  };
  const out: FeatureRow[] = [];
  for (const r of rows) {
    if (!r.label_observed) report.unobserved++;
    else if (r.days_since_treatment <= opts.treatmentLookbackDays) report.treatedBefore++;
    else if (r.treated_in_outcome) report.treatedInOutcome++;
    else out.push(r);
  }
  report.eligible = out.length;
  return { rows: out, report };
}

/** Markets frequent enough (>= 2% of rows) to get a one-hot column; the rest share "other". */
export function frequentMarkets(rows: readonly FeatureRow[], minShare = 0.02): string[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.market, (counts.get(r.market) ?? 0) + 1);
  return [...counts.entries()]
    .filter(([, n]) => n >= minShare * rows.length)
    .map(([m]) => m)
    .sort();
}

export function matrixColumns(featureNames: readonly string[], markets: readonly string[]): string[] {
  return [...featureNames, ...markets.map((m) => `market_${m}`)];
}

/** Columnar matrix of the given features plus market one-hot columns. */
export function toMatrix(
  rows: readonly FeatureRow[],
  featureNames: readonly string[],
  markets: readonly string[],
): ColumnarMatrix {
  const columns: Float64Array[] = [];
  for (const name of featureNames) {
    const c = new Float64Array(rows.length);
    rows.forEach((r, i) => {
      const v = r.values[name];
      c[i] = v === undefined || !Number.isFinite(v) ? -1 : v;
    });
    columns.push(c);
  }
  for (const m of markets) {
    const c = new Float64Array(rows.length);
    rows.forEach((r, i) => (c[i] = r.market === m ? 1 : 0));
    columns.push(c);
  }
  return { nRows: rows.length, columns };
}

/** 32-bit FNV-1a of a string: stable across runs and machines (hold-out groups, folds). */
export function stableHash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h | 0;
}

/** Which of two customer halves a customer is in (settings search, `chooseForest`). */
export function customerFold(customerKey: string): 0 | 1 {
  return (stableHash(`fold:${customerKey}`) & 1) as 0 | 1;
}

export function labels(rows: readonly FeatureRow[]): Float64Array {
  return Float64Array.from(rows, (r) => (r.churned ? 1 : 0));
}
