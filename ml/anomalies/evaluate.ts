/**
 * Scores detected anomalies against injected ones (the demo generator's ground truth; tests and
 * benchmarks only). A true anomaly covers the local dates from its start to its end; detections
 * on the overall series ("all") of the same metric within `toleranceDays` count as hits.
 */
import { dayNumber, scoreDetections, type DetectionScore } from "../anomaly.ts";
import type { AnomalyRow } from "./run.ts";

export interface InjectedAnomaly {
  kind: string;
  start: string;
  end: string;
  metric: string;
}

function localDate(iso: string, timezone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(iso));
}

export function injectedDates(a: InjectedAnomaly, timezone: string): string[] {
  const out = new Set<string>();
  const end = Date.parse(a.end) - 1;
  for (let t = Date.parse(a.start); t <= end; t += 3_600_000) out.add(localDate(new Date(t).toISOString(), timezone));
  return [...out].sort();
}

export interface GroundTruthScore {
  /** Date-level scores per injected metric (detections on that metric's overall series). */
  perMetric: Record<string, DetectionScore>;
  /** Date-level, all injected metrics pooled: precision is the share of flagged days that are real. */
  overall: DetectionScore;
  /** Event-level recall: an injected anomaly is found when any of its days (± tolerance) is flagged. */
  events: { found: number; total: number; recall: number };
}

export function scoreAgainstGroundTruth(
  detected: readonly AnomalyRow[],
  injected: readonly InjectedAnomaly[],
  timezone: string,
  toleranceDays = 1,
): GroundTruthScore {
  const perMetric: Record<string, DetectionScore> = {};
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const metric of [...new Set(injected.map((a) => a.metric))]) {
    const truth = injected.filter((a) => a.metric === metric).flatMap((a) => injectedDates(a, timezone));
    const found = detected
      .filter((d) => d.metric === metric && d.dimension === "all" && d.direction !== "drop")
      .map((d) => d.metric_date);
    const s = scoreDetections(found, truth, toleranceDays);
    perMetric[metric] = s;
    tp += s.truePositives;
    fp += s.falsePositives;
    fn += s.falseNegatives;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 1;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  let found = 0;
  for (const a of injected) {
    const days = injectedDates(a, timezone).map(dayNumber);
    const hit = detected.some(
      (d) =>
        d.metric === a.metric &&
        d.dimension === "all" &&
        d.direction !== "drop" &&
        days.some((t) => Math.abs(dayNumber(d.metric_date) - t) <= toleranceDays),
    );
    if (hit) found++;
  }
  return {
    perMetric,
    overall: { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1 },
    events: { found, total: injected.length, recall: injected.length > 0 ? found / injected.length : 1 },
  };
}
