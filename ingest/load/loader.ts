import { existsSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { listValue } from "@duckdb/node-api";
import type { HomeLayout } from "../../core/home.ts";
import type { Logger } from "../../core/log.ts";
import type { Warehouse } from "../../core/warehouse.ts";
import { MARKETING_TABLES, type MarketingTable } from "../landing/marketing.ts";
import { listLanded, type LandedFile } from "./landing-files.ts";

const SQL_DIR = fileURLToPath(new URL("./sql/", import.meta.url));
const sqlFile = (name: string) => join(SQL_DIR, `${name}.sql`);

export type LoadSource = "webhooks" | "outbound" | MarketingTable | "crm";

export interface SourceReport {
  source: LoadSource;
  files: number;
  lines: number;
  loaded: number;
  quarantined: number;
  /** Files already in the ledger, skipped. */
  alreadyLoaded: number;
  ms: number;
}

export interface LoadProgress {
  (source: LoadSource, done: number, total: number): void;
}

/** Creates the raw schema if missing; safe to run on every start. */
export async function ensureRawSchema(wh: Warehouse): Promise<void> {
  await wh.runFile(sqlFile("raw-schema"));
}

async function loadedSet(wh: Warehouse, source: LoadSource): Promise<Map<string, number>> {
  const rows = await wh.rows<{ file: string; file_bytes: number | null }>(
    "select file, file_bytes::double as file_bytes from raw.load_ledger where source = $1",
    [source],
  );
  return new Map(rows.map((r) => [r.file, r.file_bytes ?? -1]));
}

async function setVariables(wh: Warehouse, vars: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(vars)) {
    await wh.run(`set variable ${name} = $1`, [value]);
  }
}

async function recordLedger(
  wh: Warehouse,
  source: LoadSource,
  file: LandedFile,
  counts: { lines: number; loaded: number; quarantined: number },
): Promise<void> {
  await wh.run("insert into raw.load_ledger values ($1, $2, $3, $4, $5, $6, current_timestamp)", [
    source,
    file.rel,
    file.bytes,
    counts.lines,
    counts.loaded,
    counts.quarantined,
  ]);
}

type Counts = { lines: number; loaded: number; quarantined: number };

/** Lines, loaded and quarantined per file of what was just checked. */
async function checkedCounts(wh: Warehouse): Promise<Map<string, Counts>> {
  const rows = await wh.rows<{ file: string } & Counts>(
    `select file, count(*)::double as lines,
            count(*) filter (where problem is null)::double as loaded,
            count(*) filter (where problem is not null)::double as quarantined
     from checked group by file`,
  );
  return new Map(rows.map((r) => [r.file, { lines: r.lines, loaded: r.loaded, quarantined: r.quarantined }]));
}

/** Names the files that the next `landed-lines.sql` splits (a batch, or one CSV file). */
async function stageFiles(wh: Warehouse, files: readonly LandedFile[]): Promise<void> {
  const abs = listValue(files.map((f) => f.abs));
  await wh.run("create or replace temp table landed_files as select unnest($1) as abs, unnest($2) as rel", [
    abs,
    listValue(files.map((f) => f.rel)),
  ]);
  await wh.run("set variable landed_paths = $1", [abs]);
}

/**
 * Loads a batch of NDJSON landing files in one transaction together with their ledger rows:
 * set-based over the whole batch (per-file statements cost more than the work itself), and still
 * all or nothing, so a crash loads no file twice and loses none.
 */
async function loadNdjsonBatch(
  wh: Warehouse,
  source: "webhooks" | "outbound",
  files: readonly LandedFile[],
): Promise<Map<string, Counts>> {
  return wh.transaction(async () => {
    await stageFiles(wh, files);
    await setVariables(wh, { landed_source: source });
    await wh.runFile(sqlFile("landed-lines"));
    await wh.runFile(sqlFile(source));
    await wh.runFile(sqlFile("quarantine"));
    const counts = await checkedCounts(wh);
    const out = new Map<string, Counts>();
    for (const f of files) {
      const c = counts.get(f.rel) ?? { lines: 0, loaded: 0, quarantined: 0 };
      await recordLedger(wh, source, f, c);
      out.set(f.rel, c);
    }
    return out;
  });
}

