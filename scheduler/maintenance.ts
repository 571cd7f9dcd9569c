import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatDuration } from "../core/log.ts";
import { withWarehouse } from "../core/warehouse.ts";
import type { PipelineContext } from "./pipeline.ts";
import { copySchemas, fingerprintOpen, replayLanding, swapWarehouse } from "./archive.ts";
import { PipelineLock } from "./lock.ts";
import { lockPathOf } from "./runner.ts";
import { scheduleConfigOf } from "./schedule-config.ts";
import { defaultRegistry, type StepRegistry } from "./steps.ts";

/** `scrm rebuild`, `scrm backup`, `scrm restore`: whole-warehouse operations, under the pipeline lock. */

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");

/** Runs `work` holding the pipeline lock, or throws if a run holds it. */
export async function withPipelineLock<T>(ctx: PipelineContext, purpose: string, work: () => Promise<T>): Promise<T> {
  const schedule = scheduleConfigOf(ctx.loaded.config);
  const got = PipelineLock.tryAcquire(lockPathOf(ctx, schedule), {
    purpose,
    now: ctx.now(),
    staleHours: schedule.lockStaleHours,
  });
  if (!got.acquired) {
    const h = got.holder;
    throw new Error(
      `a pipeline run holds the lock${h ? ` (${h.purpose}, pid ${h.pid} since ${h.startedAt})` : ""}; try again when it ends`,
    );
  }
  try {
    return await work();
  } finally {
    got.lock.release();
  }
}

/** The same context pointing at another warehouse file (to build a replacement before swapping). */
export function withWarehouseFile(ctx: PipelineContext, warehouse: string): PipelineContext {
  return { ...ctx, loaded: { ...ctx.loaded, home: { ...ctx.loaded.home, warehouse } } };
}

export interface RebuildResult {
  readonly files: number;
  readonly rows: number;
  readonly transformed: boolean;
  readonly previous: string | null;
  readonly ms: number;
}

/**
 * Replays the whole landing zone (gzipped segments included) into a fresh warehouse, carries the
 * `ops` history over, optionally rebuilds the marts (the registry's `transform` step) and swaps
 * the new file in. The old warehouse is kept beside it unless `keepPrevious` is false.
 */
export async function rebuildWarehouse(
  ctx: PipelineContext,
  opts: { transform?: boolean; keepPrevious?: boolean; registry?: StepRegistry; lockHeld?: boolean } = {},
): Promise<RebuildResult> {
  const work = async (): Promise<RebuildResult> => {
    const started = performance.now();
    const { home } = ctx.loaded;
    const fresh = join(home.root, "warehouse.rebuild.duckdb");
    const replay = await replayLanding(home, fresh, ctx.log);
    await copySchemas(home.warehouse, fresh, ["ops"]);
    let transformed = false;
    if (opts.transform !== false) {
      const step = (opts.registry ?? defaultRegistry).get("transform");
      if (!step) throw new Error("no transform step registered");
      await step.run({
        ...withWarehouseFile(ctx, fresh),
        job: "rebuild",
        runId: `rebuild-${stamp(ctx.now())}`,
        dbtSelect: [],
        signal: new AbortController().signal,
      });
      transformed = true;
    }
    const previous =
      opts.keepPrevious === false ? null : join(home.root, `warehouse.before-rebuild-${stamp(ctx.now())}.duckdb`);
    swapWarehouse(home.warehouse, fresh, existsSync(home.warehouse) ? previous : null);
    return {
      files: replay.files,
      rows: replay.reports.reduce((n, r) => n + r.loaded, 0),
      transformed,
      previous: previous && existsSync(previous) ? previous : null,
      ms: performance.now() - started,
    };
  };
  return opts.lockHeld ? work() : withPipelineLock(ctx, "rebuild", work);
}

export async function rebuildCommand(ctx: PipelineContext, opts: { transform?: boolean } = {}): Promise<number> {
  const r = await rebuildWarehouse(ctx, { transform: opts.transform });
  ctx.log.info(
    `✓ rebuild (${formatDuration(r.ms)}): ${r.files} landing file(s) replayed, ${r.rows.toLocaleString("en-US")} rows loaded${r.transformed ? ", marts rebuilt" : ""}`,
  );
  if (r.previous) ctx.log.info(`  the previous warehouse is kept at ${r.previous} (delete it when satisfied)`);
  return 0;
}

