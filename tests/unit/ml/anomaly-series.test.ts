import { describe, expect, it } from "vitest";
import { detectAll, type SeriesRow } from "../../../ml/anomalies/run.ts";
import { scoreAgainstGroundTruth } from "../../../ml/anomalies/evaluate.ts";
import { dateOfDay, dayNumber } from "../../../ml/anomaly.ts";

/** 70 days of a ratio series with mild noise; `spikes` maps day index -> value. */
function ratioSeries(
  metric: string,
  dimension: string,
  dimensionValue: string,
  volume: number,
  spikes: Record<number, number> = {},
): SeriesRow[] {
  const start = dayNumber("2026-06-01");
  return Array.from({ length: 70 }, (_, i) => ({
    metric_date: dateOfDay(start + i),
    metric,
    dimension,
    dimension_value: dimensionValue,
    value: spikes[i] ?? 0.03 + 0.004 * Math.sin(i * 1.7),
    unit: "ratio",
    volume,
  }));
}

describe("detectAll: overall series by default, breakdowns opt-in, stricter and volume-gated", () => {
  const rows = [
    ...ratioSeries("complaint_rate", "all", "all", 200, { 50: 0.4 }),
    // a thin breakdown with a noisy jump, and a thick one with a moderate jump
    ...ratioSeries("delivery_failure_rate", "template_category", "utility", 8, { 40: 0.5 }),
    ...ratioSeries("delivery_failure_rate", "template_category", "service", 500, { 30: 0.09 }),
  ];

  it("flags the overall spike and ignores breakdowns by default", () => {
    const r = detectAll(rows);
    const seasonal = r.anomalies.filter((a) => a.method === "seasonal_median_mad");
    expect(seasonal.map((a) => `${a.metric}/${a.dimension}/${a.metric_date}`)).toEqual([
      "complaint_rate/all/2026-07-21",
    ]);
    expect(r.series).toBe(1);
  });

  it("with breakdowns on, skips low-volume breakdowns and applies the stricter threshold", () => {
    const strict = detectAll(rows, { breakdowns: true });
    expect(strict.anomalies.some((a) => a.dimension_value === "utility")).toBe(false);
    const loose = detectAll(rows, { breakdowns: true, breakdownThreshold: 3, minBreakdownVolume: 1 });
    expect(loose.anomalies.some((a) => a.dimension_value === "utility")).toBe(true);
    expect(loose.anomalies.length).toBeGreaterThan(strict.anomalies.length);
  });

  it("gives the R26 rule no verdict on days with too few conversations", () => {
    const thin = ratioSeries("complaint_rate", "all", "all", 10, { 20: 0.2, 21: 0.2, 22: 0.2 });
    expect(detectAll(thin).anomalies.filter((a) => a.method === "rule_r26_complaint_rate_3d")).toEqual([]);
    const thick = ratioSeries("complaint_rate", "all", "all", 100, { 20: 0.2, 21: 0.2, 22: 0.2 });
    expect(detectAll(thick).anomalies.filter((a) => a.method === "rule_r26_complaint_rate_3d")).toHaveLength(1);
  });

  it("treats a short last day as incomplete", () => {
    const s = ratioSeries("delivery_failure_rate", "all", "all", 300);
    s[s.length - 1] = { ...s[s.length - 1]!, value: 0.5, volume: 4 };
    expect(detectAll(s).anomalies).toEqual([]);
  });

  it("scores events and days against the ground truth", () => {
    const r = detectAll(rows);
    const score = scoreAgainstGroundTruth(
      r.anomalies,
      [
        {
          kind: "complaint_spike",
          start: "2026-07-21T00:00:00Z",
          end: "2026-07-22T00:00:00Z",
          metric: "complaint_rate",
        },
      ],
      "UTC",
    );
    expect(score.events).toEqual({ found: 1, total: 1, recall: 1 });
    expect(score.overall.precision).toBe(1);
  });
});
