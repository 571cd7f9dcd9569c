import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { CrmConnector, SourceRow } from "./connector.ts";
import { CONTACT_FIELDS, FIELD_TYPES, ITEM_FIELDS, ORDER_FIELDS, PRODUCT_FIELDS } from "./mapping.ts";
import { normalisePhone, resolveRegion } from "./phone.ts";

/**
 * Takes an incremental snapshot of any CRM connector into the landing zone: every contact, product
 * and order changed since the last watermark (with the items of changed orders), as NDJSON files in
 * `landing/crm/<crm>/<snapshotId>/`, sealed by writing `manifest.json` last. Contacts carry their
 * phone normalised to E.164 (or the reason it could not be) and their field-mapping errors; the
 * full id sets (`contact_ids.txt`, `order_ids.txt`) or the CRM's own deletions (`deletions.ndjson`)
 * let the loader detect hard deletes; the manifest carries the sync-health figures.
 */
export interface CrmSnapshotCounts {
  contacts: number;
  products: number;
  orders: number;
  order_items: number;
}

export interface CrmSyncHealth {
  readonly connector: string;
  readonly records: number;
  readonly mapping_error_records: number;
  readonly mapping_error_rate: number | null;
  readonly phones: number;
  readonly phones_empty: number;
  readonly phones_failed: number;
  readonly phone_failure_rate: number | null;
  readonly skipped_without_id: number;
  readonly id_sets: string[];
  readonly explicit_deletions: number;
  readonly ms: number;
}

export interface CrmSnapshotResult {
  readonly snapshotId: string | null;
  readonly counts: CrmSnapshotCounts;
  readonly health: CrmSyncHealth | null;
}

interface WatermarkState {
  contacts: string | null;
  products: string | null;
  orders: string | null;
  /** sha256 of each landed id set: an unchanged set with no changed rows needs no snapshot. */
  idSets?: Record<string, string>;
}

export function snapshotId(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, "");
}

class NdjsonFile {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;
  count = 0;
  constructor(path: string) {
    this.fd = openSync(path, "w");
  }
  write(row: object): void {
    this.line(JSON.stringify(row));
  }
  line(text: string): void {
    this.buffer.push(text + "\n");
    this.size += text.length + 1;
    this.count += 1;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buffer.length) writeSync(this.fd, this.buffer.join(""));
    this.buffer = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** ISO-8601 UTC with milliseconds, from a Date, epoch number or the text formats CRMs export. */
export function toIso(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  let d: Date;
  if (value instanceof Date) d = value;
  else if (typeof value === "number" || (typeof value === "string" && /^\d{10,13}$/.test(value))) {
    const n = Number(value);
    d = new Date(n < 1e11 ? n * 1000 : n);
  } else if (typeof value === "string") {
    let s = value.trim().replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, "$1T$2");
    s = s.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
    if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) s += "Z";
    d = new Date(s);
  } else return null;
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

const isEmpty = (v: unknown) => v === null || v === undefined || (typeof v === "string" && v.trim() === "");

function coerce(field: string, value: unknown): { value: unknown; error?: string } {
  const type = FIELD_TYPES[field] ?? "text";
  switch (type) {
    case "timestamp": {
      const iso = toIso(value);
      return iso ? { value: iso } : { value: null, error: `${field}: not a date/time: ${String(value)}` };
    }
    case "boolean": {
      if (typeof value === "boolean") return { value: value ? 1 : 0 };
      const s = String(value).trim().toLowerCase();
      if (["1", "true", "t", "yes", "y", "opted in", "subscribed"].includes(s)) return { value: 1 };
      if (["0", "false", "f", "no", "n", "opted out", "unsubscribed"].includes(s)) return { value: 0 };
      return { value: null, error: `${field}: not a yes/no value: ${String(value)}` };
    }
    case "number":
    case "integer": {
      const n = typeof value === "number" ? value : Number(String(value).replace(/[, ]/g, ""));
      if (!Number.isFinite(n) || (type === "integer" && !Number.isInteger(n))) {
        return { value: null, error: `${field}: not a number: ${String(value)}` };
      }
      return { value: n };
    }
    case "country": {
      const code = resolveRegion(String(value));
      return code ? { value: code } : { value: String(value), error: `${field}: unknown country: ${String(value)}` };
    }
    default:
      return { value: typeof value === "string" ? value.trim() : String(value) };
  }
}