/** Consecutive batches of up to `maxBytes` (and `maxFiles`), at least one file each. */
export function batchFiles<T extends { bytes: number }>(files: readonly T[], maxBytes: number, maxFiles = 256): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const f of files) {
    if (current.length > 0 && (size + f.bytes > maxBytes || current.length >= maxFiles)) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(f);
    size += f.bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** How much landed data one transaction takes: large enough to amortise, small enough for memory. */
const BATCH_BYTES = 256 * 1024 * 1024;

async function quarantineWholeFile(
  wh: Warehouse,
  source: LoadSource,
  file: LandedFile,
  field: string | null,
  reason: string,
) {
  await wh.run("insert into raw.quarantine values ($1, $2, 0, $3, $4, null, current_timestamp)", [
    source,
    file.rel,
    field,
    reason,
  ]);
  const counts = { lines: 0, loaded: 0, quarantined: 1 };
  await recordLedger(wh, source, file, counts);
  return counts;
}

/** Loads one marketing CSV export; a wrong header quarantines the file, bad rows quarantine alone. */
async function loadCsvFile(wh: Warehouse, table: MarketingTable, file: LandedFile) {
  return wh.transaction(async () => {
    await stageFiles(wh, [file]);
    await setVariables(wh, { landed_path: file.abs, landed_file: file.rel, landed_source: table });
    await wh.runFile(sqlFile("landed-lines"));
    try {
      await wh.runFile(sqlFile("csv-rows"));
    } catch (err) {
      return quarantineWholeFile(wh, table, file, null, `CSV file could not be read: ${(err as Error).message}`);
    }
    const header = (await wh.rows<{ column_name: string }>("describe csv_rows"))
      .map((r) => r.column_name)
      .filter((c) => c !== "row_idx");
    const expected: readonly string[] = MARKETING_TABLES[table];
    if (header.join(",") !== expected.join(",")) {
      return quarantineWholeFile(
        wh,
        table,
        file,
        "header",
        `header is "${header.join(",")}", expected "${expected.join(",")}"`,
      );
    }
    await wh.runFile(sqlFile("csv-rejects"));
    await wh.runFile(sqlFile(table));
    await wh.runFile(sqlFile("quarantine"));
    const counts = (await checkedCounts(wh)).get(file.rel) ?? { lines: 0, loaded: 0, quarantined: 0 };
    const rejected = Number(await wh.scalar("select count(*)::double from csv_rejects"));
    const withRejects = { ...counts, lines: counts.lines + rejected, quarantined: counts.quarantined + rejected };
    await recordLedger(wh, table, file, withRejects);
    return withRejects;
  });
}

interface CrmSnapshotDir extends LandedFile {
  readonly snapshotId: string;
  readonly crm: string;
  readonly snapshotAt: string;
}

function listCrmSnapshots(home: HomeLayout): CrmSnapshotDir[] {
  const root = join(home.landing.root, "crm");
  if (!existsSync(root)) return [];
  const out: CrmSnapshotDir[] = [];
  for (const crm of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const manifest of listLanded(home.root, join(root, crm.name), "manifest.json")) {
      const dir = manifest.abs.slice(0, -"/manifest.json".length);
      const snapshotId = dir.split(sep).pop()!;
      out.push({
        abs: dir,
        rel: relative(home.root, dir).split(sep).join("/"),
        bytes: manifest.bytes,
        snapshotId,
        crm: crm.name,
        snapshotAt: snapshotIdToIso(snapshotId),
      });
    }
  }
  return out.sort((a, b) => a.rel.localeCompare(b.rel));
}

