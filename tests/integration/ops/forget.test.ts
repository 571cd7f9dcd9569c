import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { withWarehouse } from "../../../core/warehouse.ts";
import { archiveToParquet, compressLoadedLanding } from "../../../scheduler/archive.ts";
import { forgetPerson, subjectHash } from "../../../scheduler/forget.ts";
import { backupWarehouse } from "../../../scheduler/maintenance.ts";
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

// The person to forget, in the forms the number takes across the sources.
const FORMS = ["85291234567", "+85291234567", "91234567", "9123 4567", "9123-4567"];
const OTHER = "85262345678";

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? allFiles(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [],
  );
}

/** Every file's bytes (gzip decompressed), searched for each form of the number. */
function traces(root: string, forms: string[]): string[] {
  const hits: string[] = [];
  for (const f of allFiles(root)) {
    let buf = readFileSync(f);
    if (f.endsWith(".gz")) buf = gunzipSync(buf);
    const text = buf.toString("latin1");
    for (const form of forms) if (text.includes(form)) hits.push(`${f}: ${form}`);
  }
  return hits;
}

describe("`scrm forget <phone>` erases one person everywhere in the home folder", () => {
  const { home, cleanup } = tempHome("scrm-forget-");
  afterAll(() => cleanup());
  const ctx = testContext(home, { now: () => new Date("2027-04-01T00:00:00Z") });
  const run = (fn: typeof fakeIngest) =>
    fn({ ...ctx, job: "t", runId: "t", dbtSelect: [], signal: new AbortController().signal });

  it("starts with the person in landing files, raw, marts, backups, the Parquet archive and the DuckDB file", async () => {
    landWebhooks(
      home,
      [messageBody("85291234567", "my number is 9123 4567", "w1", "Zed"), messageBody(OTHER, "hello", "w2")],
      new Date("2026-09-01T01:00:00Z"),
      "a",
    );
    landWebhooks(home, [messageBody(OTHER, "call me on 9123-4567?", "w3")], new Date("2026-09-02T01:00:00Z"), "b");
    landOutbound(home, ["85291234567", OTHER], new Date("2026-09-02T02:00:00Z"));
    landCrmSnapshot(home, "20260901T010000000Z", [
      { id: "c-zed", full_name: "Zed", phone: "9123 4567" },
      { id: "c-amy", full_name: "Amy", phone: `+${OTHER}` },
    ]);
    landLeads(home, [
      "L1,2026-09-02T00:00:00Z,whatsapp,,+852 9123 4567,HK,c-zed",
      "L2,2026-09-02T00:00:00Z,line,,,HK,c-zed",
      `L3,2026-09-02T00:00:00Z,web,,+${OTHER},HK,c-amy`,
    ]);
    await run(fakeIngest);
    await run(fakeTransform);
    await compressLoadedLanding(home, { now: new Date(Date.now() + 1000), olderThanHours: 0 });
    await archiveToParquet(home, { now: ctx.now(), retentionDays: 180 });
    await backupWarehouse(ctx);
    await withWarehouse(home.warehouse, {}, (wh) => wh.run("checkpoint"));
    expect(traces(home.root, ["85291234567"]).length).toBeGreaterThan(3);
  });

  it("leaves no trace of any form of the number, keeps everyone else, and writes an audit entry", async () => {
    const r = await forgetPerson(ctx, "+852 9123 4567", { registry: fakeRegistry() });
    expect(r.contactIds).toEqual(["c-zed"]);
    expect(r.linesRemoved).toBe(
      2 /* webhooks a: w1; b: w3 mentions the number */ +
        1 /* outbound */ +
        1 +
        1 +
        1 /* contact, order, item */ +
        2 /* leads */,
    );
    expect(r.backupsReplaced).toBe(1);
    await withWarehouse(home.warehouse, {}, (wh) => wh.run("checkpoint"));

    expect(traces(home.root, FORMS)).toEqual([]);
    // Parquet pages are compressed: ask DuckDB too.
    const [p] = await withWarehouse(home.warehouse, { readOnly: true }, (wh) =>
      wh.rows<{ n: number }>(
        `select count(*)::int as n from read_parquet('${home.root}/**/*.parquet', union_by_name = true) t
         where regexp_matches(t::varchar, '91234567|9123 4567')`,
      ),
    );
    expect(p!.n).toBe(0);

    const rows = await withWarehouse(home.warehouse, { readOnly: true }, (wh) =>
      wh.rows<Record<string, number | string>>(
        `select (select count(*) from raw.webhook_receipts)::int as receipts,
                (select count(*) from raw.outbound_messages)::int as outbound,
                (select count(*) from raw.crm_contacts)::int as contacts,
                (select count(*) from raw.crm_orders)::int as orders,
                (select count(*) from raw.leads)::int as leads,
                (select count(*) from marts.fct_messages)::int as mart_messages,
                (select count(*) from archive.webhook_receipts)::int as archived,
                (select subject_hash from ops.forget_audit) as audit`,
      ),
    );
    expect(rows[0]).toEqual({
      receipts: 1,
      outbound: 1,
      contacts: 1,
      orders: 1,
      leads: 1,
      mart_messages: 1,
      archived: 1,
      audit: subjectHash(home.root, "+85291234567"),
    });
    // Untouched files stay byte-identical (the CRM products file, the watermark-free manifest).
    const manifest = join(home.landing.root, "crm", "default", "20260901T010000000Z", "manifest.json");
    expect(statSync(manifest).size).toBeGreaterThan(0);
  });
});
