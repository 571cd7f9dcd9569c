import { join } from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { HomeLayout } from "../../../core/home.ts";
import { silentLogger } from "../../../core/log.ts";
import { Warehouse } from "../../../core/warehouse.ts";
import { MappingError, parseMapping, type CrmMapping } from "../../../ingest/crm/mapping.ts";
import { snapshotCrm } from "../../../ingest/crm/snapshot.ts";
import { SqlCrmConnector } from "../../../ingest/crm/sql-connector.ts";
import {
  desiredChanges,
  enqueueDesiredTags,
  ensureWritebackSchema,
  processOutbox,
} from "../../../ingest/crm/writeback-core.ts";
import { loadLanded } from "../../../ingest/load/loader.ts";
import { tempHome } from "../../helpers/temp-home.ts";
import { postgresAvailable, postgresRequired, startPostgres, type PostgresServer } from "./postgres-server.ts";

/** An in-house CRM whose names differ from ours: the mapping file bridges them. */
const MAPPING: CrmMapping = parseMapping(
  {
    contacts: {
      table: "customers",
      id: "cust_no",
      updatedAt: "modified_at",
      fields: {
        full_name: ["name_first", "name_last"],
        phone: "mobile",
        country: "country_name",
        customer_grade: "grade",
        tags: "labels",
        marketing_opt_in: "opted_in",
      },
      defaults: { customer_grade: "new customer" },
      required: ["full_name"],
    },
    orders: {
      table: "sales",
      id: "sale_id",
      updatedAt: "modified_at",
      fields: { contact_id: "cust_no", ordered_at: "sold_at", status: "state", total_amount: "amount" },
    },
    tags: { column: "labels", namespace: "scrm:" },
  },
  "test",
);

const CONTACTS: Array<[string, string, string, string, string, string | null, string | null, string, string]> = [
  ["K1", "Chan", "Tai Man", "9123 4567", "Hong Kong", null, "vip;scrm:old", "yes", "2026-01-01T00:00:00.001Z"],
  ["K2", "Lin", "Mei", "0912-345-678", "TW", "gold", null, "no", "2026-01-01T00:00:00.002Z"],
  ["K3", "Silva", "Ana", "(11) 8765-4321", "Brasil", "", null, "1", "2026-01-01T00:00:00.003Z"],
  ["K4", "", "", "not a phone", "Atlantis", null, null, "maybe", "2026-01-01T00:00:00.004Z"],
];

interface Db {
  exec(sql: string): Promise<void>;
  query(sql: string, params: unknown[]): Promise<void>;
  close(): Promise<void>;
}

function schemaSql(ts: string): string {
  return `create table customers (cust_no varchar(20) primary key, name_first text, name_last text, mobile text,
      country_name text, grade text, labels text, opted_in text, modified_at ${ts} not null);
    create table sales (sale_id varchar(20) primary key, cust_no varchar(20), sold_at ${ts}, state text,
      amount numeric(12,2), modified_at ${ts} not null);`;
}

async function seed(db: Db, ph: (i: number) => string): Promise<void> {
  for (const c of CONTACTS) {
    await db.query(
      `insert into customers values (${[1, 2, 3, 4, 5, 6, 7, 8, 9].map(ph).join(",")})`,
      c.map((v) => (v === "" ? "" : v)),
    );
  }
  await db.query(`insert into sales values (${[1, 2, 3, 4, 5, 6].map(ph).join(",")})`, [
    "S1",
    "K1",
    "2026-01-02T10:00:00.000Z",
    "paid",
    1199.5,
    "2026-01-02T10:00:00.000Z",
  ]);
}

