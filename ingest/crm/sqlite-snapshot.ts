import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { CrmDatabase } from "./crm-schema.ts";

/**
 * Takes an incremental snapshot of the embedded SQL CRM into the landing zone: every contact,
 * product and order changed since the last watermark (with the items of changed orders), as
 * NDJSON files in `landing/crm/<crm>/<snapshotId>/`, sealed by writing `manifest.json` last.
 * The loader appends them to the raw CRM history tables.
 */
export interface CrmSnapshotResult {
  readonly snapshotId: string | null;
  readonly counts: Record<"contacts" | "products" | "orders" | "order_items", number>;
}

interface Watermarks {
  contacts: string | null;
  products: string | null;
  orders: string | null;
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
    const line = JSON.stringify(row) + "\n";
    this.buffer.push(line);
    this.size += line.length;
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

export async function snapshotSqliteCrm(opts: {
  dbPath: string;
  landingRoot: string;
  crmName: string;
  now: Date;
}): Promise<CrmSnapshotResult> {
  if (!existsSync(opts.dbPath)) throw new Error(`CRM database not found: ${opts.dbPath}`);
  const crmDir = join(opts.landingRoot, "crm", opts.crmName);
  const stateFile = join(crmDir, "watermark.json");
  const previous: Watermarks = existsSync(stateFile)
    ? (JSON.parse(readFileSync(stateFile, "utf8")) as Watermarks)
    : { contacts: null, products: null, orders: null };

  const db = new Kysely<CrmDatabase>({
    dialect: new SqliteDialect({ database: new SQLite(opts.dbPath, { readonly: true, fileMustExist: true }) }),
  });
  const id = snapshotId(opts.now);
  const openDir = join(crmDir, `${id}.open`);
  rmSync(openDir, { recursive: true, force: true });
  mkdirSync(openDir, { recursive: true });
  const files = {
    contacts: new NdjsonFile(join(openDir, "contacts.ndjson")),
    products: new NdjsonFile(join(openDir, "products.ndjson")),
    orders: new NdjsonFile(join(openDir, "orders.ndjson")),
    order_items: new NdjsonFile(join(openDir, "order_items.ndjson")),
  };
  const next: Watermarks = { ...previous };
  const bump = (key: keyof Watermarks, value: string) => {
    if (next[key] === null || value > next[key]!) next[key] = value;
  };
  try {
    // ">=" re-reads rows stamped exactly at the watermark; the loader skips versions it already has.
    let contacts = db.selectFrom("contacts").selectAll().orderBy("updated_at");
    if (previous.contacts) contacts = contacts.where("updated_at", ">=", previous.contacts);
    for await (const row of contacts.stream(1000)) {
      files.contacts.write(row);
      bump("contacts", row.updated_at);
    }
    let products = db.selectFrom("products").selectAll().orderBy("updated_at");
    if (previous.products) products = products.where("updated_at", ">=", previous.products);
    for await (const row of products.stream(1000)) {
      files.products.write(row);
      bump("products", row.updated_at);
    }
    let orders = db.selectFrom("orders").selectAll().orderBy("updated_at");
    if (previous.orders) orders = orders.where("updated_at", ">=", previous.orders);
    for await (const row of orders.stream(1000)) {
      files.orders.write(row);
      bump("orders", row.updated_at);
    }
    let items = db
      .selectFrom("order_items")
      .innerJoin("orders", "orders.id", "order_items.order_id")
      .select([
        "order_items.order_id",
        "order_items.line_no",
        "order_items.sku",
        "order_items.product_name",
        "order_items.quantity",
        "order_items.unit_price",
        "orders.updated_at",
      ])
      .orderBy("orders.updated_at");
    if (previous.orders) items = items.where("orders.updated_at", ">=", previous.orders);
    for await (const row of items.stream(1000)) files.order_items.write(row);
  } finally {
    for (const f of Object.values(files)) f.close();
    await db.destroy();
  }
  const counts = {
    contacts: files.contacts.count,
    products: files.products.count,
    orders: files.orders.count,
    order_items: files.order_items.count,
  };
  // Nothing newer than the watermarks: only rows stamped exactly at them came back, all loaded before.
  if (JSON.stringify(next) === JSON.stringify(previous)) {
    rmSync(openDir, { recursive: true, force: true });
    return { snapshotId: null, counts: { contacts: 0, products: 0, orders: 0, order_items: 0 } };
  }
  writeFileSync(
    join(openDir, "manifest.json"),
    JSON.stringify({ snapshot_id: id, crm: opts.crmName, taken_at: opts.now.toISOString(), counts, watermarks: next }, null, 2),
  );
  const finalDir = join(crmDir, id);
  renameSync(openDir, finalDir);
  writeFileSync(stateFile, JSON.stringify(next, null, 2));
  return { snapshotId: id, counts };
}
