import { readFileSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HomeLayout } from "../../../core/home.ts";
import { silentLogger } from "../../../core/log.ts";
import { PROJECT_ROOT } from "../../../core/project.ts";
import { Warehouse } from "../../../core/warehouse.ts";
import { snapshotSqliteCrm } from "../../../ingest/crm/sqlite-snapshot.ts";
import { loadLanded } from "../../../ingest/load/loader.ts";
import { tempHome } from "../../helpers/temp-home.ts";

function makeCrm(path: string): SQLite.Database {
  const db = new SQLite(path);
  db.exec(readFileSync(join(PROJECT_ROOT, "ingest/crm/crm-schema.sql"), "utf8"));
  const contact = db.prepare(
    "insert into contacts (id, full_name, phone, country, marketing_opt_in, created_at, updated_at) values (?, ?, ?, ?, 1, ?, ?)",
  );
  contact.run("C1", "Chan Tai Man", "9123 4567", "HK", "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.001Z");
  contact.run("C2", "김민준", "010-1234-5678", "KR", "2026-01-02T00:00:00.000Z", "2026-01-02T00:00:00.000Z");
  db.prepare(
    "insert into products values ('APL-IP15PM', 'iPhone 15 Pro Max', 'Apple', 'phone', 1199, 'USD', '2026-01-01T00:00:00.000Z')",
  ).run();
  db.prepare(
    "insert into orders values ('O1', 'C1', '2026-01-03T10:00:00.000Z', 'paid', 'card', 'whatsapp', null, 'USD', 1199, '2026-01-03T10:00:00.000Z')",
  ).run();
  db.prepare("insert into order_items values ('O1', 1, null, 'iPhone15 Pro Max', 1, 1199)").run();
  return db;
}

describe("SQL CRM snapshots", () => {
  let home: HomeLayout;
  let cleanup: () => void;
  beforeEach(() => ({ home, cleanup } = tempHome()));
  afterEach(() => cleanup());

  it("takes incremental snapshots that load each record version once, keeping history at ms precision", async () => {
    const dbPath = join(home.root, "crm.sqlite");
    const crm = makeCrm(dbPath);
    const snap = (iso: string) =>
      snapshotSqliteCrm({ dbPath, landingRoot: home.landing.root, crmName: "default", now: new Date(iso) });

    const first = await snap("2026-01-05T00:00:00.000Z");
    expect(first.counts).toEqual({ contacts: 2, products: 1, orders: 1, order_items: 1 });
    expect((await snap("2026-01-06T00:00:00.000Z")).snapshotId).toBeNull();

    // Changes a millisecond apart are distinct versions; the unchanged record is not re-landed.
    crm
      .prepare(
        "update contacts set full_name = 'CHAN Tai-man', updated_at = '2026-01-07T00:00:00.001Z' where id = 'C1'",
      )
      .run();
    crm
      .prepare("update contacts set updated_at = '2026-01-07T00:00:00.000Z', customer_grade = 'VIP' where id = 'C2'")
      .run();
    const third = await snap("2026-01-08T00:00:00.000Z");
    expect(third.counts.contacts).toBe(2);
    crm.close();

    const wh = await Warehouse.open(home.warehouse);
    try {
      await loadLanded(wh, home, silentLogger);
      await loadLanded(wh, home, silentLogger);
      const versions = await wh.rows<{ record_id: string; full_name: string; updated_at: string }>(
        "select record_id, full_name, strftime(updated_at, '%Y-%m-%dT%H:%M:%S.%g') as updated_at from raw.crm_contacts order by record_id, updated_at",
      );
      expect(versions).toEqual([
        { record_id: "C1", full_name: "Chan Tai Man", updated_at: "2026-01-01T00:00:00.001" },
        { record_id: "C1", full_name: "CHAN Tai-man", updated_at: "2026-01-07T00:00:00.001" },
        { record_id: "C2", full_name: "김민준", updated_at: "2026-01-02T00:00:00.000" },
        { record_id: "C2", full_name: "김민준", updated_at: "2026-01-07T00:00:00.000" },
      ]);
      expect(Number(await wh.scalar("select count(*) from raw.crm_order_items"))).toBe(1);
      expect(Number(await wh.scalar("select count(*) from raw.load_ledger where source = 'crm'"))).toBe(2);
    } finally {
      wh.close();
    }
  });
});
