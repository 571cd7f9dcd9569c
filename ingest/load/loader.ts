import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
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
  await recordLedgerRows(wh, source, [[file, counts]]);
}

/** One statement for a whole batch: a statement per file costs more than its row once files are small. */
async function recordLedgerRows(
  wh: Warehouse,
  source: LoadSource,
  rows: ReadonlyArray<readonly [LandedFile, { lines: number; loaded: number; quarantined: number }]>,
): Promise<void> {
  const column = (pick: (row: (typeof rows)[number]) => string | number) => listValue(rows.map(pick));
  await wh.run(
    `insert into raw.load_ledger
     select $1, unnest($2), unnest($3), unnest($4), unnest($5), unnest($6), current_timestamp`,
    [
      source,
      column(([f]) => f.rel),
      column(([f]) => f.bytes),
      column(([, c]) => c.lines),
      column(([, c]) => c.loaded),
      column(([, c]) => c.quarantined),
    ],
  );
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

/**
 * Names the files that the next `landed-lines.sql` reads (a batch, or one CSV file), in this order.
 */
async function stageFiles(wh: Warehouse, files: readonly LandedFile[]): Promise<void> {
  const abs = listValue(files.map((f) => f.abs));
  const rel = listValue(files.map((f) => f.rel));
  await wh.run(
    "create or replace temp table landed_files as select unnest($1) as abs, unnest($2) as rel, unnest($3) as idx",
    [abs, rel, listValue(files.map((_, i) => i))],
  );
  await wh.run("set variable landed_paths = $1", [abs]);
  await wh.run("set variable landed_rels = $1", [rel]);
}

type NdjsonSource = "webhooks" | "outbound";

/**
 * The fields of each NDJSON landing line that the checks read, with the DuckDB type each is read
 * as (formats in ../landing/format.ts). Fields are read as text (headers as JSON), so that a
 * value of the wrong type becomes a named problem rather than a failed load.
 */
const LINE_FIELDS: Record<NdjsonSource, Record<string, string>> = {
  webhooks: {
    v: "VARCHAR",
    receipt_id: "VARCHAR",
    received_at: "VARCHAR",
    body: "VARCHAR",
    body_base64: "VARCHAR",
    body_sha256: "VARCHAR",
    path: "VARCHAR",
    remote_addr: "VARCHAR",
    signature: "VARCHAR",
    headers: "JSON",
  },
  outbound: Object.fromEntries(
    [
      "v",
      "message_id",
      "sent_at",
      "phone_number_id",
      "recipient_wa_id",
      "recipient_user_id",
      "sender_kind",
      "agent_id",
      "agent_name",
      "automation_id",
      "template_name",
      "template_category",
      "template_language",
      "campaign_id",
      "message_type",
      "text",
      "reply_to_message_id",
    ].map((field) => [field, "VARCHAR"]),
  ),
};

/** The same line type for the fast path's reader (a STRUCT) and the careful path's json_transform. */
function lineTypeVariables(source: NdjsonSource): Record<string, string> {
  const fields = Object.entries(LINE_FIELDS[source]);
  return {
    line_type: `STRUCT(${fields.map(([name, type]) => `"${name}" ${type}`).join(", ")})`,
    line_json_type: JSON.stringify(LINE_FIELDS[source]),
  };
}

/** The raw table each NDJSON source loads into. */
const RAW_TABLE: Record<NdjsonSource, string> = {
  webhooks: "raw.webhook_receipts",
  outbound: "raw.outbound_messages",
};

/** What DuckDB raises when its NDJSON reader meets a line it cannot read as one JSON object. */
function isUnreadableLine(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith("Invalid Input Error");
}

/**
 * Lines in a landed file, counted as landed-lines.sql splits them: a newline ends a line, and the
 * empty string after a file's final newline is not one. Counting bytes here is several times
 * cheaper than splitting the text in SQL, and the fast path needs only the count.
 */
async function countLines(abs: string): Promise<number> {
  const bytes = await readFile(abs);
  if (bytes.length === 0) return 0;
  let newlines = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) newlines++;
  return bytes[bytes.length - 1] === 10 ? newlines : newlines + 1;
}

/**
 * Fast path: DuckDB's NDJSON reader over the whole batch straight into the source's checks and
 * the insert, one statement. Returns the files it loaded whole with their line counts; the rows of
 * the other files (any bad or blank line) are taken out again for the careful path. Throws an
 * Invalid Input Error when some line is not a JSON object at all.
 */
