import { describe, expect, it } from "vitest";
import {
  addDays,
  HEADLINE_METRICS,
  localDate,
  pickAnchor,
  rollup,
  specsFor,
  summarise,
  windows,
  type DailyPoint,
} from "../../../dashboards/src/data/kpi-periods.ts";

function series(metric: string, start: string, values: number[]): DailyPoint[] {
  return values.map((value, i) => ({ date: addDays(start, i), metric, value }));
}

describe("period windows", () => {
  it("are inclusive, end at the anchor, and the previous window is the same length just before", () => {
    expect(windows("2026-03-01", 7)).toEqual({
      current: ["2026-02-23", "2026-03-01"],
      previous: ["2026-02-16", "2026-02-22"],
    });
    expect(windows("2026-01-28", 28).previous).toEqual(["2025-12-04", "2025-12-31"]);
  });

  it("anchor on the last complete business day, not today's partial one", () => {
    expect(pickAnchor(["2026-05-06", "2026-05-07", "2026-05-08"], "2026-05-08")).toBe("2026-05-07");
    expect(pickAnchor(["2026-05-06"], "2026-05-06")).toBe("2026-05-06");
    expect(pickAnchor([], "2026-05-06")).toBeNull();
  });

  it("takes today's date in the business time zone", () => {
    const instant = new Date("2026-05-07T17:30:00Z");
    expect(localDate(instant, "UTC")).toBe("2026-05-07");
    expect(localDate(instant, "Asia/Hong_Kong")).toBe("2026-05-08");
    expect(localDate(instant, "America/Sao_Paulo")).toBe("2026-05-07");
  });
});

describe("summarise", () => {
  const spec = (metric: string) => HEADLINE_METRICS.filter((s) => s.metric === metric);

  it("sums counts and compares with the previous period", () => {
    const points = series("orders", "2026-01-01", [...Array(7).fill(10), ...Array(7).fill(12)]);
    const [k] = summarise(points, spec("orders"), "2026-01-14", [7]);
    expect(k!.periods[0]).toMatchObject({
      current: { value: 84, days: 7 },
      previous: { value: 70, days: 7 },
      change: 14,
    });
    expect(k!.periods[0]!.changePct).toBeCloseTo(0.2);
  });

  it("averages rates instead of adding them", () => {
    const points = series("read_rate", "2026-01-01", [0.5, 0.7]);
    expect(summarise(points, spec("read_rate"), "2026-01-02", [2])[0]!.periods[0]!.current.value).toBeCloseTo(0.6);
  });

  it("re-aggregates a ratio from its numerator and denominator when the mart gives them", () => {
    const points: DailyPoint[] = [
      { date: "2026-01-01", metric: "read_rate", value: 0.5, numerator: 1, denominator: 2 },
      { date: "2026-01-02", metric: "read_rate", value: 0.9, numerator: 90, denominator: 100 },
    ];
    const k = summarise(points, spec("read_rate"), "2026-01-02", [2])[0]!;
    expect(k.periods[0]!.current.value).toBeCloseTo(91 / 102);
    expect(k.note).toMatch(/read \/ delivered/);
  });

  it("expands a metric given only per slice into one KPI per slice", () => {
    expect(specsFor(["orders", "revenue_business:TWD", "revenue_business:HKD"]).map((s) => s.label)).toEqual([
      "Orders",
      "Revenue (HKD)",
      "Revenue (TWD)",
    ]);
  });

  it("gives no delta when the previous period is incomplete (the data starts inside it)", () => {
    const points = series("orders", "2026-01-05", Array(10).fill(5));
    const p = summarise(points, spec("orders"), "2026-01-14", [7])[0]!.periods[0]!;
    expect(p.previous.days).toBe(3);
    expect(p.change).toBeNull();
    expect(p.changePct).toBeNull();
  });

  it("gives no percentage change from zero, and skips metrics the mart does not have", () => {
    const points = series("revenue_business", "2026-01-01", [0, 0, 5, 5]);
    const out = summarise(points, HEADLINE_METRICS, "2026-01-04", [2]);
    expect(out.map((k) => k.metric)).toEqual(["revenue_business"]);
    expect(out[0]!.periods[0]).toMatchObject({ change: 10, changePct: null });
  });

  it("rolls up an empty window to null", () => {
    expect(rollup([], "sum")).toBeNull();
  });
});
