import { existsSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
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

async function checkedCounts(wh: Warehouse): Promise<{ lines: number; loaded: number; quarantined: number }> {
  const [row] = await wh.rows<{ lines: number; loaded: number; quarantined: number }>(
    `select count(*)::double as lines,
            count(*) filter (where problem is null)::double as loaded,
            count(*) filter (where problem is not null)::double as quarantined
     from checked`,
  );
  return row!;
}

/** Loads one NDJSON landing file in one transaction together with its ledger entry. */
async function loadNdjsonFile(wh: Warehouse, source: "webhooks" | "outbound", file: LandedFile) {
  return wh.transaction(async () => {
    await setVariables(wh, { landed_path: file.abs, landed_file: file.rel, landed_source: source });
    await wh.runFile(sqlFile("landed-lines"));
    await wh.runFile(sqlFile(source));
    await wh.runFile(sqlFile("quarantine"));
    const counts = await checkedCounts(wh);
    await recordLedger(wh, source, file, counts);
    return counts;
  });
}

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
    const counts = await checkedCounts(wh);
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
 * Loads every sealed landing file not yet in the ledger into `raw`. Each file is one transaction
 * with its ledger row, so a crash at any point loads nothing twice and loses nothing.
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
    load: (f: LandedFile) => Promise<{ lines: number; loaded: number; quarantined: number }>;
  }> = [
    {
      source: "webhooks",
      files: listLanded(home.root, home.landing.webhooks),
      load: (f) => loadNdjsonFile(wh, "webhooks", f),
    },
    {
      source: "outbound",
      files: listLanded(home.root, home.landing.outbound),
      load: (f) => loadNdjsonFile(wh, "outbound", f),
    },
    ...(Object.keys(MARKETING_TABLES) as MarketingTable[]).map((table) => ({
      source: table,
      files: listLanded(home.root, join(home.landing.marketing, table), ".csv"),
      load: (f: LandedFile) => loadCsvFile(wh, table, f),
    })),
    {
      source: "crm",
      files: listCrmSnapshots(home),
      load: (f) => loadCrmSnapshot(wh, f as CrmSnapshotDir),
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
    for (const [i, file] of todo.entries()) {
      const counts = await plan.load(file);
      report.files += 1;
      report.lines += counts.lines;
      report.loaded += counts.loaded;
      report.quarantined += counts.quarantined;
      if (counts.quarantined > 0)
        log.warn(`${file.rel}: ${counts.quarantined} line(s) quarantined (see raw.quarantine)`);
      onProgress?.(plan.source, i + 1, todo.length);
    }
    report.ms = performance.now() - started;
    reports.push(report);
  }
  return reports;
}
