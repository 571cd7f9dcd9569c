import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Warehouse } from "../../../core/warehouse.ts";
import {
  computeFeatures,
  ensureSchema,
  FEATURES,
  refreshSentiment,
  refreshTreatments,
} from "../../../ml/churn/features.ts";
import { scoreChurn } from "../../../ml/churn/score.ts";
import type { SavedChurnModel } from "../../../ml/churn/model.ts";
import { exportChurnList } from "../../../ml/exports/churn-list.ts";
import { trainForest } from "../../../ml/forest/index.ts";

/** A hand-built warehouse with the mart columns the ML code reads. */
const DAY = 86_400_000;
const T0 = Date.parse("2026-03-01T00:00:00Z");
const at = (day: number, hour = 10) => new Date(T0 + day * DAY + hour * 3_600_000).toISOString();

async function createMarts(wh: Warehouse): Promise<void> {
  await wh.run(`create schema marts;
    create table marts.fct_messages (message_id varchar, direction varchar, customer_key varchar, sent_at_utc timestamptz,
      sent_date_local date, text varchar, sender_kind varchar, template_name varchar, automation_id varchar, status varchar,
      delivered_at timestamptz, read_at timestamptz);
    create table marts.fct_orders (customer_key varchar, ordered_at_utc timestamptz, is_paid boolean, total_amount double, order_status varchar, updated_at timestamptz);
    create table marts.dim_customers (customer_key varchar, primary_crm_contact_key varchar, market_country varchar, crm_created_at timestamptz,
      phone_e164 varchar, email varchar, marketing_opt_in boolean, opt_in_at timestamptz, is_deleted_in_crm boolean);
    create table marts.fct_message_keywords (message_id varchar, customer_key varchar, sent_at_utc timestamptz, topic varchar);`);
}

let seq = 0;
async function inbound(wh: Warehouse, customer: string, day: number, text = "hello, thanks!"): Promise<void> {
  const id = `in${seq++}`;
  await wh.run(
    "insert into marts.fct_messages values ($1, 'inbound', $2, $3::timestamptz, $3::date, $4, 'customer', null, null, 'received', null, null)",
    [id, customer, at(day), text],
  );
  // the agent answers 30 minutes later and the customer reads our reply an hour after that
  await wh.run(
    "insert into marts.fct_messages values ($1, 'outbound', $2, $3::timestamptz, $3::date, 'ok', 'agent', null, null, 'read', $3::timestamptz, $4::timestamptz)",
    [`out${seq++}`, customer, at(day, 10.5), at(day, 11.5)],
  );
  if (/terrible|refund/.test(text))
    await wh.run("insert into marts.fct_message_keywords values ($1, $2, $3::timestamptz, 'complaint')", [
      id,
      customer,
      at(day),
    ]);
}

/** An order in its current version: `updatedDay` is when that version (its status) was written. */
async function order(wh: Warehouse, customer: string, day: number, amount: number, status: string, updatedDay: number) {
  await wh.run("insert into marts.fct_orders values ($1, $2::timestamptz, $3, $4, $5, $6::timestamptz)", [
    customer,
    at(day),
    status === "paid",
    amount,
    status,
    at(updatedDay, 12),
  ]);
}

