import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../core/config.ts";
import { silentLogger } from "../../core/log.ts";
import { noProgress } from "../../core/progress.ts";
import { PROJECT_ROOT } from "../../core/project.ts";
import { withWarehouse } from "../../core/warehouse.ts";
import { runPipeline, stepDemo, stepIngest, type PipelineContext, type StepReport } from "../../scheduler/pipeline.ts";
import { tempHome } from "../helpers/temp-home.ts";
import { describeSiteInBrowser } from "./site-checks.ts";

/**
 * The real pipeline (real DuckDB, real dbt, real site build) on a small seeded demo, then the
 * built site in a real browser. One home for both: building it is the slow part.
 */
const END = new Date("2026-10-01T00:00:00Z");

async function rowCounts(warehouse: string): Promise<Record<string, number>> {
  return withWarehouse(warehouse, { readOnly: true }, async (wh) => {
    const tables = await wh.rows<{ name: string }>(
      "select table_schema || '.' || table_name as name from information_schema.tables where table_schema in ('raw', 'marts') order by 1",
    );
    const out: Record<string, number> = {};
    for (const { name } of tables) out[name] = Number(await wh.scalar(`select count(*)::double from ${name}`));
    return out;
  });
}

describe("the pipeline end to end", () => {
  const { home, cleanup } = tempHome("scrm-e2e-");
  const ctx: PipelineContext = {
    loaded: { config: parseConfig({}, "test", {}), home, file: null },
    log: silentLogger,
    progress: noProgress,
    now: () => END,
  };
  let steps: StepReport[];
  let firstCounts: Record<string, number>;

  beforeAll(async () => {
    await stepDemo(ctx, { customers: 80, days: 35, end: END });
    steps = await runPipeline(ctx);
    firstCounts = await rowCounts(home.warehouse);
  });
  afterAll(() => cleanup());

  it("runs ingest, transform, ml and dashboards (the demo already exists, so it is not regenerated)", () => {
    expect(steps.map((s) => s.step)).toEqual(["ingest", "transform", "ml", "dashboards"]);
  });

  it("fills the raw tables and the first marts of each family", () => {
    for (const t of [
      "raw.webhook_receipts",
      "raw.outbound_messages",
      "raw.crm_contacts",
      "raw.crm_orders",
      "raw.ad_spend",
    ]) {
      expect(firstCounts[t], t).toBeGreaterThan(0);
    }
    for (const t of ["marts.fct_messages", "marts.dim_customers", "marts.fct_orders", "marts.agg_kpi_daily"]) {
      expect(firstCounts[t], t).toBeGreaterThan(0);
    }
  });

  it("loads nothing twice: a second ingest changes no row count", async () => {
    const again = await stepIngest(ctx);
    expect(again.detail).toMatch(/already loaded/);
    expect(await rowCounts(home.warehouse)).toEqual(firstCounts);
  });

  it("accounts for every landed line: loaded + quarantined = lines", async () => {
    const [acc] = await withWarehouse(home.warehouse, { readOnly: true }, (wh) =>
      wh.rows<{ lines: number; loaded: number; quarantined: number }>(
        "select sum(lines)::double as lines, sum(loaded_rows)::double as loaded, sum(quarantined_rows)::double as quarantined from raw.load_ledger where source <> 'crm'",
      ),
    );
    expect(acc!.lines).toBe(acc!.loaded + acc!.quarantined);
  });

  it("builds an offline site with no downloaded modules", () => {
    expect(existsSync(join(home.site, "index.html"))).toBe(true);
    expect(existsSync(join(home.site, "_npm"))).toBe(false);
    expect(readFileSync(join(home.site, "index.html"), "utf8")).not.toMatch(
      /https?:\/\/(?!127\.0\.0\.1|localhost)[a-z]/i,
    );
  });

  it("answers analysts through `scrm sql`, with marts.<name>", async () => {
    const res = await execa("node", [
      join(PROJECT_ROOT, "bin/scrm.js"),
      "--home",
      home.root,
      "sql",
      "select count(*) as messages from marts.fct_messages",
    ]);
    expect(res.stdout).toMatch(/messages\n-+\n\s*\d+\n\(1 row\)/);
  });
  describeSiteInBrowser(() => home);
});