/** Snapshot ids are `yyyymmddThhmmssSSSZ`; the loader needs the instant back. */
export function snapshotIdToIso(id: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(id);
  if (!m) throw new Error(`CRM snapshot folder "${id}" is not named yyyymmddThhmmssSSSZ`);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`;
}

async function loadCrmSnapshot(wh: Warehouse, snap: CrmSnapshotDir) {
  return wh.transaction(async () => {
    const before = await crmRowCount(wh);
    await setVariables(wh, {
      crm_dir: snap.abs,
      snapshot_id: snap.snapshotId,
      snapshot_at: snap.snapshotAt,
      crm_name: snap.crm,
    });
    await wh.runFile(sqlFile("crm"));
    const loaded = (await crmRowCount(wh)) - before;
    const counts = { lines: loaded, loaded, quarantined: 0 };
    await recordLedger(wh, "crm", snap, counts);
    return counts;
  });
}

async function crmRowCount(wh: Warehouse): Promise<number> {
  return Number(
    await wh.scalar(
      `select ((select count(*) from raw.crm_contacts) + (select count(*) from raw.crm_products)
             + (select count(*) from raw.crm_orders) + (select count(*) from raw.crm_order_items))::double`,
    ),
  );
}

/**
 * Loads every sealed landing file not yet in the ledger into `raw`. Files load in transactions
 * together with their ledger rows, so a crash at any point loads nothing twice and loses nothing.
 */
export async function loadLanded(
  wh: Warehouse,
  home: HomeLayout,
  log: Logger,
  onProgress?: LoadProgress,
): Promise<SourceReport[]> {
  await ensureRawSchema(wh);
  const plans: Array<{
    source: LoadSource;
    files: LandedFile[];
    /** Loads one batch of files; returns the counts per file (relative path). */
    load: (batch: LandedFile[]) => Promise<Map<string, Counts>>;
    batchBytes: number;
  }> = [
    {
      source: "webhooks",
      files: listLanded(home.root, home.landing.webhooks),
      load: (batch) => loadNdjsonBatch(wh, "webhooks", batch),
      batchBytes: BATCH_BYTES,
    },
    {
      source: "outbound",
      files: listLanded(home.root, home.landing.outbound),
      load: (batch) => loadNdjsonBatch(wh, "outbound", batch),
      batchBytes: BATCH_BYTES,
    },
    ...(Object.keys(MARKETING_TABLES) as MarketingTable[]).map((table) => ({
      source: table,
      files: listLanded(home.root, join(home.landing.marketing, table), ".csv"),
      load: async (batch: LandedFile[]) => new Map([[batch[0]!.rel, await loadCsvFile(wh, table, batch[0]!)]]),
      batchBytes: 0,
    })),
    {
      source: "crm" as const,
      files: listCrmSnapshots(home),
      load: async (batch: LandedFile[]) =>
        new Map([[batch[0]!.rel, await loadCrmSnapshot(wh, batch[0]! as CrmSnapshotDir)]]),
      batchBytes: 0,
    },
  ];

  const reports: SourceReport[] = [];
  for (const plan of plans) {
    const started = performance.now();
    const done = await loadedSet(wh, plan.source);
    const report: SourceReport = {
      source: plan.source,
      files: 0,
      lines: 0,
      loaded: 0,
      quarantined: 0,
      alreadyLoaded: 0,
      ms: 0,
    };
    const todo = plan.files.filter((f) => {
      const bytes = done.get(f.rel);
      if (bytes === undefined) return true;
      report.alreadyLoaded += 1;
      if (plan.source !== "crm" && bytes !== f.bytes) {
        log.warn(
          `${f.rel}: changed since it was loaded (${bytes} -> ${f.bytes} bytes); sealed files must not change. Not reloaded.`,
        );
      }
      return false;
    });
    for (const batch of batchFiles(todo, plan.batchBytes)) {
      const counts = await plan.load(batch);
      for (const [rel, c] of counts) {
        report.files += 1;
        report.lines += c.lines;
        report.loaded += c.loaded;
        report.quarantined += c.quarantined;
        if (c.quarantined > 0) log.warn(`${rel}: ${c.quarantined} line(s) quarantined (see raw.quarantine)`);
      }
      onProgress?.(plan.source, report.files, todo.length);
    }
    report.ms = performance.now() - started;
    reports.push(report);
  }
  return reports;
}
