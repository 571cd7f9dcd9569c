import { existsSync, statSync } from "node:fs";
import { formatDuration } from "../core/log.ts";
import { textTable } from "../core/text-table.ts";
import { withWarehouse } from "../core/warehouse.ts";
import { listLanded } from "../ingest/load/landing-files.ts";
import type { PipelineContext } from "./pipeline.ts";
import { currentHolder, type LockInfo } from "./lock.ts";
import { lockPathOf } from "./runner.ts";
import { scheduleConfigOf } from "./schedule-config.ts";
import { nextSlots } from "./scheduler.ts";

/** `scrm status`: last runs, freshness and lag at a glance; exit 0 OK, 1 warning, 2 critical. */

export interface Problem {
  readonly severity: "warning" | "critical";
  readonly message: string;
}

export interface JobStatus {
  job: string;
  lastStatus: string | null;
  lastStarted: string | null;
  lastOk: string | null;
  next: string | null;
}

export interface StatusReport {
  readonly now: Date;
  readonly timezone: string;
  readonly lock: LockInfo | null;
  readonly warehouseReadable: boolean;
  readonly jobs: JobStatus[];
  readonly recentRuns: Array<Record<string, unknown>>;
  readonly latestReceivedAt: string | null;
  readonly latestLoadedFile: { file: string; loaded_at: string } | null;
  readonly waitingFiles: number;
  readonly oldestWaitingMinutes: number | null;
  readonly alerts24h: number;
  readonly problems: Problem[];
}

const ageMin = (now: Date, iso: string | null) => (iso ? (now.getTime() - Date.parse(iso)) / 60_000 : null);

export async function collectStatus(ctx: PipelineContext): Promise<StatusReport> {
  const now = ctx.now();
  const { home, config } = ctx.loaded;
  const schedule = scheduleConfigOf(config);
  const tz = schedule.timezone ?? config.business.timezone;
  const limits = schedule.status;
  const problems: Problem[] = [];
  const lock = currentHolder(lockPathOf(ctx, schedule), { now, staleHours: schedule.lockStaleHours });

  const jobs: JobStatus[] = Object.entries(schedule.jobs)
    .filter(([, j]) => j.enabled)
    .map(([job, j]) => ({
      job,
      lastStatus: null,
      lastStarted: null,
      lastOk: null,
      next: nextSlots(j.cron, tz, now)[0] ?? null,
    }));
  let recentRuns: Array<Record<string, unknown>> = [];
  let latestReceivedAt: string | null = null;
  let latestLoadedFile: { file: string; loaded_at: string } | null = null;
  let alerts24h = 0;
  const ledger = new Set<string>();
  let warehouseReadable = false;

  if (!existsSync(home.warehouse)) {
    problems.push({
      severity: "critical",
      message: `no warehouse at ${home.warehouse} (run \`scrm run\` or \`scrm rebuild\`)`,
    });
  } else {
    try {
      await withWarehouse(home.warehouse, { readOnly: true, timezone: "UTC" }, async (wh) => {
        warehouseReadable = true;
        const has = async (schema: string, table: string) =>
          Number(
            await wh.scalar(
              "select count(*)::int from information_schema.tables where table_schema = $1 and table_name = $2",
              [schema, table],
            ),
          ) > 0;
        if (await has("ops", "pipeline_runs")) {
          const last = await wh.rows<{ job: string; status: string; started: string; last_ok: string | null }>(
            `select job, status, strftime(started_at, '%Y-%m-%dT%H:%M:%S.%gZ') as started,
                    (select strftime(max(started_at), '%Y-%m-%dT%H:%M:%S.%gZ') from ops.pipeline_runs o
                     where o.job = r.job and o.status = 'succeeded') as last_ok
             from ops.pipeline_runs r
             qualify row_number() over (partition by job order by started_at desc) = 1`,
          );
          for (const l of last) {
            const j = jobs.find((x) => x.job === l.job);
            if (j) Object.assign(j, { lastStatus: l.status, lastStarted: l.started, lastOk: l.last_ok });
          }
          recentRuns = await wh.rows(
            `select strftime(started_at, '%m-%d %H:%M') as started, job, trigger, status,
                    coalesce(round(epoch(finished_at - started_at), 1)::varchar || ' s', '-') as took,
                    (select count(*) from ops.pipeline_steps s where s.run_id = r.run_id and s.status = 'succeeded')::int as steps_ok,
                    (select coalesce(sum(rows_out), 0) from ops.pipeline_steps s where s.run_id = r.run_id)::bigint::varchar as rows_out,
                    coalesce(left(error, 60), '') as error
             from ops.pipeline_runs r order by started_at desc limit 8`,
          );
          const stuck = await wh.rows<{ job: string; started: string }>(
            `select job, started_at::varchar as started from ops.pipeline_runs
             where status = 'running' and started_at < $1::timestamptz - to_minutes($2::bigint)`,
            [now.toISOString(), Math.round(limits.maxRunMinutes)],
          );
          for (const s of stuck)
            problems.push({
              severity: "critical",
              message: `${s.job} run started ${s.started} is still running (stuck?)`,
            });
        }
        if (await has("ops", "alerts")) {
          alerts24h = Number(
            await wh.scalar(
              "select count(*)::int from ops.alerts where raised_at > $1::timestamptz - interval 24 hour",
              [now.toISOString()],
            ),
          );
        }
        if (await has("raw", "webhook_receipts")) {
          latestReceivedAt = await wh.scalar<string | null>(
            "select strftime(max(received_at), '%Y-%m-%dT%H:%M:%S.%gZ') from raw.webhook_receipts",
          );
        }
        if (await has("raw", "load_ledger")) {
          const [row] = await wh.rows<{ file: string; loaded_at: string }>(
            "select file, strftime(loaded_at, '%Y-%m-%dT%H:%M:%S.%gZ') as loaded_at from raw.load_ledger order by loaded_at desc, file desc limit 1",
          );
          latestLoadedFile = row ?? null;
          for (const r of await wh.rows<{ file: string }>("select file from raw.load_ledger")) ledger.add(r.file);
        }
      });
    } catch (err) {
      const msg = (err as Error).message;
      if (lock)
        problems.push({
          severity: "warning",
          message: `warehouse busy (${lock.purpose} running since ${lock.startedAt}); run history not readable now`,
        });
      else problems.push({ severity: "critical", message: `warehouse not readable: ${msg.split("\n")[0]}` });
    }
  }

  // Loading lag: sealed files the loader has not taken yet (compressed ones are loaded by definition).
  let waitingFiles = 0;
  let oldestWaitingMinutes: number | null = null;
  if (warehouseReadable) {
    for (const dir of [home.landing.webhooks, home.landing.outbound]) {
      for (const f of listLanded(home.root, dir)) {
        if (ledger.has(f.rel)) continue;
        waitingFiles += 1;
        const age = (now.getTime() - statSync(f.abs).mtimeMs) / 60_000;
        oldestWaitingMinutes = Math.max(oldestWaitingMinutes ?? 0, age);
      }
    }
  }

  for (const j of jobs) {
    if (j.lastStatus === "failed" || j.lastStatus === "abandoned")
      problems.push({ severity: "critical", message: `last ${j.job} run ${j.lastStatus} (${j.lastStarted})` });
  }
  const nightly = jobs.find((j) => j.job === "nightly");
  if (warehouseReadable && nightly) {
    const age = ageMin(now, nightly.lastOk);
    if (age === null || age > limits.nightlyMaxAgeHours * 60)
      problems.push({
        severity: age === null ? "warning" : "critical",
        message:
          age === null
            ? "the nightly run has never succeeded"
            : `the nightly run last succeeded ${formatDuration(age * 60_000)} ago`,
      });
  }
  if (oldestWaitingMinutes !== null && oldestWaitingMinutes > limits.maxLoadLagMinutes)
    problems.push({
      severity: "warning",
      message: `${waitingFiles} landed file(s) not loaded, oldest ${Math.round(oldestWaitingMinutes)} min`,
    });
  const recvAge = ageMin(now, latestReceivedAt);
  if (warehouseReadable && recvAge !== null && recvAge > limits.maxReceiveGapHours * 60)
    problems.push({
      severity: "warning",
      message: `no webhook received for ${formatDuration(recvAge * 60_000)} (receiver or subscription down?)`,
    });
  if (alerts24h > 0)
    problems.push({ severity: "warning", message: `${alerts24h} alert(s) in the last 24 h (see ops.alerts)` });

  return {
    now,
    timezone: tz,
    lock,
    warehouseReadable,
    jobs,
    recentRuns,
    latestReceivedAt,
    latestLoadedFile,
    waitingFiles,
    oldestWaitingMinutes,
    alerts24h,
    problems,
  };
}

