import { existsSync, readdirSync, renameSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { WAREHOUSE_STORAGE_VERSION, withWarehouse } from "../../../core/warehouse.ts";
import {
  listLandingFiles,
  compressLoadedLanding,
  warehouseFingerprint,
  archiveToParquet,
} from "../../../scheduler/archive.ts";
import { backupWarehouse, rebuildWarehouse, restoreWarehouse } from "../../../scheduler/maintenance.ts";
import { tempHome } from "../../helpers/temp-home.ts";
import {
  fakeIngest,
  fakeRegistry,
  fakeTransform,
  landCrmSnapshot,
  landLeads,
  landOutbound,
  landWebhooks,
  messageBody,
  testContext,
} from "./helpers.ts";

describe("history: compressed landing, rebuild equality, backup and restore, Parquet archive", () => {
  const { home, cleanup } = tempHome("scrm-rebuild-");
  afterAll(() => cleanup());
  const ctx = testContext(home, { now: () => new Date("2026-10-05T00:00:00Z") });
  const step = (fn: typeof fakeIngest) =>
    fn({ ...ctx, job: "t", runId: "t", dbtSelect: [], signal: new AbortController().signal });

  it("builds incrementally over several batches, then gzips the loaded files (R12)", async () => {
    landWebhooks(
      home,
      [messageBody("85261234567", "hi", "w1"), messageBody("85262345678", "price?", "w2")],
      new Date("2026-09-01T01:00:00Z"),
      "a",
    );
    landCrmSnapshot(home, "20260901T010000000Z", [{ id: "c1", full_name: "Amy", phone: "+852 6123 4567" }]);
    await step(fakeIngest);
    landWebhooks(
      home,
      [messageBody("85261234567", "discount?", "w3"), "{bad json"],
      new Date("2026-09-02T01:00:00Z"),
      "b",
    );
    landOutbound(home, ["85261234567", "85262345678"], new Date("2026-09-02T02:00:00Z"));
    landLeads(home, ["L1,2026-09-02T00:00:00Z,whatsapp,,+85262345678,HK,", "L2,not-a-date,line,,,,"]);
    await step(fakeIngest);
    await step(fakeTransform);
    const r = await compressLoadedLanding(home, { now: new Date(Date.now() + 1000), olderThanHours: 0 });
    expect(r.files).toBe(3);
    expect(r.bytesAfter).toBeLessThan(r.bytesBefore);
    const files = listLandingFiles(home.root, home.landing.webhooks);
    expect(files.every((f) => f.compressed && f.rel.endsWith(".ndjson"))).toBe(true);
    // A second ingest sees nothing new: compressed files are not listed for loading again.
    const again = await step(fakeIngest);
    expect(again.rowsIn).toBe(0);
  });

  it("`scrm rebuild` replays the whole landing zone into a fresh warehouse equal to the incremental one", async () => {
    const before = await warehouseFingerprint(home.warehouse, ["raw", "marts"]);
    expect(before["raw.webhook_receipts"]!.rows).toBe(3);
    expect(before["raw.quarantine"]!.rows).toBe(2);
    expect(before["marts.fct_messages"]!.rows).toBe(3);
    const r = await rebuildWarehouse(ctx, { registry: fakeRegistry() });
    expect(r.transformed).toBe(true);
    const after = await warehouseFingerprint(home.warehouse, ["raw", "marts"]);
    expect(after).toEqual(before);
    // The run history survives the rebuild; the old file is kept beside it.
    expect(r.previous && existsSync(r.previous)).toBeTruthy();
    expect(Object.keys(await warehouseFingerprint(home.warehouse, ["ops"]))).toContain("ops.archive_log");
  });

  it("`scrm backup` / `scrm restore` round-trip the warehouse, checked table by table", async () => {
    const before = await warehouseFingerprint(home.warehouse, ["raw", "marts", "ops"]);
    const b = await backupWarehouse(ctx);
    expect(readdirSync(b.dir)).toContain("scrm-backup.json");
    await withWarehouse(home.warehouse, {}, (wh) =>
      wh.run("delete from raw.webhook_receipts; drop table marts.fct_messages"),
    );
    await restoreWarehouse(ctx, b.dir);
    expect(await warehouseFingerprint(home.warehouse, ["raw", "marts", "ops"])).toEqual(before);
  });

  it("`scrm backup` / `scrm restore` rewrite a warehouse from before the current file format in it", async () => {
    const formatOf = () =>
      withWarehouse(home.warehouse, { readOnly: true }, (wh) =>
        wh.scalar<string>(
          "select tags['storage_version'] from duckdb_databases() where database_name = current_database()",
        ),
      );
    // a warehouse as DuckDB's default writes it (the format of files created before the change)
    const old = `${home.warehouse}.v1.0.duckdb`;
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    await conn.run(`attach '${home.warehouse}' as cur (read_only); attach '${old}' as old (storage_version 'v1.0.0')`);
    await conn.run("copy from database cur to old");
    conn.closeSync();
    db.closeSync();
    const before = await warehouseFingerprint(home.warehouse, ["raw", "marts", "ops"]);
    renameSync(old, home.warehouse);
    expect(await formatOf()).toBe("v1.0.0+");
    await restoreWarehouse(ctx, (await backupWarehouse(ctx, { dir: `${home.root}/backups/upgrade` })).dir);
    expect(await formatOf()).toBe(`${WAREHOUSE_STORAGE_VERSION}+`);
    expect(await warehouseFingerprint(home.warehouse, ["raw", "marts", "ops"])).toEqual(before);
  });

  it("archives rows older than the retention period to Parquet, still queryable, deleting nothing", async () => {
    const later = new Date("2027-03-15T00:00:00Z"); // 180 days after 2026-09-16
    const r = await archiveToParquet(home, { now: later, retentionDays: 180 });
    expect(r.tables.webhook_receipts).toBe(3);
    const [row] = await withWarehouse(home.warehouse, { readOnly: true }, (wh) =>
      wh.rows<{ a: number; raw: number }>(
        "select (select count(*) from archive.webhook_receipts)::int as a, (select count(*) from raw.webhook_receipts)::int as raw",
      ),
    );
    expect(row).toEqual({ a: 3, raw: 3 });
  });
});
