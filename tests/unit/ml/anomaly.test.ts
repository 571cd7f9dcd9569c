import { describe, expect, it } from "vitest";

import {
  dateOfDay,
  dayNumber,
  detectConsecutiveAbove,
  detectSeasonalAnomalies,
  ratioSeries,
  scoreDetections,
  type DailyPoint,
} from "../../../ml/anomaly.ts";
import { createRng } from "../../../ml/rng.ts";

/** 26 weeks of a KPI with a strong weekly pattern (weekends ~40% of weekdays) and 5% noise. */
function weeklySeries(seed: number): DailyPoint[] {
  const rng = createRng(seed);
  const start = dayNumber("2024-01-01"); // a Monday
  return Array.from({ length: 26 * 7 }, (_, i) => {
    const weekday = i % 7;
    const base = weekday >= 5 ? 400 : 1000 + 30 * weekday;
    return { date: dateOfDay(start + i), value: base * (1 + 0.05 * rng.normal()) };
  });
}

describe("detectSeasonalAnomalies", () => {
  it("does not flag the weekly pattern itself", () => {
    const result = detectSeasonalAnomalies(weeklySeries(1));
    const flagged = result.filter((r) => r.isAnomaly);
    expect(flagged.length).toBeLessThanOrEqual(2);
    // the first weeks have no history: no verdict
    expect(result[0]).toMatchObject({ isAnomaly: false, historyPoints: 0 });
    expect(result[0]!.expected).toBeNaN();
  });

  it("finds injected spikes and drops with high precision and recall", () => {
    const series = weeklySeries(2);
    const injected = [40, 57, 83, 101, 130, 150, 171]; // day offsets, after 3 weeks of history
    injected.forEach((d, k) => {
      const p = series[d]!;
      series[d] = { date: p.date, value: p.value * (k % 2 === 0 ? 1.8 : 0.35) };
    });
    // a one-off spike in a past week must not mask the next weeks (median/MAD are robust)
    const result = detectSeasonalAnomalies(series);
    const detected = result.filter((r) => r.isAnomaly).map((r) => r.date);
    const score = scoreDetections(
      detected,
      injected.map((d) => series[d]!.date),
    );
    expect(score.recall).toBe(1);
    expect(score.precision).toBeGreaterThanOrEqual(0.8);
    const spike = result.find((r) => r.date === series[40]!.date)!;
    expect(spike).toMatchObject({ direction: "spike", severity: "high" });
    expect(spike.expected).toBeGreaterThan(spike.lower);
    expect(spike.value).toBeGreaterThan(spike.upper);
    expect(result.find((r) => r.date === series[57]!.date)!.direction).toBe("drop");
  });

  it("a weekend value is judged against weekends (a weekday-level Saturday is a spike)", () => {
    const series = weeklySeries(3);
    const saturday = 7 * 10 + 5;
    series[saturday] = { date: series[saturday]!.date, value: 1000 };
    const r = detectSeasonalAnomalies(series).find((x) => x.date === series[saturday]!.date)!;
    expect(r.isAnomaly).toBe(true);
    expect(r.expected).toBeLessThan(500);
  });

  it("floors the spread so a flat history does not explode", () => {
    const flat = Array.from({ length: 35 }, (_, i) => ({ date: dateOfDay(19_000 + i), value: 100 }));
    flat[30] = { date: flat[30]!.date, value: 103 };
    const r = detectSeasonalAnomalies(flat)[30]!;
    expect(r.isAnomaly).toBe(false);
    expect(Number.isFinite(r.score)).toBe(true);
  });

  it("can watch one side only", () => {
    const series = weeklySeries(4);
    series[60] = { date: series[60]!.date, value: series[60]!.value * 0.2 };
    const up = detectSeasonalAnomalies(series, { direction: "spike" });
    expect(up[60]!.isAnomaly).toBe(false);
  });
});

describe("detectConsecutiveAbove (R26: complaint rate > 5% three days in a row)", () => {
  const rates = [0.02, 0.06, 0.07, 0.08, 0.09, 0.01, 0.06, 0.06, 0.04, 0.051, 0.052, 0.053];
  const series = rates.map((value, i) => ({ date: dateOfDay(dayNumber("2024-03-01") + i), value }));

  it("fires on the third consecutive day and after", () => {
    const alerts = detectConsecutiveAbove(series);
    expect(alerts.map((a) => a.date)).toEqual(["2024-03-04", "2024-03-05", "2024-03-12"]);
    expect(alerts[0]).toMatchObject({ streak: 3, runStart: "2024-03-02" });
  });

  it("treats exactly 5% as not above, and a missing day as a break", () => {
    const edge = [0.05, 0.06, 0.06].map((value, i) => ({ date: dateOfDay(19_000 + i), value }));
    expect(detectConsecutiveAbove(edge)).toEqual([]);
    const gap = [0, 1, 3].map((d) => ({ date: dateOfDay(19_000 + d), value: 0.1 }));
    expect(detectConsecutiveAbove(gap)).toEqual([]);
  });

  it("builds a rate series from counts", () => {
    const complaints = [
      { date: "2024-01-01", value: 3 },
      { date: "2024-01-02", value: 1 },
    ];
    const conversations = [
      { date: "2024-01-01", value: 50 },
      { date: "2024-01-02", value: 0 },
    ];
    expect(ratioSeries(complaints, conversations)).toEqual([{ date: "2024-01-01", value: 0.06 }]);
  });
});

describe("scoreDetections", () => {
  it("computes precision and recall with a matching tolerance", () => {
    const s = scoreDetections(
      ["2024-01-02", "2024-01-10", "2024-01-20"],
      ["2024-01-01", "2024-01-10", "2024-01-15"],
      1,
    );
    expect(s).toMatchObject({ truePositives: 2, falsePositives: 1, falseNegatives: 1 });
    expect(s.precision).toBeCloseTo(2 / 3, 12);
    expect(s.recall).toBeCloseTo(2 / 3, 12);
  });
});