export function backupsDir(ctx: PipelineContext): string {
  return join(ctx.loaded.home.root, "backups");
}

export interface BackupManifest {
  readonly created_at: string;
  readonly warehouse: string;
  readonly tables: Record<string, { rows: number; hash: string }>;
}

/**
 * `scrm backup`: EXPORT DATABASE (Parquet + the schema DDL) into `<home>/backups/<stamp>/`
 * while holding the pipeline lock, so that no run writes meanwhile. A manifest records every
 * table's row count and content hash, checked again on restore.
 */
export async function backupWarehouse(
  ctx: PipelineContext,
  opts: { dir?: string; lockHeld?: boolean } = {},
): Promise<{ dir: string; tables: number }> {
  const work = async () => {
    const { home } = ctx.loaded;
    if (!existsSync(home.warehouse)) throw new Error(`no warehouse at ${home.warehouse}`);
    const dir = opts.dir ?? join(backupsDir(ctx), stamp(ctx.now()));
    if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} already exists and is not empty`);
    mkdirSync(dir, { recursive: true });
    const tables = await withWarehouse(home.warehouse, { readOnly: true }, async (wh) => {
      await wh.run(`export database '${dir.replace(/'/g, "''")}' (format parquet)`);
      return fingerprintOpen(wh, await userSchemas(wh));
    });
    const manifest: BackupManifest = { created_at: ctx.now().toISOString(), warehouse: home.warehouse, tables };
    writeFileSync(join(dir, "scrm-backup.json"), JSON.stringify(manifest, null, 2));
    return { dir, tables: Object.keys(tables).length };
  };
  return opts.lockHeld ? work() : withPipelineLock(ctx, "backup", work);
}

async function userSchemas(wh: { rows: <T>(sql: string) => Promise<T[]> }): Promise<string[]> {
  const rows = await wh.rows<{ s: string }>(
    "select distinct schema_name as s from duckdb_tables() where database_name = current_database() and not internal",
  );
  return rows.map((r) => r.s);
}

/**
 * `scrm restore <dir>`: IMPORT DATABASE into a new file, check every table against the backup's
 * manifest, then swap it in (the replaced warehouse is kept as warehouse.before-restore-*.duckdb).
 */
export async function restoreWarehouse(
  ctx: PipelineContext,
  dir: string,
): Promise<{ tables: number; previous: string | null }> {
  return withPipelineLock(ctx, "restore", async () => {
    const { home } = ctx.loaded;
    const manifestFile = join(dir, "scrm-backup.json");
    if (!existsSync(manifestFile)) throw new Error(`${dir} is not an scrm backup (no scrm-backup.json)`);
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as BackupManifest;
    const fresh = join(home.root, "warehouse.restore.duckdb");
    rmSync(fresh, { force: true });
    rmSync(`${fresh}.wal`, { force: true });
    await withWarehouse(fresh, {}, async (wh) => {
      await wh.run(`import database '${dir.replace(/'/g, "''")}'`);
      const got = await fingerprintOpen(wh, await userSchemas(wh));
      for (const [table, want] of Object.entries(manifest.tables)) {
        const have = got[table];
        if (!have || have.rows !== want.rows || have.hash !== want.hash) {
          throw new Error(
            `restore check failed for ${table}: backup has ${want.rows} rows, restored ${have?.rows ?? 0}`,
          );
        }
      }
      await wh.run("checkpoint");
    });
    const previous = existsSync(home.warehouse)
      ? join(home.root, `warehouse.before-restore-${stamp(ctx.now())}.duckdb`)
      : null;
    swapWarehouse(home.warehouse, fresh, previous);
    return { tables: Object.keys(manifest.tables).length, previous };
  });
}

export async function backupCommand(ctx: PipelineContext, opts: { dir?: string } = {}): Promise<number> {
  const r = await backupWarehouse(ctx, opts);
  ctx.log.info(`✓ backup: ${r.tables} table(s) exported to ${r.dir}`);
  return 0;
}

export async function restoreCommand(ctx: PipelineContext, dir: string): Promise<number> {
  const r = await restoreWarehouse(ctx, dir);
  ctx.log.info(`✓ restore: ${r.tables} table(s) restored from ${dir} and checked against its manifest`);
  if (r.previous) ctx.log.info(`  the replaced warehouse is kept at ${r.previous}`);
  return 0;
}