async function loadFast(
  wh: Warehouse,
  source: NdjsonSource,
  files: readonly LandedFile[],
): Promise<Map<string, number>> {
  const rels = listValue(files.map((f) => f.rel));
  await setVariables(wh, { ...lineTypeVariables(source), raw_table: RAW_TABLE[source] });
  await wh.run("set variable landed_paths = $1", [listValue(files.map((f) => f.abs))]);
  await wh.run("set variable landed_rels = $1", [rels]);
  // Node counts the lines while DuckDB reads the same files: the counts are needed only afterwards.
  const insert = (async () => {
    await wh.runFile(sqlFile("parse-files"));
    await wh.runFile(sqlFile(`${source}-check`));
    await wh.runFile(sqlFile(`${source}-insert`));
  })();
  const counting = (async () => {
    const lines: number[] = [];
    for (const f of files) lines.push(await countLines(f.abs));
    return lines;
  })();
  const [lines] = await Promise.all([counting, insert]);
  await wh.run("create or replace temp table landed_counts as select unnest($1) as file, unnest($2) as lines", [
    rels,
    listValue(lines),
  ]);
  await wh.runFile(sqlFile("fast-files"));
  const verdicts = await wh.rows<{ file: string; lines: number; whole: boolean }>(
    "select file, lines::double as lines, whole from fast_files",
  );
  if (verdicts.some((v) => !v.whole)) {
    await wh.run(
      `delete from ${RAW_TABLE[source]} where loaded_at = current_timestamp and file in (select file from fast_files where not whole)`,
    );
  }
  return new Map(verdicts.filter((v) => v.whole).map((v) => [v.file, v.lines]));
}

/**
 * Careful path: splits the files into numbered lines and parses each line on its own, so every
 * bad line is quarantined with its number, field, reason and text while the others load.
 */
async function loadLineByLine(
  wh: Warehouse,
  source: NdjsonSource,
  files: readonly LandedFile[],
): Promise<Map<string, Counts>> {
  await stageFiles(wh, files);
  await setVariables(wh, { ...lineTypeVariables(source), landed_source: source });
  await wh.runFile(sqlFile("landed-lines"));
  await wh.runFile(sqlFile("parse-lines"));
  await wh.runFile(sqlFile(`${source}-check`));
  // Checked once: the insert, quarantine.sql and the counts all read the materialised rows.
  await wh.run("create or replace temp table checked as select * from line_checks");
  await wh.run("create or replace temp view line_checks as select * from checked");
  await wh.runFile(sqlFile(`${source}-insert`));
  await wh.runFile(sqlFile("quarantine"));
  return checkedCounts(wh);
}

/**
 * Loads a batch of NDJSON landing files in one transaction together with their ledger rows:
 * set-based over the whole batch (per-file statements cost more than the work itself), and still
 * all or nothing, so a crash loads no file twice and loses none. Files that the fast path reads
 * cleanly stay loaded from it; the others (a bad or blank line) load line by line. When some line
 * is not even a JSON object, the fast path fails the whole transaction: the batch is then split
 * in halves, down to the one file that loads line by line.
 */
async function loadNdjsonBatch(
  wh: Warehouse,
  source: NdjsonSource,
  files: readonly LandedFile[],
): Promise<Map<string, Counts>> {
  const ledger = async (counts: Map<string, Counts>) => {
    const rows = files.map((f) => [f, counts.get(f.rel) ?? { lines: 0, loaded: 0, quarantined: 0 }] as const);
    await recordLedgerRows(wh, source, rows);
    return new Map(rows.map(([f, c]) => [f.rel, c]));
  };
  try {
    return await wh.transaction(async () => {
      const whole = await loadFast(wh, source, files);
      const counts = new Map<string, Counts>();
      for (const [rel, lines] of whole) counts.set(rel, { lines, loaded: lines, quarantined: 0 });
      const careful = files.filter((f) => !whole.has(f.rel));
      if (careful.length > 0) {
        for (const [rel, c] of await loadLineByLine(wh, source, careful)) counts.set(rel, c);
      }
      return ledger(counts);
    });
  } catch (err) {
    if (!isUnreadableLine(err)) throw err;
  }
  if (files.length === 1) return wh.transaction(async () => ledger(await loadLineByLine(wh, source, files)));
  const half = Math.ceil(files.length / 2);
  const first = await loadNdjsonBatch(wh, source, files.slice(0, half));
  return new Map([...first, ...(await loadNdjsonBatch(wh, source, files.slice(half)))]);
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