function pick(row: SourceRow, col: string | string[] | undefined): unknown {
  if (col === undefined) return undefined;
  if (!Array.isArray(col)) return row[col];
  const parts = col.map((c) => row[c]).filter((v) => !isEmpty(v));
  return parts.length ? parts.map((v) => String(v).trim()).join(" ") : null;
}

/** Maps one source row to the landed record; errors name the field (R7). */
export function mapRow(
  e: {
    fields: Partial<Record<string, string | string[]>>;
    defaults: Partial<Record<string, string | number | boolean>>;
    required: readonly string[];
  },
  fields: readonly string[],
  row: SourceRow,
): { record: Record<string, unknown>; errors: string[] } {
  const record: Record<string, unknown> = {};
  const errors: string[] = [];
  const mapped = e.fields as Record<string, string | string[] | undefined>;
  const defaults = e.defaults as Record<string, unknown>;
  for (const f of fields) {
    let v = pick(row, mapped[f]);
    if (isEmpty(v)) v = defaults[f] ?? null;
    if (isEmpty(v)) {
      record[f] = null;
      if (e.required.includes(f)) errors.push(`${f}: empty`);
      continue;
    }
    const c = coerce(f, v);
    record[f] = c.value;
    if (c.error) errors.push(c.error);
  }
  return { record, errors };
}

