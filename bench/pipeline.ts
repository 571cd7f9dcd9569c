/**
 * `npm run bench`: the whole pipeline at two demo scales (about 10x apart), each stage's time,
 * the growth factor between scales, and the loader against a bare-DuckDB baseline that reads
 * the same landed files in the same run. Speed lives here, never in tests.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseConfig } from "../core/config.ts";
import { homeLayout } from "../core/home.ts";
import { consoleLogger, formatDuration } from "../core/log.ts";
import { noProgress } from "../core/progress.ts";
import { textTable } from "../core/text-table.ts";
import { withWarehouse } from "../core/warehouse.ts";
import { listLanded } from "../ingest/load/landing-files.ts";
import { stepMl } from "../ml/cli.ts";
import { stepDashboards, stepDemo, stepIngest, stepTransform, type PipelineContext } from "../scheduler/pipeline.ts";
import { bareNdjsonLoad } from "./bare-duckdb.ts";

const { values } = parseArgs({
  options: {
    // about 20k and 200k messages over 150 days (long enough for the churn model to train)
    small: { type: "string", default: "530" },
    large: { type: "string", default: "5300" },
    days: { type: "string", default: "150" },
    keep: { type: "boolean", default: false },
  },
});

interface ScaleResult {
  customers: number;
  messages: number;
  stages: Record<string, number>;
  baselineMs: number;
  baselineRows: number;
  webhookLoadMs: number;
  webhookRows: number;
}

async function runScale(customers: number, days: number): Promise<ScaleResult> {
  const dir = mkdtempSync(join(tmpdir(), `scrm-bench-${customers}-`));
  const ctx: PipelineContext = {
    loaded: { config: parseConfig({}, "bench", {}), home: homeLayout(dir), file: null },
    log: consoleLogger(),
    progress: noProgress,
    now: () => new Date("2026-11-01T00:00:00Z"),
  };
  try {
    const stages: Record<string, number> = {};
    stages.demo = (await stepDemo(ctx, { customers, days, end: new Date("2026-11-01T00:00:00Z") })).ms;
    const ingest = await stepIngest(ctx);
    stages.ingest = ingest.ms;
    const webhooks = ingest.sources!.find((r) => r.source === "webhooks")!;
    const files = listLanded(dir, ctx.loaded.home.landing.webhooks).map((f) => f.abs);
    const baseline = await bareNdjsonLoad(files, join(dir, "bare.duckdb"));
    stages.transform = (await stepTransform(ctx)).ms;
    stages.ml = (await stepMl(ctx)).ms;
    stages.dashboards = (await stepDashboards(ctx)).ms;
    const messages = await withWarehouse(ctx.loaded.home.warehouse, { readOnly: true }, (wh) =>
      wh.scalar<number>("select count(*)::double from marts.fct_messages"),
    );
    return {
      customers,
      messages: Number(messages),
      stages,
      baselineMs: baseline.ms,
      baselineRows: baseline.rows,
      webhookLoadMs: webhooks.ms,
      webhookRows: webhooks.loaded,
    };
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

const days = Number(values.days);
const small = await runScale(Number(values.small), days);
const large = await runScale(Number(values.large), days);
const stageNames = Object.keys(small.stages);
const rows = stageNames.map((s) => [
  s,
  formatDuration(small.stages[s]!),
  formatDuration(large.stages[s]!),
  (large.stages[s]! / small.stages[s]!).toFixed(2) + "x",
]);
rows.push([
  "bare DuckDB read of the same webhook files (baseline)",
  formatDuration(small.baselineMs),
  formatDuration(large.baselineMs),
  (large.baselineMs / small.baselineMs).toFixed(2) + "x",
]);
process.stdout.write(
  [
    `pipeline benchmark: ${days} simulated days; ${small.customers} vs ${large.customers} customers`,
    `messages in marts.fct_messages: ${small.messages.toLocaleString("en-US")} vs ${large.messages.toLocaleString("en-US")} (${(large.messages / small.messages).toFixed(1)}x)`,
    "",
    textTable(["stage", "small", "large", "growth"], rows).replace(/\n\(\d+ rows?\)$/, ""),
    "",
    ...[small, large].map(
      (r) =>
        `webhook loading, ${r.customers} customers: ${r.webhookRows.toLocaleString("en-US")} POSTs in ${formatDuration(r.webhookLoadMs)} ` +
        `= ${(r.webhookRows / r.webhookLoadMs / (r.baselineRows / r.baselineMs)).toFixed(2)} of bare DuckDB's speed (checks, quarantine and ledger included)`,
    ),
    "",
  ].join("\n"),
);
