import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ConnectorError, type CrmConnector, type CrmEntity, type SourceRow } from "./connector.ts";
import { entityColumns, MappingError, type CrmMapping } from "./mapping.ts";
import { toIso } from "./snapshot.ts";

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF, a UTF-8 BOM) into header-keyed rows. */
export function parseCsv(text: string): { header: string[]; rows: Record<string, string>[] } {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && src[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || record.length) {
    record.push(field);
    records.push(record);
  }
  const [header = [], ...body] = records.filter((r) => !(r.length === 1 && r[0] === ""));
  const names = header.map((h) => h.trim());
  return { header: names, rows: body.map((r) => Object.fromEntries(names.map((h, i) => [h, r[i] ?? ""]))) };
}

/**
 * CSV exports (HubSpot, Zoho, Salesforce column conventions; see CSV_PRESETS): `<dir>/<table>.csv`
 * per mapped entity, e.g. contacts.csv and deals.csv for HubSpot, Contact.csv for Salesforce.
 * An export is a full copy, so it lists every id (deletions are detected) and is read-only.
 */
export class CsvCrmConnector implements CrmConnector {
  readonly kind = "csv" as const;
  private readonly cache = new Map<string, { header: string[]; rows: Record<string, string>[] }>();
  constructor(
    readonly dir: string,
    readonly mapping: CrmMapping,
  ) {}

  private fileFor(table: string): string | null {
    if (!existsSync(this.dir)) return null;
    const want = `${table}.csv`.toLowerCase();
    const name = readdirSync(this.dir).find((f) => f.toLowerCase() === want);
    return name ? join(this.dir, name) : null;
  }

  private read(table: string) {
    let hit = this.cache.get(table);
    if (!hit) {
      const file = this.fileFor(table);
      if (!file) throw new MappingError(`CSV export: no file ${table}.csv in ${this.dir}`);
      hit = parseCsv(readFileSync(file, "utf8"));
      this.cache.set(table, hit);
    }
    return hit;
  }

  async validate(): Promise<void> {
    const problems: string[] = [];
    for (const key of ["contacts", "orders"] as const) {
      const e = this.mapping[key];
      if (!e) continue;
      if (!this.fileFor(e.table)) {
        if (key === "contacts") problems.push(`contacts.table: no file ${e.table}.csv in ${this.dir}`);
        continue;
      }
      const header = new Set(this.read(e.table).header);
      for (const c of entityColumns(e)) {
        if (!header.has(c)) problems.push(`${key}: column "${c}" is not in the header of ${e.table}.csv`);
      }
    }
    if (problems.length)
      throw new MappingError(`the CRM mapping does not match the CSV export:\n  ${problems.join("\n  ")}`);
  }

  async *readChanged(entity: CrmEntity, since: string | null): AsyncIterable<SourceRow> {
    const e = this.mapping[entity];
    if (!e || !this.fileFor(e.table)) return;
    const min = since ? Date.parse(since) : -Infinity;
    const rows = this.read(e.table)
      .rows.map((r) => ({ r, t: Date.parse(toIso(r[e.updatedAt]) ?? "") }))
      .filter(({ t }) => Number.isNaN(t) || t >= min)
      .sort((a, b) => (a.t || 0) - (b.t || 0));
    for (const { r } of rows) yield r;
  }

  async *readOrderItems(): AsyncIterable<SourceRow> {}

  listIds(entity: "contacts" | "orders"): AsyncIterable<string> | null {
    const e = this.mapping[entity];
    if (!e || !this.fileFor(e.table)) return null;
    const rows = this.read(e.table).rows;
    return (async function* () {
      for (const r of rows) if (r[e.id]) yield r[e.id]!;
    })();
  }

  readDeleted(): null {
    return null;
  }

  async readTags(): Promise<Map<string, string | null>> {
    throw new ConnectorError("CSV exports are read-only: write-back needs a SQL or HubSpot connection");
  }

  async writeTags(): Promise<never> {
    throw new ConnectorError("CSV exports are read-only: write-back needs a SQL or HubSpot connection");
  }

  async close(): Promise<void> {}
}
