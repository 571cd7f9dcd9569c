import type { Warehouse } from "../core/warehouse.ts";
import { withWarehouse } from "../core/warehouse.ts";
import type { DbtNodeResult } from "./dbt.ts";

/**
 * The `ops` schema: the pipeline's own history, written by the scheduler between steps (never
 * while dbt holds the warehouse). dbt never reads or writes it.
 */
export const OPS_DDL = `
create schema if not exists ops;

create table if not exists ops.pipeline_runs (
  run_id         varchar primary key,
  job            varchar not null,      -- the scheduled job (micro-batch, nightly, ...) or 'manual'
  trigger        varchar not null,      -- schedule | queued | catch-up | manual
  slot           varchar,               -- the local cron slot that fired it (business time zone)
  started_at     timestamptz not null,
  finished_at    timestamptz,
  status         varchar not null,      -- running | succeeded | failed | stopped | abandoned
  steps_planned  varchar not null,      -- comma-separated step names
  error          varchar,
  host           varchar,
  pid            integer
);

create table if not exists ops.pipeline_steps (
  run_id       varchar not null,
  seq          integer not null,
  step         varchar not null,
  status       varchar not null,        -- succeeded | failed | skipped | stopped
  attempts     integer not null,
  started_at   timestamptz not null,
  finished_at  timestamptz not null,
  ms           double not null,
  rows_in      bigint,
  rows_out     bigint,
  detail       varchar,
  error        varchar,
  primary key (run_id, seq)
);

create table if not exists ops.dbt_results (
  run_id         varchar not null,
  step_seq       integer not null,
  unique_id      varchar not null,
  resource_type  varchar not null,      -- model | test | seed | snapshot
  status         varchar not null,
  seconds        double,
  failures       bigint,
  message        varchar
);

create table if not exists ops.alerts (
  alert_id        varchar primary key,
  raised_at       timestamptz not null,
  run_id          varchar,
  job             varchar,
  step            varchar,
  severity        varchar not null,     -- critical | warning
  message         varchar not null,
  delivered       boolean not null,     -- POSTed to schedule.alerts.url
  delivery_error  varchar
);

create table if not exists ops.forget_audit (
  forgotten_at     timestamptz not null,
  subject_hash     varchar not null,    -- HMAC-SHA256(installation salt, E.164 number), never the number
  files_rewritten  integer not null,
  lines_removed    integer not null,
  raw_rows_before  bigint,
  raw_rows_after   bigint,
  backups_replaced integer not null,
  note             varchar
);

create table if not exists ops.archive_log (
  archived_at  timestamptz not null,
  action       varchar not null,        -- compress | parquet
  target       varchar not null,
  rows_or_files bigint not null,
  bytes_before bigint,
  bytes_after  bigint
);
`;

export async function ensureOpsSchema(wh: Warehouse): Promise<void> {
  await wh.run(OPS_DDL);
}

/** Opens the warehouse read-write for a few inserts and closes it again (the one-writer rule). */
export async function withOps<T>(warehouse: string, work: (wh: Warehouse) => Promise<T>): Promise<T> {
  return withWarehouse(warehouse, { timezone: "UTC" }, async (wh) => {
    await ensureOpsSchema(wh);
    return work(wh);
  });
}

export interface RunRow {
  runId: string;
  job: string;
  trigger: string;
  slot: string | null;
  startedAt: Date;
  steps: string[];
  host: string;
  pid: number;
}

export interface StepRow {
  runId: string;
  seq: number;
  step: string;
  status: "succeeded" | "failed" | "skipped" | "stopped";
  attempts: number;
  startedAt: Date;
  finishedAt: Date;
  rowsIn: number | null;
  rowsOut: number | null;
  detail: string;
  error: string | null;
}

/** Runs left `running` by a process that died (we hold the lock now, so none is really running). */
export async function markAbandoned(wh: Warehouse, now: Date): Promise<number> {
  const n = Number(await wh.scalar("select count(*)::double from ops.pipeline_runs where status = 'running'"));
  if (n > 0) {
    await wh.run(
      `update ops.pipeline_runs set status = 'abandoned', finished_at = $1::timestamptz,
         error = coalesce(error, 'the run process died (crash, SIGKILL or reboot); its lock was taken over')
       where status = 'running'`,
      [now.toISOString()],
    );
  }
  return n;
}

export async function insertRun(wh: Warehouse, r: RunRow): Promise<void> {
  await wh.run(
    `insert into ops.pipeline_runs values ($1, $2, $3, $4, $5::timestamptz, null, 'running', $6, null, $7, $8)`,
    [r.runId, r.job, r.trigger, r.slot, r.startedAt.toISOString(), r.steps.join(","), r.host, r.pid],
  );
}

export async function finishRun(
  wh: Warehouse,
  runId: string,
  status: string,
  finishedAt: Date,
  error: string | null,
): Promise<void> {
  await wh.run(
    "update ops.pipeline_runs set status = $2, finished_at = $3::timestamptz, error = $4 where run_id = $1",
    [runId, status, finishedAt.toISOString(), error],
  );
}

export async function insertStep(wh: Warehouse, s: StepRow): Promise<void> {
  await wh.run(
    `insert into ops.pipeline_steps values ($1, $2, $3, $4, $5, $6::timestamptz, $7::timestamptz, $8, $9, $10, $11, $12)`,
    [
      s.runId,
      s.seq,
      s.step,
      s.status,
      s.attempts,
      s.startedAt.toISOString(),
      s.finishedAt.toISOString(),
      s.finishedAt.getTime() - s.startedAt.getTime(),
      s.rowsIn,
      s.rowsOut,
      s.detail,
      s.error,
    ],
  );
}

export function resourceType(uniqueId: string): string {
  return uniqueId.split(".")[0] ?? "unknown";
}

export async function insertDbtResults(
  wh: Warehouse,
  runId: string,
  stepSeq: number,
  nodes: readonly DbtNodeResult[],
): Promise<void> {
  for (const n of nodes) {
    await wh.run("insert into ops.dbt_results values ($1, $2, $3, $4, $5, $6, $7, $8)", [
      runId,
      stepSeq,
      n.uniqueId,
      resourceType(n.uniqueId),
      n.status,
      n.seconds,
      n.failures,
      n.message,
    ]);
  }
}
