import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import type { HomeLayout } from "../core/home.ts";
import type { Logger } from "../core/log.ts";
import { Warehouse, withWarehouse } from "../core/warehouse.ts";
import { OPEN_SUFFIX, SEALED_SUFFIX } from "../ingest/landing/format.ts";
import { loadLanded, type SourceReport } from "../ingest/load/loader.ts";
import { ensureOpsSchema } from "./ops-store.ts";

/**
 * Keeping history (R3, R12). Loaded NDJSON segments (webhooks, outbound) are gzipped in place
 * (`x.ndjson` -> `x.ndjson.gz`) once they are in raw.load_ledger; they stay the replayable
 * record. The incremental loader lists only `.ndjson`, so a compressed file is never loaded
 * twice. A replay (rebuild, forget) stages the landing zone with every `.gz` decompressed under
 * its original name, so ledger keys and the `file` lineage columns come out identical.
 */
export const GZ_SUFFIX = ".gz";
const COMPRESSIBLE_DIRS = (home: HomeLayout) => [home.landing.webhooks, home.landing.outbound];

export interface LandingFile {
  readonly abs: string;
  /** The ledger key: relative to the home folder, without `.gz`. */
  readonly rel: string;
  readonly compressed: boolean;
  /** Size on disk. */
  readonly bytes: number;
}

/** Every sealed landing file below `dir` (plain and gzipped, never `.open`), in ledger-key order. */
export function listLandingFiles(homeRoot: string, dir: string, suffix: string = SEALED_SUFFIX): LandingFile[] {
  if (!existsSync(dir)) return [];
  const byRel = new Map<string, LandingFile>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.endsWith(".open")) walk(p);
        continue;
      }
      if (!entry.isFile() || entry.name.endsWith(OPEN_SUFFIX)) continue;
      const compressed = entry.name.endsWith(suffix + GZ_SUFFIX);
      if (!compressed && !entry.name.endsWith(suffix)) continue;
      const rel = relative(homeRoot, compressed ? p.slice(0, -GZ_SUFFIX.length) : p)
        .split(sep)
        .join("/");
      const file = { abs: p, rel, compressed, bytes: statSync(p).size };
      // A crash between writing x.gz and deleting x leaves both: the plain one wins.
      if (!byRel.has(rel) || !compressed) byRel.set(rel, file);
    }
  };
  walk(dir);
  return [...byRel.values()].sort((a, b) => a.rel.localeCompare(b.rel));
}

/** The content of a landing file, decompressed if needed. */
export function readLandingFile(file: Pick<LandingFile, "abs" | "compressed">): Buffer {
  const raw = readFileSync(file.abs);
  return file.compressed ? gunzipSync(raw) : raw;
}

/** Writes a file atomically (tmp + fsync + rename), optionally gzipped. */
export function writeFileAtomic(path: string, content: Buffer, gzip = false): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, gzip ? gzipSync(content, { level: 9 }) : content);
  const fd = openSync(tmp, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export interface CompressReport {
  files: number;
  bytesBefore: number;
  bytesAfter: number;
  skippedUnloaded: number;
}

/**
 * Gzips sealed webhook/outbound segments that the ledger says are loaded (same byte size) and
 * that were sealed at least `olderThanHours` ago. Each file is verified before the original goes.
 */
export async function compressLoadedLanding(
  home: HomeLayout,
  opts: { now: Date; olderThanHours: number; log?: Logger },
): Promise<CompressReport> {
  const report: CompressReport = { files: 0, bytesBefore: 0, bytesAfter: 0, skippedUnloaded: 0 };
  if (!existsSync(home.warehouse)) return report;
  const ledger = await withWarehouse(home.warehouse, { readOnly: true }, async (wh) => {
    const has = await wh.scalar<number>(
      "select count(*)::int from information_schema.tables where table_schema = 'raw' and table_name = 'load_ledger'",
    );
    if (!has) return new Map<string, number>();
    const rows = await wh.rows<{ file: string; bytes: number }>(
      "select file, file_bytes::double as bytes from raw.load_ledger where source in ('webhooks', 'outbound')",
    );
    return new Map(rows.map((r) => [r.file, r.bytes]));
  });
  const cutoff = opts.now.getTime() - opts.olderThanHours * 3_600_000;
  for (const dir of COMPRESSIBLE_DIRS(home)) {
    for (const f of listLandingFiles(home.root, dir)) {
      const gz = f.abs + GZ_SUFFIX;
      if (f.compressed) continue;
      if (ledger.get(f.rel) !== f.bytes) {
        report.skippedUnloaded += 1;
        continue;
      }
      if (statSync(f.abs).mtimeMs > cutoff) continue;
      const content = readFileSync(f.abs);
      writeFileAtomic(gz, content, true);
      if (!gunzipSync(readFileSync(gz)).equals(content)) {
        rmSync(gz, { force: true });
        throw new Error(`${gz}: verification after compression failed; original kept`);
      }
      rmSync(f.abs);
      report.files += 1;
      report.bytesBefore += content.length;
      report.bytesAfter += statSync(gz).size;
    }
  }
  if (report.files > 0) {
    await withWarehouse(home.warehouse, {}, async (wh) => {
      await ensureOpsSchema(wh);
      await wh.run("insert into ops.archive_log values ($1::timestamptz, 'compress', 'landing', $2, $3, $4)", [
        opts.now.toISOString(),
        report.files,
        report.bytesBefore,
        report.bytesAfter,
      ]);
    });
  }
  return report;
}

function linkOrCopy(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/**
 * Copies the landing zone into `stagingRoot/landing` as the loader expects it: `.gz` files
 * decompressed under their original names, plain files hard-linked, open segments left out.
 */
export function stageLandingForReplay(home: HomeLayout, stagingRoot: string): number {
  let files = 0;
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.endsWith(".open")) walk(p);
        continue;
      }
      if (!entry.isFile() || entry.name.endsWith(OPEN_SUFFIX) || /\.tmp-\d+$/.test(entry.name)) continue;
      const rel = relative(home.root, p);
      if (entry.name.endsWith(SEALED_SUFFIX + GZ_SUFFIX)) {
        const target = join(stagingRoot, rel.slice(0, -GZ_SUFFIX.length));
        if (existsSync(p.slice(0, -GZ_SUFFIX.length))) continue; // the plain twin wins
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, gunzipSync(readFileSync(p)));
      } else {
        linkOrCopy(p, join(stagingRoot, rel));
      }
      files += 1;
    }
  };
  if (existsSync(home.landing.root)) walk(home.landing.root);
  return files;
}

