import { createInterface } from "node:readline";
import { Command, InvalidArgumentError } from "commander";
import { ConfigError, loadConfig, type LoadedConfig } from "../core/config.ts";
import { resolveHome } from "../core/home.ts";
import { consoleLogger, formatDuration, registerSecret, type Logger } from "../core/log.ts";
import { progressBar } from "../core/progress.ts";
import { textTable } from "../core/text-table.ts";
import { Warehouse } from "../core/warehouse.ts";
import { ensurePythonEnv } from "../scheduler/python-env.ts";
import { dbtOptionsFor, runDbt, describeDbtFailure } from "../scheduler/dbt.ts";
import type { PipelineContext, StepReport } from "../scheduler/pipeline.ts";

// Loaded on demand so that `scrm setup` (npm's postinstall) and `scrm sql` start fast.
const pipeline = () => import("../scheduler/pipeline.ts");

/** The `scrm` command line: a thin dispatcher; each command calls one function tests can call. */
const log: Logger = consoleLogger();

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("must be a positive whole number");
  return n;
}

function isoDate(value: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new InvalidArgumentError("must be a date YYYY-MM-DD");
  return new Date(`${value}T00:00:00Z`);
}

function context(program: Command): PipelineContext {
  const home = resolveHome(program.opts<{ home?: string }>().home);
  const loaded: LoadedConfig = loadConfig(home);
  for (const s of loaded.config.receiver.appSecrets) registerSecret(s);
  registerSecret(loaded.config.receiver.verifyToken);
  return { loaded, log, progress: progressBar(), now: () => new Date() };
}

function printSteps(reports: StepReport[], ctx: PipelineContext): void {
  const total = reports.reduce((n, r) => n + r.ms, 0);
  const out = [
    "",
    textTable(
      ["step", "time", "what it did"],
      reports.map((r) => [r.step, formatDuration(r.ms), r.detail]),
      { maxWidth: 400 },
    ).replace(/\n\(\d+ rows?\)$/, ""),
    "",
    `total ${formatDuration(total)}`,
    `warehouse  ${ctx.loaded.home.warehouse}`,
    `site       ${ctx.loaded.home.site}/index.html`,
    `query it   npx scrm sql "select * from marts.agg_kpi_daily limit 10"`,
  ];
  process.stdout.write(out.join("\n") + "\n");
}

async function sqlCommand(ctx: PipelineContext, query: string | undefined): Promise<number> {
  const wh = await Warehouse.open(ctx.loaded.home.warehouse, {
    readOnly: true,
    timezone: ctx.loaded.config.business.timezone,
  });
  try {
    const runOne = async (q: string) => {
      const { columns, rows } = await wh.table(q);
      process.stdout.write(textTable(columns, rows) + "\n");
    };
    if (query !== undefined) {
      await runOne(query);
      return 0;
    }
    const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: "scrm> " });
    process.stdout.write(
      `read-only SQL on ${ctx.loaded.home.warehouse}\nend statements with ';'.  .tables lists the marts, .quit leaves\n`,
    );
    rl.prompt();
    let buffer = "";
    for await (const line of rl) {
      const trimmed = line.trim();
      if (buffer === "" && (trimmed === ".quit" || trimmed === ".exit")) break;
      if (buffer === "" && trimmed === ".tables") {
        await runOne(
          "select table_schema as schema, table_name as name, table_type as kind from information_schema.tables where table_schema in ('marts','intermediate','staging','raw') order by 1, 2",
        );
      } else {
        buffer += line + "\n";
        if (trimmed.endsWith(";")) {
          try {
            await runOne(buffer);
          } catch (err) {
            process.stdout.write(`error: ${(err as Error).message}\n`);
          }
          buffer = "";
        }
      }
      rl.setPrompt(buffer ? "  ...> " : "scrm> ");
      rl.prompt();
    }
    rl.close();
    return 0;
  } finally {
    wh.close();
  }
}

