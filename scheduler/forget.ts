import { createHmac, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { gunzipSync } from "node:zlib";
import SQLite from "better-sqlite3";
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { withWarehouse } from "../core/warehouse.ts";
import type { PipelineContext } from "./pipeline.ts";
import { archiveToParquet, copySchemas, replayLanding, swapWarehouse, writeFileAtomic, GZ_SUFFIX } from "./archive.ts";
import { backupsDir, backupWarehouse, withPipelineLock, withWarehouseFile } from "./maintenance.ts";
import { ensureOpsSchema } from "./ops-store.ts";
import { scheduleConfigOf } from "./schedule-config.ts";
import { defaultRegistry, type StepRegistry } from "./steps.ts";

/**
 * `scrm forget <phone>`: a privacy erasure. The person's lines are removed from every file in the
 * home folder (landing segments, gzipped or not, CRM snapshots with their orders, marketing CSVs,
 * exports, logs), everything else in those files stays byte-identical. The warehouse is then
 * replayed from the rewritten landing zone into a fresh file (so no deleted row survives in free
 * DuckDB blocks), the marts are rebuilt, and older warehouse copies and backups are replaced.
 * The audit row holds an HMAC of the number, never the number.
 */

export interface Subject {
  readonly e164: string;
  /** Every digit string the number is written as: international, national, trunk-prefixed. */
  readonly digitForms: string[];
  /** Matches the number in any of those forms, with separators, not inside a longer number. */
  readonly regex: RegExp;
  /** The same, for DuckDB's regexp_matches (RE2). */
  readonly re2: string;
}

const SEP = "[\\s().\\-]*";

export function subjectOf(phone: string, defaultRegion: string): Subject {
  const parsed = parsePhoneNumberFromString(phone, defaultRegion as CountryCode);
  if (!parsed || !parsed.isPossible())
    throw new Error("not a phone number this tool can recognise (use E.164, e.g. +85291234567)");
  const cc = parsed.countryCallingCode;
  const nsns = new Set([parsed.nationalNumber as string]);
  // WhatsApp ids of Brazilian mobiles often lack the ninth digit.
  const n = parsed.nationalNumber as string;
  if (cc === "55" && n.length === 11 && n[2] === "9") nsns.add(n.slice(0, 2) + n.slice(3));
  const spaced = (digits: string) => digits.split("").join(SEP);
  const national = [...nsns].map(spaced).join("|");
  const body = `(?:(?:\\+|00)?${SEP}${spaced(cc)}${SEP})?(?:0${SEP})?(?:${national})`;
  const source = `(^|[^0-9])${body}([^0-9]|$)`;
  const digitForms = [...nsns].flatMap((x) => [cc + x, x, "0" + x]);
  return { e164: parsed.number as string, digitForms, regex: new RegExp(source), re2: source };
}

export interface ForgetReport {
  filesRewritten: number;
  linesRemoved: number;
  openSegmentsSkipped: string[];
  contactIds: string[];
  crmSqliteRows: number;
  rawRowsBefore: number;
  rawRowsAfter: number;
  backupsReplaced: number;
  warehouseCopiesDeleted: number;
  marts: "rebuilt" | "not rebuilt";
}

function isText(buf: Buffer): boolean {
  return !buf.subarray(0, 8192).includes(0);
}

/** Removes the lines `drop` selects; returns the new content and how many lines went. */
function filterLines(content: Buffer, drop: (line: string) => boolean): { out: Buffer; removed: number } {
  const text = content.toString("utf8");
  const lines = text.split("\n");
  const kept: string[] = [];
  let removed = 0;
  lines.forEach((line, i) => {
    // The empty string after a final newline is not a line.
    if (i === lines.length - 1 && line === "") {
      kept.push(line);
      return;
    }
    if (drop(line)) removed += 1;
    else kept.push(line);
  });
  return { out: removed ? Buffer.from(kept.join("\n"), "utf8") : content, removed };
}

function walkFiles(root: string, skip: (rel: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const rel = relative(root, p).split(sep).join("/");
      if (skip(rel)) continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

function jsonField(line: string, field: string): string | null {
  try {
    const v = (JSON.parse(line) as Record<string, unknown>)[field];
    return v === null || v === undefined ? null : String(v);
  } catch {
    return null;
  }
}

/** The installation's secret salt for audit hashes (created on first use, never logged). */
function auditSalt(homeRoot: string): Buffer {
  const file = join(homeRoot, "run", "forget-audit.salt");
  if (!existsSync(file)) {
    mkdirSync(join(homeRoot, "run"), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  }
  return Buffer.from(readFileSync(file, "utf8").trim(), "hex");
}

export function subjectHash(homeRoot: string, e164: string): string {
  return createHmac("sha256", auditSalt(homeRoot)).update(e164).digest("hex");
}

async function rawRowCount(warehouse: string): Promise<number> {
  if (!existsSync(warehouse)) return 0;
  return withWarehouse(warehouse, { readOnly: true }, async (wh) => {
    const tables = await wh.rows<{ t: string }>(
      "select table_name as t from duckdb_tables() where database_name = current_database() and schema_name = 'raw'",
    );
    let n = 0;
    for (const { t } of tables) n += Number(await wh.scalar(`select count(*)::double from raw."${t}"`));
    return n;
  });
}

export async function forgetPerson(
  ctx: PipelineContext,
  phone: string,
  opts: { registry?: StepRegistry; transform?: boolean } = {},
): Promise<ForgetReport> {
  const { home, config } = ctx.loaded;
  const subject = subjectOf(phone, config.business.defaultRegion);
  return withPipelineLock(ctx, "forget", async () => {
    const report: ForgetReport = {
      filesRewritten: 0,
      linesRemoved: 0,
      openSegmentsSkipped: [],
      contactIds: [],
      crmSqliteRows: 0,
      rawRowsBefore: await rawRowCount(home.warehouse),
      rawRowsAfter: 0,
      backupsReplaced: 0,
      warehouseCopiesDeleted: 0,
      marts: "not rebuilt",
    };
    const matches = (line: string) => subject.regex.test(line);

    // Files handled elsewhere: the warehouse and its copies, backups and Parquet archives (recreated
    // below), the replay staging area, the CRM database (SQL deletes).
    const derived = (rel: string) =>
      /^warehouse[^/]*\.duckdb(\.wal)?$/.test(rel) ||
      rel === "backups" ||
      rel === "archive" ||
      rel.startsWith(".replay-") ||
      rel === relative(home.root, home.crmSqlite).split(sep).join("/") ||
      rel === "run";
    const files = existsSync(home.root) ? walkFiles(home.root, derived) : [];

    const rewrite = (abs: string, drop: (line: string) => boolean) => {
      const gz = abs.endsWith(GZ_SUFFIX);
      const raw = readFileSync(abs);
      const content = gz ? gunzipSync(raw) : raw;
      if (!isText(content)) return;
      const { out, removed } = filterLines(content, drop);
      if (removed === 0) return;
      writeFileAtomic(abs, out, gz);
      report.filesRewritten += 1;
      report.linesRemoved += removed;
    };

    // 1. CRM snapshots: the contact lines first, then that contact's orders and order items.
    const crmFiles = (name: string) =>
      files.filter((f) => f.includes(`${sep}crm${sep}`) && f.endsWith(`${sep}${name}`));
    const contactIds = new Set<string>();
    for (const f of crmFiles("contacts.ndjson")) {
      rewrite(f, (line) => {
        if (!matches(line)) return false;
        const id = jsonField(line, "id");
        if (id) contactIds.add(id);
        return true;
      });
    }
    const orderIds = new Set<string>();
    for (const f of crmFiles("orders.ndjson")) {
      rewrite(f, (line) => {
        const c = jsonField(line, "contact_id");
        if (!(c !== null && contactIds.has(c)) && !matches(line)) return false;
        const id = jsonField(line, "id");
        if (id) orderIds.add(id);
        return true;
      });
    }
    for (const f of crmFiles("order_items.ndjson")) {
      rewrite(f, (line) => {
        const o = jsonField(line, "order_id");
        return (o !== null && orderIds.has(o)) || matches(line);
      });
    }
    report.contactIds = [...contactIds];

    // 2. Everything else in the home folder: landing segments (gzipped too), CSVs, exports, logs.
    const done = new Set([
      ...crmFiles("contacts.ndjson"),
      ...crmFiles("orders.ndjson"),
      ...crmFiles("order_items.ndjson"),
    ]);
    const idCell = contactIds.size
      ? new RegExp(`(^|,)(${[...contactIds].map((s) => s.replace(/[^\w-]/g, "\\$&")).join("|")})(,|$)`)
      : null;
    for (const f of files) {
      if (done.has(f)) continue;
      if (f.endsWith(".open") || f.endsWith(".ndjson.open")) {
        if (matches(readFileSync(f, "utf8"))) report.openSegmentsSkipped.push(relative(home.root, f));
        continue;
      }
      const isLeadsCsv = f.includes(`${sep}leads${sep}`) && f.endsWith(".csv");
      rewrite(f, (line) => matches(line) || (isLeadsCsv && idCell !== null && idCell.test(line)));
    }

    // 3. The CRM database inside the home (the demo's embedded CRM).
    if (existsSync(home.crmSqlite)) {
      const db = new SQLite(home.crmSqlite);
      try {
        db.function("forget_match", (v: unknown) => (v !== null && subject.regex.test(String(v)) ? 1 : 0));
        const ids = (
          db.prepare("select id from contacts where forget_match(phone) = 1").all() as Array<{ id: string }>
        ).map((r) => r.id);
        for (const id of ids) contactIds.add(id);
        const tx = db.transaction(() => {
          for (const id of ids) {
            report.crmSqliteRows += db
              .prepare("delete from order_items where order_id in (select id from orders where contact_id = ?)")
              .run(id).changes;
            report.crmSqliteRows += db.prepare("delete from orders where contact_id = ?").run(id).changes;
            report.crmSqliteRows += db.prepare("delete from contacts where id = ?").run(id).changes;
          }
        });
        tx();
        db.exec("vacuum");
      } finally {
        db.close();
      }
    }

    // 4. A fresh warehouse replayed from the rewritten landing zone; ops carried over, filtered.
    const fresh = join(home.root, "warehouse.forget.duckdb");
    await replayLanding(home, fresh, ctx.log);
    const opsFilter = (_table: string, cols: string[]) =>
      `not regexp_matches(concat_ws(chr(31), ${cols.map((c) => `coalesce("${c}"::varchar, '')`).join(", ")}), '${subject.re2.replace(/'/g, "''")}')`;
    await copySchemas(home.warehouse, fresh, ["ops"], opsFilter);
    if (opts.transform !== false) {
      const step = (opts.registry ?? defaultRegistry).get("transform");
      if (step) {
        await step.run({
          ...withWarehouseFile(ctx, fresh),
          job: "forget",
          runId: "forget",
          dbtSelect: [],
          signal: new AbortController().signal,
        });
        report.marts = "rebuilt";
      }
    }
    swapWarehouse(home.warehouse, fresh, null);
    for (const f of readdirSync(home.root)) {
      if (/^warehouse\.before-.*\.duckdb(\.wal)?$/.test(f)) {
        rmSync(join(home.root, f), { force: true });
        report.warehouseCopiesDeleted += 1;
      }
    }
    report.rawRowsAfter = await rawRowCount(home.warehouse);

    // 5. Derived copies: the Parquet archive is re-cut, older backups are replaced by a fresh one.
    if (existsSync(join(home.root, "archive", "raw"))) {
      rmSync(join(home.root, "archive", "raw"), { recursive: true, force: true });
      await archiveToParquet(home, { now: ctx.now(), retentionDays: scheduleConfigOf(config).retention.days });
    }
    const bdir = backupsDir(ctx);
    const oldBackups = existsSync(bdir) ? readdirSync(bdir) : [];
    await withWarehouse(home.warehouse, {}, async (wh) => {
      await ensureOpsSchema(wh);
      await wh.run("insert into ops.forget_audit values ($1::timestamptz, $2, $3, $4, $5, $6, $7, $8)", [
        ctx.now().toISOString(),
        subjectHash(home.root, subject.e164),
        report.filesRewritten,
        report.linesRemoved,
        report.rawRowsBefore,
        report.rawRowsAfter,
        oldBackups.length,
        `${report.contactIds.length} CRM contact(s), ${report.crmSqliteRows} CRM database row(s); marts ${report.marts}` +
          (report.openSegmentsSkipped.length
            ? `; ${report.openSegmentsSkipped.length} open segment(s) still to erase`
            : ""),
      ]);
      await wh.run("checkpoint");
    });
    if (oldBackups.length) {
      for (const b of oldBackups) rmSync(join(bdir, b), { recursive: true, force: true });
      await backupWarehouse(ctx, { lockHeld: true });
      report.backupsReplaced = oldBackups.length;
    }
    return report;
  });
}

/** `scrm forget <phone>`; exit 1 if an open (still being written) segment holds the person. */
export async function forgetCommand(ctx: PipelineContext, phone: string): Promise<number> {
  const r = await forgetPerson(ctx, phone);
  ctx.log.info(
    `✓ forget: ${r.linesRemoved} line(s) removed from ${r.filesRewritten} file(s); raw rows ${r.rawRowsBefore} -> ${r.rawRowsAfter}; marts ${r.marts}; ${r.backupsReplaced} backup(s) replaced; audit entry in ops.forget_audit`,
  );
  if (r.openSegmentsSkipped.length) {
    ctx.log.warn(
      `${r.openSegmentsSkipped.length} open landing segment(s) mention the person; run forget again once they are sealed`,
    );
    return 1;
  }
  return 0;
}