export async function snapshotCrm(opts: {
  connector: CrmConnector;
  landingRoot: string;
  crmName: string;
  now: Date;
  /** Region for phone numbers whose record has no usable country (config business.defaultRegion). */
  defaultRegion: string;
  /** Also land the full id sets (for hard-delete detection); default true. */
  detectDeletes?: boolean;
}): Promise<CrmSnapshotResult> {
  const started = performance.now();
  const { connector, now } = opts;
  const m = connector.mapping;
  const crmDir = join(opts.landingRoot, "crm", opts.crmName);
  const stateFile = join(crmDir, "watermark.json");
  const previous: WatermarkState = existsSync(stateFile)
    ? (JSON.parse(readFileSync(stateFile, "utf8")) as WatermarkState)
    : { contacts: null, products: null, orders: null };
  const id = snapshotId(now);
  const openDir = join(crmDir, `${id}.open`);
  rmSync(openDir, { recursive: true, force: true });
  mkdirSync(openDir, { recursive: true });
  const file = (name: string) => new NdjsonFile(join(openDir, name));
  const files = {
    contacts: file("contacts.ndjson"),
    products: file("products.ndjson"),
    orders: file("orders.ndjson"),
    order_items: file("order_items.ndjson"),
  };
  const next: WatermarkState = { ...previous, idSets: { ...(previous.idSets ?? {}) } };
  const h = {
    records: 0,
    mappingErrorRecords: 0,
    phones: 0,
    phonesEmpty: 0,
    phonesFailed: 0,
    skipped: 0,
    deletions: 0,
  };
  const idSets: string[] = [];
  let idSetsChanged = false;
  let deletions: NdjsonFile | null = null;
  const rawWatermark = (v: unknown) => (v instanceof Date ? v.toISOString() : v == null ? null : String(v));

  try {
    await connector.validate();
    // ">=" re-reads rows stamped exactly at the watermark; the loader skips versions it already has.
    for await (const row of connector.readChanged("contacts", previous.contacts)) {
      const rid = row[m.contacts.id];
      const wm = rawWatermark(row[m.contacts.updatedAt]);
      if (wm) next.contacts = wm;
      h.records += 1;
      if (isEmpty(rid)) {
        h.skipped += 1;
        h.mappingErrorRecords += 1;
        continue;
      }
      const { record, errors } = mapRow(m.contacts, CONTACT_FIELDS, row);
      let updatedAt = toIso(row[m.contacts.updatedAt]);
      if (!updatedAt) {
        errors.push(`updated_at: not a date/time: ${String(row[m.contacts.updatedAt])}`);
        updatedAt = now.toISOString();
      }
      const phone = record.phone as string | null;
      const p = normalisePhone(phone, record.country as string | null, opts.defaultRegion);
      if (p.error === "empty") h.phonesEmpty += 1;
      else {
        h.phones += 1;
        if (p.error) h.phonesFailed += 1;
      }
      if (errors.length) h.mappingErrorRecords += 1;
      files.contacts.write({
        id: String(rid),
        ...record,
        created_at: record.created_at ?? null,
        updated_at: updatedAt,
        phone_e164: p.e164,
        phone_region: p.region,
        phone_error: p.error === "empty" ? null : p.error,
        mapping_errors: errors.length ? errors.join("; ") : null,
      });
    }
    for (const entity of ["products", "orders"] as const) {
      const e = m[entity];
      if (!e) continue;
      const fields = entity === "orders" ? ORDER_FIELDS : PRODUCT_FIELDS;
      for await (const row of connector.readChanged(entity, previous[entity])) {
        const wm = rawWatermark(row[e.updatedAt]);
        if (wm) next[entity] = wm;
        const rid = row[e.id];
        if (isEmpty(rid)) continue;
        const { record, errors } = mapRow(e, fields, row);
        const updatedAt = toIso(row[e.updatedAt]) ?? now.toISOString();
        const key = entity === "orders" ? "id" : "sku";
        files[entity].write({
          [key]: String(rid),
          ...record,
          updated_at: updatedAt,
          mapping_errors: errors.length ? errors.join("; ") : null,
        });
      }
    }
    if (m.orderItems) {
      const items = m.orderItems;
      for await (const row of connector.readOrderItems(previous.orders)) {
        const { record } = mapRow({ fields: items.fields, defaults: {}, required: [] }, ITEM_FIELDS, row);
        files.order_items.write({
          order_id: String(row[items.orderId]),
          ...record,
          updated_at: toIso(row.__order_updated_at) ?? now.toISOString(),
        });
      }
    }
    if (opts.detectDeletes ?? true) {
      for (const entity of ["contacts", "orders"] as const) {
        const ids = connector.listIds(entity);
        if (ids) {
          const out = file(`${entity === "contacts" ? "contact" : "order"}_ids.txt`);
          const hash = createHash("sha256");
          for await (const rid of ids) {
            out.line(rid);
            hash.update(rid + "\n");
          }
          out.close();
          const digest = hash.digest("hex");
          if (next.idSets![entity] !== digest) idSetsChanged = true;
          next.idSets![entity] = digest;
          idSets.push(entity);
          continue;
        }
        const deleted = connector.readDeleted(entity);
        if (deleted) {
          deletions ??= file("deletions.ndjson");
          const hash = createHash("sha256");
          for await (const d of deleted) {
            deletions.write({ entity, id: d.id, deleted_at: d.deletedAt });
            hash.update(d.id + "\n");
            h.deletions += 1;
          }
          const digest = hash.digest("hex");
          if (next.idSets![`deleted:${entity}`] !== digest) idSetsChanged = true;
          next.idSets![`deleted:${entity}`] = digest;
        }
      }
      deletions?.close();
      deletions = null;
    }
  } catch (err) {
    deletions?.close();
    for (const f of Object.values(files)) f.close();
    rmSync(openDir, { recursive: true, force: true });
    throw err;
  }
  for (const f of Object.values(files)) f.close();

  const counts: CrmSnapshotCounts = {
    contacts: files.contacts.count,
    products: files.products.count,
    orders: files.orders.count,
    order_items: files.order_items.count,
  };
  const watermarksMoved =
    next.contacts !== previous.contacts || next.products !== previous.products || next.orders !== previous.orders;
  const health: CrmSyncHealth = {
    connector: connector.kind,
    records: h.records,
    mapping_error_records: h.mappingErrorRecords,
    mapping_error_rate: h.records ? h.mappingErrorRecords / h.records : null,
    phones: h.phones,
    phones_empty: h.phonesEmpty,
    phones_failed: h.phonesFailed,
    phone_failure_rate: h.phones ? h.phonesFailed / h.phones : null,
    skipped_without_id: h.skipped,
    id_sets: idSets,
    explicit_deletions: h.deletions,
    ms: Math.round(performance.now() - started),
  };
  // Nothing newer than the watermarks and no record appeared or vanished: nothing to land.
  if (!watermarksMoved && !idSetsChanged) {
    rmSync(openDir, { recursive: true, force: true });
    return { snapshotId: null, counts: { contacts: 0, products: 0, orders: 0, order_items: 0 }, health };
  }
  const watermarks = { contacts: next.contacts, products: next.products, orders: next.orders };
  writeFileSync(
    join(openDir, "manifest.json"),
    JSON.stringify(
      { snapshot_id: id, crm: opts.crmName, taken_at: now.toISOString(), counts, watermarks, health },
      null,
      2,
    ),
  );
  renameSync(openDir, join(crmDir, id));
  writeFileSync(stateFile, JSON.stringify(next, null, 2));
  return { snapshotId: id, counts, health };
}
