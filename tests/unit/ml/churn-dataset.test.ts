import { describe, expect, it } from "vitest";
import { chooseAsOfDates, customerFold, eligibleRows, splitOutOfTime } from "../../../ml/churn/dataset.ts";
import { FEATURES, featureNames, type FeatureRow } from "../../../ml/churn/features.ts";
import { chooseForest, FEW_COLUMNS, forestGrid } from "../../../ml/churn/model.ts";
import { bandOf, recommend } from "../../../ml/churn/score.ts";
import { loadSql } from "../../../ml/churn/sql.ts";

const row = (over: Partial<FeatureRow> & { values?: Record<string, number> }): FeatureRow => ({
  as_of_at: "2026-06-01T00:00:00.000Z",
  customer_key: "+1",
  primary_crm_contact_key: "default:C1",
  market: "HK",
  last_inbound_at: null,
  days_since_treatment: 9999,
  treated_in_outcome: false,
  label_observed: true,
  churned: false,
  values: {},
  ...over,
});

describe("churn dataset", () => {
  it("chooses weekly as-of dates whose outcome window is fully observed", () => {
    const d = chooseAsOfDates(new Date("2026-01-01T00:00:00Z"), new Date("2026-06-30T12:00:00Z"), { horizonDays: 60 });
    expect(d.at(-1)!.toISOString()).toBe("2026-05-01T00:00:00.000Z");
    expect(d[0]!.getTime()).toBeGreaterThanOrEqual(Date.parse("2026-02-12T00:00:00Z"));
    expect(d.every((x, i) => i === 0 || x.getTime() - d[i - 1]!.getTime() === 7 * 86_400_000)).toBe(true);
  });

  it("splits out of time, purging training outcomes that overlap the test date", () => {
    const dates = Array.from({ length: 20 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + 7 * i)).toISOString());
    const s = splitOutOfTime(dates, { horizonDays: 60, testDates: 1, calibrationDates: 2 })!;
    expect(s.purged).toBe(true);
    expect(s.test).toEqual([dates[19]]);
    const firstTest = Date.parse(s.test[0]!);
    for (const d of [...s.train, ...s.calibration])
      expect(Date.parse(d) + 60 * 86_400_000).toBeLessThanOrEqual(firstTest);
    expect(s.train.at(-1)! < s.calibration[0]!).toBe(true);
    const short = splitOutOfTime(dates.slice(0, 6), { horizonDays: 60 })!;
    expect(short.purged).toBe(false);
    expect(splitOutOfTime(dates.slice(0, 3), { horizonDays: 60 })).toBeNull();
  });

  it("leaves out treated customers and unobserved labels (leakage guard)", () => {
    const { rows, report } = eligibleRows(
      [row({}), row({ days_since_treatment: 10 }), row({ treated_in_outcome: true }), row({ label_observed: false })],
      { treatmentLookbackDays: 60 },
    );
    expect(rows).toHaveLength(1);
    expect(report).toEqual({ total: 4, unobserved: 1, treatedBefore: 1, treatedInOutcome: 1, eligible: 1 });
  });

  it("maps bands and R16/R27 segments to actions and namespaced tags", () => {
    expect(bandOf(0.7, { high: 0.5, medium: 0.25 })).toBe("high");
    expect(bandOf(0.3, { high: 0.5, medium: 0.25 })).toBe("medium");
    expect(recommend("high", row({ values: { product_questions_7d: 0 } })).tags).toEqual([
      "scrm:churn-risk-high",
      "scrm:action-winback-15",
    ]);
    expect(recommend("low", row({ values: { product_questions_7d: 3 } })).action).toMatch(/10%/);
    expect(recommend("low", row({ values: { active_days_30d: 2, days_since_last_inbound: 5 } })).segment).toBe(
      "potential",
    );
    expect(recommend("low", row({ values: { active_days_30d: 0, days_since_last_inbound: 70 } })).action).toMatch(
      /low-priority/,
    );
  });

  it("keeps every feature that reads WhatsApp data out of the orders-only set", () => {
    const ordersOnly = featureNames("orders_only");
    const whatsapp = new Set(FEATURES.filter((f) => f.whatsapp).map((f) => f.name));
    expect(ordersOnly.filter((n) => whatsapp.has(n))).toEqual([]);
    // tenure and last activity also read the first / last message
    expect(whatsapp.has("tenure_days") && whatsapp.has("days_since_last_activity")).toBe(true);
    expect(ordersOnly).toEqual(
      expect.arrayContaining(["days_since_last_order", "order_overdue_ratio", "crm_tenure_days"]),
    );
    expect(featureNames("whatsapp_and_orders")).toHaveLength(FEATURES.length);
  });

  it("regularises few-column forests with balanced bagging and leaves spanning many customers", () => {
    const few = forestGrid(FEW_COLUMNS - 1, 17);
    for (const g of few) expect(g.bagging).toBe("balanced");
    expect(few.map((g) => g.treeOptions?.minNumSamples)).toEqual([20, 170, 340]);
    for (const g of forestGrid(FEW_COLUMNS, 17)) expect(g.bagging).toBeUndefined();
    expect(new Set(forestGrid(40, 5).map((g) => JSON.stringify(g))).size).toBe(3);
  });

  it("splits customers into two stable folds for the settings search", () => {
    const keys = Array.from({ length: 400 }, (_, i) => `+8529${String(i).padStart(7, "0")}`);
    const folds = keys.map(customerFold);
    expect(folds).toEqual(keys.map(customerFold));
    const ones = folds.filter((f) => f === 1).length;
    expect(ones).toBeGreaterThan(150);
    expect(ones).toBeLessThan(250);
  });

  it("chooses forest settings on calibration rows of customers the candidate never saw", () => {
    const make = (date: string, n: number) =>
      Array.from({ length: n }, (_, i) =>
        row({
          as_of_at: date,
          customer_key: `c${i}`,
          churned: i % 3 === 0,
          values: { days_since_last_order: i % 3 === 0 ? 90 + (i % 7) : i % 11 },
        }),
      );
    const train = [...make("2026-06-01T00:00:00.000Z", 300), ...make("2026-06-04T00:00:00.000Z", 300)];
    const cal = make("2026-06-07T00:00:00.000Z", 300);
    const grid = forestGrid(3, 2).map((g) => ({ ...g, maxFeatures: 1, nEstimators: 5 }));
    const { chosen, tuning } = chooseForest(train, cal, ["days_since_last_order"], [], grid);
    expect(tuning).toHaveLength(3);
    expect(grid).toContain(chosen);
    for (const t of tuning) expect(t.validationRocAuc).toBeGreaterThan(0.9);
  });

  it("loads SQL by name and accepts integers only", () => {
    expect(loadSql("churn_features", { HORIZON_DAYS: 60, ACTIVE_DAYS: 120 })).toContain("interval (60) day");
    expect(() => loadSql("churn_features", { HORIZON_DAYS: 1.5, ACTIVE_DAYS: 1 })).toThrow();
    expect(() => loadSql("churn_features")).toThrow(/no value/);
  });
});