describe("churn features, scores and exports on a small warehouse", () => {
  const dir = mkdtempSync(join(tmpdir(), "scrm-ml-"));
  const path = join(dir, "warehouse.duckdb");
  let wh: Warehouse;
  const customers = Array.from({ length: 40 }, (_, i) => `+85290000${String(i).padStart(3, "0")}`);

  beforeAll(async () => {
    wh = await Warehouse.open(path, { timezone: "UTC" });
    await createMarts(wh);
    await ensureSchema(wh);
    for (const [i, c] of customers.entries()) {
      await wh.run(
        "insert into marts.dim_customers values ($1, $2, 'HK', $3::timestamptz, $1, $4, $5, $3::timestamptz, false)",
        [
          c,
          `default:C${i}`,
          at(0),
          `c${i}@example.com`,
          i % 4 !== 0, // every 4th customer has no marketing opt-in
        ],
      );
      const lastDay = i < 20 ? 80 : 30 + (i % 10); // half stay active, half go silent after day ~30
      for (let d = i % 3; d <= lastDay; d += 4)
        await inbound(wh, c, d, i >= 20 && d > 25 ? "terrible service, I want a refund" : "hello, thanks!");
      if (i % 2 === 0) await order(wh, c, 10, 100, "paid", 10);
      if (i % 6 === 0) await order(wh, c, 25, 50, "paid", 25);
      if (i % 6 === 2) await order(wh, c, 12, 80, "cancelled", 13); // cancelled before the as-of dates below
    }
    await refreshSentiment(wh);
    await refreshTreatments(wh);
  });
  afterAll(() => {
    wh.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("computes every feature only from events before the as-of time (appending future rows changes nothing)", async () => {
    const asOf = [new Date(T0 + 40 * DAY)];
    const before = await computeFeatures(wh, asOf);
    expect(before.length).toBeGreaterThan(30);
    // an order placed before the as-of time whose status is only settled after it (paid on delivery)
    await order(wh, customers[8]!, 38, 70, "pending", 38);
    const withPending = await computeFeatures(wh, asOf);
    for (const c of customers.slice(0, 5)) {
      // future events: messages, reads of old messages, complaints, orders
      await inbound(wh, c, 45, "terrible, refund now");
      await order(wh, c, 41, 999, "paid", 41);
    }
    // status changes after the as-of time of orders placed before it: a refund, a cancellation, a payment
    await wh.run(
      "update marts.fct_orders set order_status = 'refunded', is_paid = false, updated_at = $2::timestamptz where customer_key = $1",
      [customers[6]!, at(43)],
    );
    await wh.run(
      "update marts.fct_orders set order_status = 'cancelled', is_paid = false, updated_at = $2::timestamptz where customer_key = $1 and ordered_at_utc > $3::timestamptz",
      [customers[12]!, at(44), at(20)],
    );
    await wh.run(
      "update marts.fct_orders set order_status = 'paid', is_paid = true, updated_at = $2::timestamptz where customer_key = $1 and ordered_at_utc = $3::timestamptz",
      [customers[8]!, at(42), at(38)],
    );
    await refreshSentiment(wh);
    const after = await computeFeatures(wh, asOf);
    const strip = (rows: typeof before) => rows.map((r) => ({ k: r.customer_key, v: r.values, m: r.market }));
    expect(strip(after)).toEqual(strip(withPending));
    expect(strip(withPending).filter((r) => r.k !== customers[8])).toEqual(
      strip(before).filter((r) => r.k !== customers[8]),
    );
    expect(Object.keys(before[0]!.values).sort()).toEqual(FEATURES.map((f) => f.name).sort());
  });

  it("derives the transaction features from orders known at the as-of time", async () => {
    const rows = await computeFeatures(wh, [new Date(T0 + 30 * DAY)]);
    const v = (i: number) => rows.find((r) => r.customer_key === customers[i])!.values;
    // customer 6: orders on day 10 (100) and day 25 (50), both at 10:00; as of day 30, 00:00
    expect(v(6).orders_total).toBe(2);
    expect(v(6).mean_order_gap_days).toBeCloseTo(15, 9);
    expect(v(6).order_overdue_ratio).toBeCloseTo((5 - 10 / 24) / 15, 9);
    expect(v(6).last_order_value_ratio).toBeCloseTo(0.5, 9);
    expect(v(6).order_tenure_days).toBeCloseTo(20 - 10 / 24, 9);
    expect(v(6).log_order_value_365d).toBeCloseTo(Math.log(151), 9);
    expect(v(6).order_months_365d).toBe(1);
    // customer 4: one order; customer 2: its day-12 order was cancelled on day 13
    expect(v(4).orders_total).toBe(1);
    expect(v(4).mean_order_gap_days).toBe(-1);
    expect(v(2).orders_total).toBe(1);
    // customer 1 never ordered
    expect(v(1).orders_total).toBe(0);
    expect(v(1).order_tenure_days).toBe(-1);
  });

  it("measures the silence against the customer's own rhythm of chat days", async () => {
    const rows = await computeFeatures(wh, [new Date(T0 + 40 * DAY)]);
    const v = (i: number) => rows.find((r) => r.customer_key === customers[i])!.values;
    // customer 20 wrote every 4 days from day 2 to day 30 (8 chat days, 4 days apart), 10:00 each
    expect(v(20).days_since_last_inbound).toBeCloseTo(10 - 10 / 24, 9);
    expect(v(20).inbound_overdue_ratio).toBeCloseTo((10 - 10 / 24) / 4, 9);
    // customer 0 is still active: its last chat day (day 36) is inside its usual gap
    expect(v(0).inbound_overdue_ratio).toBeCloseTo((4 - 10 / 24) / 4, 9);
  });

  it("labels churn as no inbound message and no order in the next 60 days", async () => {
    const rows = await computeFeatures(wh, [new Date(T0 + 20 * DAY)], { horizonDays: 60 });
    const byKey = new Map(rows.map((r) => [r.customer_key, r]));
    expect(byKey.get(customers[0]!)!.churned).toBe(false); // active until day 80
    // customers 20..39 stop at day 30..39 (and the 5 above got day-41/45 events), so they return within 60 days
    expect(byKey.get(customers[25]!)!.churned).toBe(false);
    const late = await computeFeatures(wh, [new Date(T0 + 50 * DAY)], { horizonDays: 20 });
    const l = new Map(late.map((r) => [r.customer_key, r]));
    expect(l.get(customers[25]!)!.churned).toBe(true); // silent from day ~35 on
    expect(l.get(customers[1]!)!.churned).toBe(false);
    expect(l.get(customers[1]!)!.label_observed).toBe(true);
    const unobserved = await computeFeatures(wh, [new Date(T0 + 70 * DAY)], { horizonDays: 60 });
    expect(unobserved.every((r) => !r.label_observed)).toBe(true);
  });

  it("scores, queues namespaced tags idempotently, keeps the hold-out out of tags and exports, and honours opt-in", async () => {
    // a tiny model trained on random rows: the plumbing is under test here, not the model
    const rows = await computeFeatures(wh, [new Date(T0 + 50 * DAY)], { horizonDays: 20 });
    const names = FEATURES.map((f) => f.name);
    const x = rows.map((r) => names.map((n) => r.values[n]!));
    const y = rows.map((r) => (r.churned ? 1 : 0));
    const forest = trainForest(x, y, { nEstimators: 10, seed: 1, replacement: false, maxFeatures: 0.5 });
    const model: SavedChurnModel = {
      kind: "scrm-churn",
      version: "churn-test",
      trainedAt: new Date(T0 + 60 * DAY).toISOString(),
      featureSet: "whatsapp_and_orders",
      featureNames: names,
      markets: [],
      columns: names,
      horizonDays: 20,
      activeDays: 120,
      forestOptions: {},
      forest: forest.toJSON(),
      platt: { kind: "platt", a: 1, b: -0.5 },
      reasons: names.map((feature, column) => ({ feature, column, importance: 1, retainedQuantiles: [0, 1, 2] })),
      bands: { high: 0.5, medium: 0.2 },
    };
    const mdir = join(dir, "models", "churn-test");
    mkdirSync(mdir, { recursive: true });
    writeFileSync(join(mdir, "model.json"), JSON.stringify(model));
    await wh.run(
      "insert into ml.model_runs (model_version, trained_at, status, model_path) values ('churn-test', $1::timestamptz, 'trained', $2)",
      [model.trainedAt, join(mdir, "model.json")],
    );
    await wh.run("insert into crm_sync.desired_tags values ('default', 'C0', 'scrm:segment-vip')"); // someone else's tag
    const now = new Date(T0 + 90 * DAY);
    const first = await scoreChurn(wh, now, { holdoutFraction: 0.3, holdoutSeed: 7 });
    expect(first.status).toBe("scored");
    const tags1 = await wh.rows<{ crm: string; record_id: string; tag: string }>(
      "select * from crm_sync.desired_tags order by all",
    );
    const second = await scoreChurn(wh, now, { holdoutFraction: 0.3, holdoutSeed: 7 });
    const tags2 = await wh.rows("select * from crm_sync.desired_tags order by all");
    expect(tags2).toEqual(tags1);
    expect(second.scored).toBe(first.scored);
    expect(tags1.every((t) => t.tag.startsWith("scrm:"))).toBe(true);
    expect(tags1.some((t) => t.tag === "scrm:segment-vip")).toBe(true);
    expect(Number(await wh.scalar("select count(*)::int from ml.churn_scores"))).toBe(first.scored);

    const held = await wh.rows<{ crm_record_id: string }>("select crm_record_id from ml.churn_scores where is_holdout");
    expect(held.length).toBe(first.holdout);
    expect(held.length).toBeGreaterThan(0);
    const tagged = new Set(
      tags1.filter((t) => t.tag.startsWith("scrm:churn") || t.tag.startsWith("scrm:action")).map((t) => t.record_id),
    );
    for (const h of held) expect(tagged.has(h.crm_record_id)).toBe(false);

    const exp = await exportChurnList(wh, join(dir, "exports"), now, { includeLow: true });
    expect(existsSync(exp.parquet!)).toBe(true);
    const csv = readFileSync(exp.csv!, "utf8").trim().split("\n");
    expect(csv[0]).toContain("crm_record_id,external_id,phone_e164,email,churn_risk,risk_band");
    const ids = csv.slice(1).map((l) => l.split(",")[0]);
    for (const h of held) expect(ids).not.toContain(h.crm_record_id);
    const noOptIn = customers.map((_, i) => `C${i}`).filter((_, i) => i % 4 === 0);
    for (const id of noOptIn) expect(ids).not.toContain(id);
    const all = await exportChurnList(wh, join(dir, "exports2"), now, { includeLow: true, includeNoOptIn: true });
    expect(all.rows).toBeGreaterThan(exp.rows);

    // Daily re-scoring keeps the same control group within a month (tags must not flap).
    const heldOn = async (day: Date) => {
      await scoreChurn(wh, day, { holdoutFraction: 0.3 });
      const rows = await wh.rows<{ customer_key: string }>(
        "select customer_key from ml.churn_scores where is_holdout and score_date = $1::date order by 1",
        [day.toISOString().slice(0, 10)],
      );
      return rows.map((r) => r.customer_key);
    };
    const dayA = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 10));
    const dayB = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 11));
    const heldA = await heldOn(dayA);
    expect(heldA.length).toBeGreaterThan(0);
    expect(await heldOn(dayB)).toEqual(heldA);
  });
});