/** The home layout of a staged replay, writing to `warehouse`. */
export function stagedLayout(home: HomeLayout, stagingRoot: string, warehouse: string): HomeLayout {
  const landing = join(stagingRoot, "landing");
  return {
    ...home,
    root: stagingRoot,
    warehouse,
    landing: {
      root: landing,
      webhooks: join(landing, "webhooks"),
      outbound: join(landing, "outbound"),
      marketing: join(landing, "marketing"),
    },
  };
}

export interface ReplayResult {
  readonly warehouse: string;
  readonly files: number;
  readonly reports: SourceReport[];
}

/** Replays the whole landing zone into a fresh warehouse file at `target` (raw schema only). */
export async function replayLanding(home: HomeLayout, target: string, log: Logger): Promise<ReplayResult> {
  rmSync(target, { force: true });
  rmSync(`${target}.wal`, { force: true });
  const staging = mkdtempSync(join(home.root, ".replay-"));
  try {
    const files = stageLandingForReplay(home, staging);
    const reports = await withWarehouse(target, { timezone: "UTC" }, (wh) =>
      loadLanded(wh, stagedLayout(home, staging, target), log),
    );
    return { warehouse: target, files, reports };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Copies whole schemas (e.g. `ops`) from one DuckDB file to another, optionally filtering rows. */
export async function copySchemas(
  from: string,
  to: string,
  schemas: readonly string[],
  rowFilter?: (table: string, columns: string[]) => string | null,
): Promise<void> {
  if (!existsSync(from)) return;
  await withWarehouse(to, {}, async (wh) => {
    await wh.run(`attach '${from.replace(/'/g, "''")}' as src (read_only)`);
    try {
      for (const schema of schemas) {
        const tables = await wh.rows<{ t: string }>(
          "select table_name as t from duckdb_tables() where database_name = 'src' and schema_name = $1 order by 1",
          [schema],
        );
        if (tables.length === 0) continue;
        await wh.run(`create schema if not exists "${schema}"`);
        for (const { t } of tables) {
          const cols = (
            await wh.rows<{ c: string }>(
              "select column_name as c from duckdb_columns() where database_name = 'src' and schema_name = $1 and table_name = $2 order by column_index",
              [schema, t],
            )
          ).map((r) => r.c);
          const where = rowFilter?.(`${schema}.${t}`, cols);
          await wh.run(`drop table if exists "${schema}"."${t}"`);
          await wh.run(
            `create table "${schema}"."${t}" as select * from src."${schema}"."${t}"${where ? ` where ${where}` : ""}`,
          );
        }
      }
    } finally {
      await wh.run("detach src");
    }
  });
}

/** Moves `fresh` into place as the warehouse; the old file is kept at `keepAs` or deleted. */
export function swapWarehouse(current: string, fresh: string, keepAs: string | null): void {
  rmSync(`${fresh}.wal`, { force: true });
  if (existsSync(current)) {
    if (keepAs) renameSync(current, keepAs);
    else rmSync(current);
  }
  if (existsSync(`${current}.wal`)) {
    if (keepAs) renameSync(`${current}.wal`, `${keepAs}.wal`);
    else rmSync(`${current}.wal`);
  }
  renameSync(fresh, current);
}

export interface TableFingerprint {
  readonly rows: number;
  readonly hash: string;
}

/** Columns that record *when* something was loaded, not *what*: left out of comparisons. */
export const LOAD_TIME_COLUMNS = new Set(["loaded_at", "quarantined_at"]);

/**
 * Row count and an order-independent content hash of every table in the given schemas
 * (load-time columns excluded): two warehouses with equal fingerprints hold the same data.
 */
export async function warehouseFingerprint(
  path: string,
  schemas: readonly string[],
): Promise<Record<string, TableFingerprint>> {
  return withWarehouse(path, { readOnly: true }, async (wh) => fingerprintOpen(wh, schemas));
}

export async function fingerprintOpen(
  wh: Warehouse,
  schemas: readonly string[],
): Promise<Record<string, TableFingerprint>> {
  const out: Record<string, TableFingerprint> = {};
  const tables = await wh.rows<{ s: string; t: string }>(
    `select schema_name as s, table_name as t from duckdb_tables()
     where database_name = current_database() and schema_name in (${schemas.map((s) => `'${s}'`).join(",")})
     order by 1, 2`,
  );
  for (const { s, t } of tables) {
    const cols = (
      await wh.rows<{ c: string }>(
        "select column_name as c from duckdb_columns() where database_name = current_database() and schema_name = $1 and table_name = $2 order by column_index",
        [s, t],
      )
    )
      .map((r) => r.c)
      .filter((c) => !LOAD_TIME_COLUMNS.has(c));
    const rowText = `concat_ws(chr(31), ${cols.map((c) => `coalesce("${c}"::varchar, '∅')`).join(", ")})`;
    const [r] = await wh.rows<{ n: number; h: string | null }>(
      `select count(*)::double as n, md5(coalesce(string_agg(r, chr(30) order by r), '')) as h
       from (select ${rowText} as r from "${s}"."${t}")`,
    );
    out[`${s}.${t}`] = { rows: r!.n, hash: r!.h ?? "" };
  }
  return out;
}

export interface ParquetArchiveResult {
  readonly cutoff: string;
  readonly tables: Record<string, number>;
  readonly dir: string;
}

/** raw tables with the column that dates their rows. */
export const ARCHIVABLE: Record<string, string> = {
  webhook_receipts: "received_at",
  outbound_messages: "sent_at",
};

/**
 * Copies raw rows older than the retention period to Parquet, partitioned by month, under
 * `<home>/archive/raw/<table>/`, and (re)creates `archive.<table>` views over them so they stay
 * queryable. Nothing is deleted: the landing zone remains the replayable record (R3).
 */
export async function archiveToParquet(
  home: HomeLayout,
  opts: { now: Date; retentionDays: number },
): Promise<ParquetArchiveResult> {
  const cutoff = new Date(opts.now.getTime() - opts.retentionDays * 86_400_000).toISOString();
  const dir = join(home.root, "archive", "raw");
  const tables: Record<string, number> = {};
  await withWarehouse(home.warehouse, { timezone: "UTC" }, async (wh) => {
    await ensureOpsSchema(wh);
    await wh.run("create schema if not exists archive");
    for (const [table, col] of Object.entries(ARCHIVABLE)) {
      const target = join(dir, table);
      const n = Number(
        await wh.scalar(`select count(*)::double from raw.${table} where ${col} < $1::timestamptz`, [cutoff]),
      );
      tables[table] = n;
      if (n === 0) continue;
      rmSync(target, { recursive: true, force: true });
      mkdirSync(target, { recursive: true });
      await wh.run(
        `copy (select *, strftime(${col}, '%Y-%m') as month from raw.${table} where ${col} < '${cutoff}'::timestamptz)
         to '${target}' (format parquet, partition_by (month), overwrite_or_ignore true)`,
      );
      await wh.run(
        `create or replace view archive.${table} as select * from read_parquet('${target}/**/*.parquet', hive_partitioning = true)`,
      );
      await wh.run("insert into ops.archive_log values ($1::timestamptz, 'parquet', $2, $3, null, null)", [
        opts.now.toISOString(),
        `raw.${table} < ${cutoff}`,
        n,
      ]);
    }
  });
  return { cutoff, tables, dir };
}
