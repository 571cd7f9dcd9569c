import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../../core/project.ts";
import { withWarehouse } from "../../../core/warehouse.ts";
import { describeDbtFailure, PIPELINE_BUILD, runDbt, type DbtRunResult } from "../../../scheduler/dbt.ts";
import { tempHome } from "../../helpers/temp-home.ts";

/**
 * Data tests on the large models check only rows written since the last build that passed whole
 * (models/macros/tests/tested_rows.sql): a row that passed once is not tested again, a row written
 * since is, and a failed build leaves its rows in scope for the next one.
 */
function outbound(line: number, id: string, sentAt: string): string {
  return `insert into raw.outbound_messages (file, line_no, message_id, sent_at, phone_number_id, recipient_wa_id,
            sender_kind, template_name, template_category, template_language, message_type, loaded_at)
          values ('outbound/2026-10-01.ndjson', ${line}, '${id}', '${sentAt}', '100', '85291234567',
            'automation', 'order_update', 'utility', 'en', 'template', '2026-10-01 12:00:00+00')`;
}

describe("data tests scoped to the rows a build wrote", () => {
  const { home, cleanup } = tempHome("scrm-scoped-");
  const opts = { warehouse: home.warehouse, timezone: "UTC", currency: "USD", threads: 2, workDir: home.dbt };
  const testMessages = (...extra: string[]) => runDbt(["test", "-s", "fct_messages", ...extra], opts);
  const failedTests = (run: DbtRunResult) =>
    run.nodes.filter((n) => n.status === "fail").map((n) => n.uniqueId.split(".")[2]);
  const passingBuilds = () =>
    withWarehouse(home.warehouse, { readOnly: true }, (wh) =>
      wh.scalar("select count(*)::integer from main.dbt_passing_builds"),
    );
  const sql = (statement: string) => withWarehouse(home.warehouse, {}, (wh) => wh.run(statement));
  const duplicate = `insert into marts.fct_messages select * from marts.fct_messages where message_id = 'wamid.A1'`;

  beforeAll(async () => {
    await withWarehouse(home.warehouse, {}, async (wh) => {
      await wh.runFile(join(PROJECT_ROOT, "ingest/load/sql/raw-schema.sql"));
      await wh.run(outbound(1, "wamid.A1", "2026-10-01 08:00:00+00"));
      await wh.run(outbound(2, "wamid.A2", "2026-10-01 10:00:00+00"));
    });
    const build = await runDbt([...PIPELINE_BUILD], opts);
    if (build.exitCode !== 0) throw new Error(describeDbtFailure(build));
  }, 300_000);
  afterAll(() => cleanup());

  it("records a passing build and stamps the rows it wrote", async () => {
    expect(await passingBuilds()).toBe(1);
    const stamps = await withWarehouse(home.warehouse, { readOnly: true }, (wh) =>
      wh.scalar(
        `select count(*)::integer from marts.fct_messages
         where built_at = (select max(started_at) from main.dbt_passing_builds)`,
      ),
    );
    expect(stamps).toBe(2);
  });

  it("does not test again a row that passed, unless asked to test all rows", async () => {
    await sql(duplicate);
    const scoped = await testMessages();
    expect(scoped.exitCode).toBe(0);
    const all = await testMessages("--vars", "{test_all_rows: true}");
    expect(failedTests(all)).toEqual(["unique_fct_messages_message_id"]);
  }, 120_000);

  it("tests every row written since the last passing build, keys against the whole table", async () => {
    // the copy now counts as written after the build: its key collides with the older row
    await sql(
      `update marts.fct_messages set built_at = now(), direction = 'sideways'
       where message_id = 'wamid.A1' and rowid = (select max(rowid) from marts.fct_messages)`,
    );
    const run = await testMessages();
    expect(failedTests(run).sort()).toEqual(["accepted_values_columns_fct_messages", "unique_fct_messages_message_id"]);
  }, 120_000);

  it("records no passing build while a test fails, so the bad rows stay in scope", async () => {
    const build = await runDbt([...PIPELINE_BUILD], opts);
    expect(build.exitCode).not.toBe(0);
    expect(failedTests(build)).toContain("unique_fct_messages_message_id");
    expect(await passingBuilds()).toBe(1);
    expect(failedTests(await testMessages())).toContain("unique_fct_messages_message_id");
  }, 300_000);

  it("reads only new child rows of a relationship whose parent never loses a key, every row otherwise", async () => {
    const changesToReceipts =
      "relationships_stg_whatsapp__changes_receipt_id__receipt_id__source_raw_webhook_receipts_";
    const testChanges = async (...extra: string[]) =>
      failedTests(await runDbt(["test", "-s", "stg_whatsapp__changes", ...extra], opts));
    // a change whose landed receipt does not exist, written before the last passing build
    await sql(
      `insert into staging.stg_whatsapp__changes by name
       select 'receipt-never-landed' as receipt_id, timestamptz '2000-01-01' as built_at`,
    );
    expect(await testChanges()).not.toContain(changesToReceipts);
    expect(await testChanges("--vars", "{test_all_rows: true}")).toContain(changesToReceipts);
    await sql(`update staging.stg_whatsapp__changes set built_at = now() where receipt_id = 'receipt-never-landed'`);
    expect(await testChanges()).toContain(changesToReceipts);
    // dim_customers is rebuilt every run and can lose a key: old fct_messages rows are read too
    await sql(`update marts.fct_messages set built_at = timestamptz '2000-01-01'`);
    await sql(`delete from marts.dim_customers`);
    expect(failedTests(await testMessages())).toContain(
      "relationships_fct_messages_customer_key__customer_key__ref_dim_customers_",
    );
  }, 300_000);
});