export function exitCodeOf(report: StatusReport): number {
  if (report.problems.some((p) => p.severity === "critical")) return 2;
  return report.problems.length > 0 ? 1 : 0;
}

const ago = (now: Date, iso: string | null) =>
  iso === null
    ? "never"
    : `${iso.replace("T", " ").slice(0, 19)} UTC (${formatDuration(Math.max(0, now.getTime() - Date.parse(iso)))} ago)`;

export function formatStatus(r: StatusReport): string {
  const tz = r.timezone;
  const strip = (t: string) => t.replace(/\n\(\d+ rows?\)$/, "");
  const code = exitCodeOf(r);
  const out = [
    `status: ${["OK", "WARNING", "CRITICAL"][code]}  (at ${r.now.toISOString().slice(0, 19)} UTC)`,
    `pipeline lock: ${r.lock ? `held by ${r.lock.purpose}, pid ${r.lock.pid} on ${r.lock.hostname} since ${r.lock.startedAt}` : "free"}`,
    "",
    "freshness",
    `  latest webhook received  ${ago(r.now, r.latestReceivedAt)}`,
    `  latest file loaded       ${r.latestLoadedFile ? `${r.latestLoadedFile.file} at ${ago(r.now, r.latestLoadedFile.loaded_at)}` : "none"}`,
    `  waiting to load          ${r.waitingFiles} file(s)${r.oldestWaitingMinutes !== null ? `, oldest ${Math.round(r.oldestWaitingMinutes)} min` : ""}`,
    "",
    strip(
      textTable(
        ["job", "last run (UTC)", "status", "last success (UTC)", `next (${tz})`],
        r.jobs.map((j) => [
          j.job,
          j.lastStarted?.slice(0, 16).replace("T", " ") ?? "-",
          j.lastStatus ?? "-",
          j.lastOk?.slice(0, 16).replace("T", " ") ?? "-",
          j.next ?? "-",
        ]),
      ),
    ),
  ];
  if (r.recentRuns.length) {
    const cols = Object.keys(r.recentRuns[0]!);
    out.push(
      "",
      "recent runs (UTC)",
      strip(
        textTable(
          cols,
          r.recentRuns.map((row) => cols.map((c) => row[c])),
        ),
      ),
    );
  }
  out.push("");
  if (r.problems.length === 0) out.push("nothing needs attention");
  for (const p of r.problems) out.push(`${p.severity.toUpperCase()}: ${p.message}`);
  return out.join("\n") + "\n";
}

/** `scrm status`; prints to stdout and returns the exit code for monitoring (0/1/2). */
export async function statusCommand(
  ctx: PipelineContext,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const report = await collectStatus(ctx);
  out.write(formatStatus(report));
  return exitCodeOf(report);
}