export function buildProgram(): Command {
  const program = new Command("scrm")
    .description("WhatsApp social-CRM analytics warehouse")
    .option("--home <dir>", "data home folder (default $SCRM_HOME or ./data)")
    .showHelpAfterError();

  program
    .command("setup")
    .description("prepare the pinned Python environment that runs dbt (run by npm install)")
    .action(async () => {
      const state = await ensurePythonEnv(log);
      log.info(state === "ready" ? "Python environment for dbt: up to date" : "Python environment for dbt: ready");
    });

  program
    .command("demo")
    .description("generate the seeded demo data set into the home's landing zone and CRM")
    .option("--customers <n>", "customers to simulate", positiveInt)
    .option("--days <n>", "days to simulate", positiveInt)
    .option("--seed <n>", "random seed", positiveInt)
    .option("--end <date>", "first day after the simulated period (default: today, UTC)", isoDate)
    .action(async (opts: { customers?: number; days?: number; seed?: number; end?: Date }) => {
      const ctx = context(program);
      const r = await (await pipeline()).stepDemo(ctx, opts);
      log.info(`✓ demo (${formatDuration(r.ms)}): ${r.detail}`);
    });

  const ingest = program
    .command("ingest")
    .description("snapshot the CRM and load every new landed file into the warehouse's raw tables")
    .action(async () => {
      const ctx = context(program);
      const r = await (await pipeline()).stepIngest(ctx);
      log.info(`✓ ingest (${formatDuration(r.ms)}): ${r.detail}`);
    });

  ingest
    .command("crm")
    .description("only snapshot the configured CRM (changed records, deletions, phone and mapping health) and load it")
    .action(async () => {
      const ctx = context(program);
      const { ingestCrm } = await import("../ingest/crm/ingest.ts");
      const started = performance.now();
      const r = await ingestCrm(ctx);
      log.info(`✓ ingest crm (${formatDuration(performance.now() - started)}): ${r.detail}`);
    });

  program
    .command("writeback")
    .description("send recovery and segment tags from the warehouse's outbox to the CRM (idempotent)")
    .option("--dry-run", "show what would change; write nothing")
    .option("--source <relation>", "relation with columns crm, record_id, tag (default crm_sync.desired_tags)")
    .action(async (opts: { dryRun?: boolean; source?: string }) => {
      const ctx = context(program);
      const { writeback } = await import("../ingest/crm/ingest.ts");
      const r = await writeback(ctx, { dryRun: Boolean(opts.dryRun), ...(opts.source ? { source: opts.source } : {}) });
      const verb = r.dryRun ? "would write" : "written";
      log.info(
        `✓ writeback (${formatDuration(r.ms)}): ${r.enqueued} enqueued, ${r.dryRun ? r.wouldWrite : r.written} ${verb}, ` +
          `${r.unchanged} unchanged, ${r.failed} failed (crm_sync.results, run ${r.runId})`,
      );
      process.exitCode = r.failed > 0 ? 1 : 0;
    });

  program
    .command("transform")
    .description("run dbt build (staging, intermediate, marts and their tests)")
    .option("-s, --select <selector...>", "dbt node selection")
    .option("--test-all-rows", "data tests read every row (by default: rows written since the last passing build)")
    .action(async (opts: { select?: string[]; testAllRows?: boolean }) => {
      const ctx = context(program);
      const r = await (await pipeline()).stepTransform(ctx, opts.select ?? [], { testAllRows: opts.testAllRows });
      log.info(`✓ transform (${formatDuration(r.ms)}): ${r.detail}`);
    });

  program
    .command("dashboards")
    .description("build the static dashboard site from the marts (offline)")
    .action(async () => {
      const ctx = context(program);
      const r = await (await pipeline()).stepDashboards(ctx);
      log.info(`✓ dashboards (${formatDuration(r.ms)}): ${r.detail}`);
    });

  program
    .command("run")
    .description("the whole pipeline: demo data if the home is empty, ingest, transform, ml, dashboards")
    .action(async () => {
      const ctx = context(program);
      log.info(`home: ${ctx.loaded.home.root}`);
      printSteps(await (await pipeline()).runPipeline(ctx), ctx);
    });

  const ml = () => import("../ml/cli.ts");

  program
    .command("train")
    .description("train the churn-risk model out of time, compare it with the baselines, write its model card")
    .action(async () => {
      const r = await (await ml()).trainCommand(context(program));
      process.exitCode = r.status === "trained" ? 0 : 1;
    });

  program
    .command("score")
    .description("score every customer's churn risk with the latest model and queue recovery tags")
    .option("--holdout <fraction>", "random hold-out share, not tagged or exported (default 0.1)", Number)
    .action(async (opts: { holdout?: number }) => {
      const r = await (
        await ml()
      ).scoreCommand(context(program), opts.holdout === undefined ? {} : { holdoutFraction: opts.holdout });
      process.exitCode = r.status === "scored" ? 0 : 1;
    });

  const exportCmd = program
    .command("export")
    .description("write lists for growth teams (CSV and Parquet in <home>/exports)");
  exportCmd
    .command("churn")
    .description("the win-back list: risk, band, reasons, recommended action; opted-in customers only by default")
    .option("--include-no-opt-in", "also list customers without marketing opt-in")
    .option("--include-low", "also list low-risk customers")
    .action(async (opts: { includeNoOptIn?: boolean; includeLow?: boolean }) => {
      await (
        await ml()
      ).exportChurnCommand(context(program), {
        includeNoOptIn: Boolean(opts.includeNoOptIn),
        includeLow: Boolean(opts.includeLow),
      });
    });
  exportCmd
    .command("unread")
    .description("R29: messages not read for 24 h, tagged for follow-up")
    .action(async () => {
      await (await ml()).exportUnreadCommand(context(program));
    });

  program
    .command("anomalies")
    .description("detect KPI anomalies (weekly-seasonal robust bands, R26 complaint rule) into ml.kpi_anomalies")
    .action(async () => {
      await (await ml()).anomaliesCommand(context(program));
    });

  program
    .command("serve")
    .description("receive WhatsApp Cloud API webhooks into the landing zone (until SIGTERM)")
    .action(async () => {
      const ctx = context(program);
      const { serveCommand } = await import("../ingest/receiver/cli.ts");
      await serveCommand({ home: ctx.loaded.home, config: ctx.loaded.config, log });
    });

  program
    .command("schedule")
    .description("run the pipeline on its schedules (config `schedule`) until SIGTERM")
    .option("--run-now <job...>", "also run these jobs once at start")
    .action(async (opts: { runNow?: string[] }) => {
      const ctx = context(program);
      const { scheduleCommand } = await import("../scheduler/scheduler.ts");
      (await import("../ml/steps.ts")).registerMlSteps();
      process.exitCode = await scheduleCommand(ctx, { runNow: opts.runNow ?? [] });
    });

  program
    .command("status")
    .description("last runs, freshness and lag; exit 1 = warning, 2 = critical (for monitoring)")
    .action(async () => {
      const { statusCommand } = await import("../scheduler/status.ts");
      process.exitCode = await statusCommand(context(program));
    });

  program
    .command("rebuild")
    .description("replay the whole landing zone into a fresh warehouse, then swap it in")
    .option("--no-transform", "only reload raw; skip dbt")
    .action(async (opts: { transform: boolean }) => {
      const { rebuildCommand } = await import("../scheduler/maintenance.ts");
      process.exitCode = await rebuildCommand(context(program), { transform: opts.transform });
    });

  program
    .command("backup")
    .description("export the warehouse to a backup folder (default <home>/backups/<time>)")
    .option("--dir <dir>", "backup folder")
    .action(async (opts: { dir?: string }) => {
      const { backupCommand } = await import("../scheduler/maintenance.ts");
      process.exitCode = await backupCommand(context(program), opts);
    });

  program
    .command("restore <dir>")
    .description("restore the warehouse from a backup folder (the current file is kept aside)")
    .action(async (dir: string) => {
      const { restoreCommand } = await import("../scheduler/maintenance.ts");
      process.exitCode = await restoreCommand(context(program), dir);
    });

  program
    .command("forget <phone>")
    .description("erase one person (privacy request) from landing files, raw tables and marts")
    .action(async (phone: string) => {
      const { forgetCommand } = await import("../scheduler/forget.ts");
      process.exitCode = await forgetCommand(context(program), phone);
    });

  program
    .command("sql [query]")
    .description("run a read-only query on the warehouse, or open an interactive SQL shell")
    .action(async (query: string | undefined) => {
      process.exitCode = await sqlCommand(context(program), query);
    });

  program
    .command("docs")
    .description("generate the dbt documentation site (catalog of every model and column)")
    .option("--serve", "serve it on http://127.0.0.1:8580 after generating")
    .action(async (opts: { serve?: boolean }) => {
      const ctx = context(program);
      const dbtOpts = dbtOptionsFor(ctx.loaded);
      const gen = await runDbt(["docs", "generate"], dbtOpts);
      if (gen.exitCode !== 0) throw new Error(`dbt docs generate failed:\n${describeDbtFailure(gen)}`);
      log.info(`✓ dbt docs in ${ctx.loaded.home.dbt}/target/index.html`);
      if (opts.serve) await runDbt(["docs", "serve", "--host", "127.0.0.1", "--port", "8580", "--no-browser"], dbtOpts);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      log.error(err.message);
      return 78;
    }
    log.error((err as Error).message);
    if (process.env.SCRM_DEBUG) log.error(String((err as Error).stack));
    return 1;
  }
}
