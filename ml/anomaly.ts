/**
 * KPI anomaly detection for daily series (R26). Pure functions over arrays of {date, value}.
 *
 * Seasonal detector: business KPIs have a weekly rhythm (weekends are quiet), so each day is
 * compared with the same weekday over the previous N weeks, not with yesterday or a global mean.
 * The centre is the median and the spread the MAD (scaled by 1.4826 to match a standard
 * deviation under normality), so one past spike does not mask the next; a floor on the spread
 * stops a perfectly flat history from turning noise into infinite scores.
 *
 * Rule detector: the seed's explicit rule "complaint rate above 5% three days in a row".
 */
import { median, medianAbsoluteDeviation } from "simple-statistics";

export interface DailyPoint {
  /** ISO date YYYY-MM-DD (UTC calendar day). */
  date: string;
  value: number;
}

export type Severity = "none" | "low" | "medium" | "high";

export interface SeasonalAnomaly {
  date: string;
  value: number;
  /** Median of the same weekday over the previous weeks; NaN without enough history. */
  expected: number;
  lower: number;
  upper: number;
  /** Robust z: (value - expected) / (1.4826 * MAD), with the spread floor applied. */
  score: number;
  isAnomaly: boolean;
  direction: "spike" | "drop" | null;
  severity: Severity;
  /** How many same-weekday values the expectation used. */
  historyPoints: number;
}

export interface SeasonalOptions {
  /** Same-weekday values looked back over (default 6 weeks). */
  weeks?: number;
  /** Fewer past values than this: no verdict (default 3). */
  minHistory?: number;
  /** |robust z| above this is an anomaly (default 3.5, the usual modified-z cut-off). */
  threshold?: number;
  /** Spread floor as a fraction of |expected| (default 0.05: a 5% wobble is never alarming). */
  relativeFloor?: number;
  /** Absolute spread floor, for series near zero (default 1e-9). */
  absoluteFloor?: number;
  /** Which side counts (default both). */
  direction?: "both" | "spike" | "drop";
}

const DAY_MS = 86_400_000;
const MAD_TO_SD = 1.4826;

export function dayNumber(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO date: ${date}`);
  return Math.round(ms / DAY_MS);
}

export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function severityOf(absScore: number, threshold: number): Severity {
  if (absScore >= 2 * threshold) return "high";
  if (absScore >= 1.5 * threshold) return "medium";
  if (absScore >= threshold) return "low";
  return "none";
}

export function detectSeasonalAnomalies(
  series: readonly DailyPoint[],
  options: SeasonalOptions = {},
): SeasonalAnomaly[] {
  const weeks = options.weeks ?? 6;
  const minHistory = options.minHistory ?? 3;
  const threshold = options.threshold ?? 3.5;
  const relativeFloor = options.relativeFloor ?? 0.05;
  const absoluteFloor = options.absoluteFloor ?? 1e-9;
  const side = options.direction ?? "both";

  const byDay = new Map<number, number>();
  for (const p of series) if (Number.isFinite(p.value)) byDay.set(dayNumber(p.date), p.value);
  const sorted = [...series].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  return sorted.map((p) => {
    const day = dayNumber(p.date);
    const history: number[] = [];
    for (let k = 1; k <= weeks; k++) {
      const v = byDay.get(day - 7 * k);
      if (v !== undefined) history.push(v);
    }
    if (history.length < minHistory || !Number.isFinite(p.value)) {
      return {
        date: p.date,
        value: p.value,
        expected: NaN,
        lower: NaN,
        upper: NaN,
        score: NaN,
        isAnomaly: false,
        direction: null,
        severity: "none" as const,
        historyPoints: history.length,
      };
    }
    const expected = median(history);
    const spread = Math.max(
      MAD_TO_SD * medianAbsoluteDeviation(history),
      relativeFloor * Math.abs(expected),
      absoluteFloor,
    );
    const score = (p.value - expected) / spread;
    const direction = score > 0 ? ("spike" as const) : score < 0 ? ("drop" as const) : null;
    const sideOk = side === "both" || side === direction;
    const isAnomaly = sideOk && Math.abs(score) > threshold;
    return {
      date: p.date,
      value: p.value,
      expected,
      lower: expected - threshold * spread,
      upper: expected + threshold * spread,
      score,
      isAnomaly,
      direction: isAnomaly ? direction : null,
      severity: isAnomaly ? severityOf(Math.abs(score), threshold) : "none",
      historyPoints: history.length,
    };
  });
}

export interface StreakAlert {
  date: string;
  value: number;
  /** Consecutive days above the threshold up to and including this one. */
  streak: number;
  runStart: string;
}

/**
 * R26: fires on every day that closes a run of at least `days` consecutive calendar days with
 * value strictly above `threshold` (default: complaint rate > 5% for 3 days). A missing day
 * breaks the run: no data is not evidence of complaints.
 */
export function detectConsecutiveAbove(series: readonly DailyPoint[], threshold = 0.05, days = 3): StreakAlert[] {
  const sorted = [...series]
    .filter((p) => Number.isFinite(p.value))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const alerts: StreakAlert[] = [];
  let streak = 0;
  let runStart = "";
  let prevDay = NaN;
  for (const p of sorted) {
    const day = dayNumber(p.date);
    if (p.value > threshold) {
      if (streak > 0 && day === prevDay + 1) streak++;
      else {
        streak = 1;
        runStart = p.date;
      }
      if (streak >= days) alerts.push({ date: p.date, value: p.value, streak, runStart });
    } else {
      streak = 0;
    }
    prevDay = day;
  }
  return alerts;
}

/** Daily ratio series (e.g. complaints / conversations); days with a zero denominator are dropped. */
export function ratioSeries(numerator: readonly DailyPoint[], denominator: readonly DailyPoint[]): DailyPoint[] {
  const den = new Map(denominator.map((p) => [p.date, p.value]));
  const out: DailyPoint[] = [];
  for (const p of numerator) {
    const d = den.get(p.date);
    if (d !== undefined && d > 0) out.push({ date: p.date, value: p.value / d });
  }
  return out;
}

export interface DetectionScore {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Precision/recall of detected dates against injected (true) anomaly dates. A detection within
 * `toleranceDays` of a not-yet-matched true date counts as a hit (each true date matches once).
 */
export function scoreDetections(
  detected: readonly string[],
  actual: readonly string[],
  toleranceDays = 0,
): DetectionScore {
  const truth = [...new Set(actual)].map(dayNumber).sort((a, b) => a - b);
  const used = new Set<number>();
  let tp = 0;
  let fp = 0;
  for (const d of [...new Set(detected)].map(dayNumber).sort((a, b) => a - b)) {
    let match = -1;
    let bestDist = Infinity;
    truth.forEach((t, i) => {
      const dist = Math.abs(t - d);
      if (!used.has(i) && dist <= toleranceDays && dist < bestDist) {
        match = i;
        bestDist = dist;
      }
    });
    if (match >= 0) {
      used.add(match);
      tp++;
    } else fp++;
  }
  const fn = truth.length - tp;
  const precision = tp + fp > 0 ? tp / (tp + fp) : 1;
  const recall = truth.length > 0 ? tp / truth.length : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1 };
}