function scenario(name: string, open: () => Promise<{ url: string; db: Db; ph: (i: number) => string }>) {
  describe(`SQL CRM connector on ${name}`, () => {
    let home: HomeLayout;
    let cleanup: () => void;
    beforeEach(() => ({ home, cleanup } = tempHome()));
    afterEach(() => cleanup());

    it("refuses a mapping that names a missing table or column, naming it", async () => {
      const { url, db } = await open();
      try {
        const bad = parseMapping(
          {
            ...MAPPING,
            contacts: { ...MAPPING.contacts, fields: { ...MAPPING.contacts.fields, email: "e_mail" } },
            orders: { ...MAPPING.orders!, table: "deals" },
          },
          "test",
        );
        const conn = SqlCrmConnector.open(url, bad);
        try {
          const err = await conn.validate().catch((e: unknown) => e);
          expect(err).toBeInstanceOf(MappingError);
          expect((err as Error).message).toContain('column "e_mail" does not exist in table "customers"');
          expect((err as Error).message).toContain('table "deals" does not exist');
        } finally {
          await conn.close();
        }
      } finally {
        await db.close();
      }
    });

    it("writes back only our namespaced tags, idempotently, keeping failures in the outbox", async () => {
      const { url, db } = await open();
      const wh = await Warehouse.open(home.warehouse);
      const connector = SqlCrmConnector.open(url, MAPPING);
      try {
        await ensureWritebackSchema(wh);
        await wh.run(
          "insert into crm_sync.desired_tags values ('inhouse', 'K1', 'scrm:high-interest'), ('inhouse', 'K3', 'churn-risk'), ('inhouse', 'K9', 'scrm:x')",
        );
        const run = async (dryRun: boolean) => {
          const enqueued = dryRun ? 0 : await enqueueDesiredTags(wh, "inhouse", "scrm:", { now: new Date() });
          const extra = dryRun ? await desiredChanges(wh, "inhouse", "scrm:") : [];
          return processOutbox(wh, connector, "inhouse", { dryRun, now: () => new Date(), enqueued, extra });
        };
        const first = await run(false);
        expect(first).toMatchObject({ enqueued: 3, written: 2, failed: 1 });
        const tags = await connector.readTags(["K1", "K2", "K3"]);
        expect(Object.fromEntries(tags)).toEqual({ K1: "vip;scrm:high-interest", K2: null, K3: "scrm:churn-risk" });
        const second = await run(false);
        expect(second).toMatchObject({ enqueued: 0, written: 0, failed: 1 });
        expect(second.records[0]).toMatchObject({ recordId: "K9", reason: "contact not found in the CRM" });
        // A person removes our tag in the CRM: the next run puts it back, leaving their tags alone.
        await db.exec("update customers set labels = 'vip;friend' where cust_no = 'K1'");
        await wh.run("delete from crm_sync.tag_state where record_id = 'K1'");
        const dry = await run(true);
        expect(dry.records.find((r) => r.recordId === "K1")).toMatchObject({
          outcome: "would-write",
          after: "vip;friend;scrm:high-interest",
        });
        expect(Object.fromEntries(await connector.readTags(["K1"]))).toEqual({ K1: "vip;friend" });
      } finally {
        await connector.close();
        wh.close();
        await db.close();
      }
    });

    it("snapshots incrementally into raw with E.164 phones, defaults, mapping errors, deletions, history", async () => {
      const { url, db, ph } = await open();
      const snap = async (iso: string) => {
        const connector = SqlCrmConnector.open(url, MAPPING);
        try {
          return await snapshotCrm({
            connector,
            landingRoot: home.landing.root,
            crmName: "inhouse",
            now: new Date(iso),
            defaultRegion: "HK",
          });
        } finally {
          await connector.close();
        }
      };
      try {
        const first = await snap("2026-01-05T00:00:00.000Z");
        expect(first.counts).toMatchObject({ contacts: 4, orders: 1 });
        expect(first.health).toMatchObject({ records: 4, mapping_error_records: 1, phones: 4, phones_failed: 1 });
        expect((await snap("2026-01-05T00:00:01.000Z")).snapshotId).toBeNull();

        await db.query(`update customers set grade = ${ph(1)}, modified_at = ${ph(2)} where cust_no = 'K1'`, [
          "VIP",
          "2026-01-06T00:00:00.001Z",
        ]);
        await db.exec("delete from customers where cust_no = 'K2'");
        const second = await snap("2026-01-07T00:00:00.000Z");
        expect(second.counts.contacts).toBe(2); // K1 changed, K4 re-read at the watermark (">=")

        const wh = await Warehouse.open(home.warehouse);
        try {
          await loadLanded(wh, home, silentLogger);
          await loadLanded(wh, home, silentLogger);
          const rows = await wh.rows<Record<string, string | boolean | null>>(
            `select record_id, full_name, customer_grade, phone_e164, phone_region, phone_error, country,
                    marketing_opt_in, mapping_errors, strftime(updated_at, '%Y-%m-%dT%H:%M:%S.%g') as updated_at
             from raw.crm_contacts order by record_id, updated_at`,
          );
          expect(rows.map((r) => [r.record_id, r.customer_grade, r.phone_e164, r.updated_at])).toEqual([
            ["K1", "new customer", "+85291234567", "2026-01-01T00:00:00.001"],
            ["K1", "VIP", "+85291234567", "2026-01-06T00:00:00.001"],
            ["K2", "gold", "+886912345678", "2026-01-01T00:00:00.002"],
            ["K3", "new customer", "+5511987654321", "2026-01-01T00:00:00.003"],
            ["K4", "new customer", null, "2026-01-01T00:00:00.004"],
          ]);
          const k4 = rows.find((r) => r.record_id === "K4")!;
          expect(k4.phone_error).toMatch(/NOT_A_NUMBER/);
          expect(k4.mapping_errors).toContain("full_name: empty");
          expect(k4.mapping_errors).toContain("country: unknown country: Atlantis");
          expect(k4.mapping_errors).toContain("marketing_opt_in: not a yes/no value");
          expect(rows[0]!.full_name).toBe("Chan Tai Man");
          expect(rows[0]!.country).toBe("HK");
          expect(rows[0]!.marketing_opt_in).toBe(true);
          const orders = await wh.rows<{ order_id: string; total_amount: number; contact_id: string }>(
            "select order_id, total_amount, contact_id from raw.crm_orders",
          );
          expect(orders).toEqual([{ order_id: "S1", total_amount: 1199.5, contact_id: "K1" }]);
          const deletions = await wh.rows("select entity, record_id, change, detected_by from raw.crm_deletions");
          expect(deletions).toEqual([
            { entity: "contacts", record_id: "K2", change: "deleted", detected_by: "id-set" },
          ]);
          const health = await wh.rows<{ mapping_error_rate: number; phone_failure_rate: number }>(
            "select mapping_error_rate, phone_failure_rate from raw.crm_sync_health order by snapshot_at",
          );
          expect(health[0]).toEqual({ mapping_error_rate: 0.25, phone_failure_rate: 0.25 });
        } finally {
          wh.close();
        }
      } finally {
        await db.close();
      }
    });
  });
}

scenario("SQLite", async () => {
  const { home } = tempHome("scrm-sqlite-");
  const path = join(home.root, "inhouse.sqlite");
  const sqlite = new SQLite(path);
  sqlite.exec(schemaSql("text"));
  const db: Db = {
    exec: async (s) => void sqlite.exec(s),
    query: async (s, p) => void sqlite.prepare(s).run(...(p as never[])),
    close: async () => void sqlite.close(),
  };
  await seed(db, () => "?");
  return { url: `sqlite:${path}`, db, ph: () => "?" };
});

describe.skipIf(!postgresAvailable && !postgresRequired)("PostgreSQL server", () => {
  let server: PostgresServer;
  let n = 0;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.stop());

  scenario("PostgreSQL", async () => {
    const dbName = `crm_${process.pid}_${++n}`;
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const url = server.url.replace(/\/postgres$/, `/${dbName}`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(schemaSql("timestamptz(3)"));
    const db: Db = {
      exec: async (s) => void (await client.query(s)),
      query: async (s, p) => void (await client.query(s, p)),
      close: () => client.end(),
    };
    await seed(db, (i) => `$${i}`);
    return { url, db, ph: (i) => `$${i}` };
  });
});
