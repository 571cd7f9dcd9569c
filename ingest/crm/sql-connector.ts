import { existsSync } from "node:fs";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import Cursor from "pg-cursor";
import { ConnectorError, type CrmConnector, type CrmEntity, type SourceRow, type TagWriteResult } from "./connector.ts";
import { entityColumns, MappingError, type CrmMapping } from "./mapping.ts";

/* eslint-disable @typescript-eslint/no-explicit-any -- table and column names come from the mapping file */
type AnyDb = Kysely<any>;

export type SqlDialectName = "sqlite" | "postgres";

/** `sqlite:path`, a bare path, or `postgres://user:pass@host:port/db`. */
export function parseSqlUrl(url: string): { dialect: SqlDialectName; target: string } {
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: "postgres", target: url };
  if (/^mysql:\/\//i.test(url)) {
    throw new ConnectorError("MySQL is not supported yet: use SQLite or PostgreSQL (see the CRM notes)");
  }
  return { dialect: "sqlite", target: url.replace(/^sqlite:(\/\/)?/i, "") };
}

export class SqlCrmConnector implements CrmConnector {
  readonly kind = "sql" as const;
  private constructor(
    readonly db: AnyDb,
    readonly dialect: SqlDialectName,
    readonly mapping: CrmMapping,
    private readonly label: string,
  ) {}

  static open(url: string, mapping: CrmMapping, opts: { readOnly?: boolean } = {}): SqlCrmConnector {
    const { dialect, target } = parseSqlUrl(url);
    if (dialect === "sqlite") {
      if (!existsSync(target)) throw new ConnectorError(`CRM database not found: ${target}`);
      const database = new SQLite(target, { readonly: opts.readOnly ?? false, fileMustExist: true });
      database.pragma("busy_timeout = 5000");
      return new SqlCrmConnector(new Kysely({ dialect: new SqliteDialect({ database }) }), dialect, mapping, target);
    }
    const pool = new pg.Pool({ connectionString: target, max: 4 });
    const label = target.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
    return new SqlCrmConnector(
      new Kysely({ dialect: new PostgresDialect({ pool, cursor: Cursor as never }) }),
      dialect,
      mapping,
      label,
    );
  }

  async validate(): Promise<void> {
    const tables = await this.db.introspection.getTables();
    const byName = new Map(tables.map((t) => [t.name, new Set(t.columns.map((c) => c.name))]));
    const problems: string[] = [];
    const check = (
      key: string,
      e: { table: string; id?: string; updatedAt?: string; orderId?: string; fields: Record<string, unknown> },
    ) => {
      const cols = byName.get(e.table);
      if (!cols) {
        problems.push(`${key}.table: table "${e.table}" does not exist`);
        return;
      }
      for (const c of entityColumns(e as never)) {
        if (!cols.has(c)) problems.push(`${key}: column "${c}" does not exist in table "${e.table}"`);
      }
    };
    const m = this.mapping;
    check("contacts", m.contacts);
    if (m.orders) check("orders", m.orders);
    if (m.products) check("products", m.products);
    if (m.orderItems) check("orderItems", m.orderItems);
    const tagCol = m.tags.column;
    if (tagCol && !byName.get(m.contacts.table)?.has(tagCol)) {
      problems.push(`tags.column: column "${tagCol}" does not exist in table "${m.contacts.table}"`);
    }
    if (problems.length) {
      throw new MappingError(`the CRM mapping does not match the database ${this.label}:\n  ${problems.join("\n  ")}`);
    }
  }

  async *readChanged(entity: CrmEntity, since: string | null): AsyncIterable<SourceRow> {
    const e = this.mapping[entity];
    if (!e) return;
    let q = this.db
      .selectFrom(e.table)
      .select(entityColumns(e).map((c) => sql.ref(c).as(c)))
      .orderBy(sql.ref(e.updatedAt));
    if (since) q = q.where(sql.ref(e.updatedAt), ">=", this.param(since));
    yield* q.stream(2000);
  }

  async *readOrderItems(since: string | null): AsyncIterable<SourceRow> {
    const items = this.mapping.orderItems;
    const orders = this.mapping.orders;
    if (!items || !orders) return;
    const cols = entityColumns({ orderId: items.orderId, fields: items.fields });
    let q = this.db
      .selectFrom(`${items.table} as i`)
      .innerJoin(`${orders.table} as o`, sql.ref(`o.${orders.id}`) as never, sql.ref(`i.${items.orderId}`) as never)
      .select([...cols.map((c) => sql.ref(`i.${c}`).as(c)), sql.ref(`o.${orders.updatedAt}`).as("__order_updated_at")])
      .orderBy(sql.ref(`o.${orders.updatedAt}`));
    if (since) q = q.where(sql.ref(`o.${orders.updatedAt}`), ">=", this.param(since));
    yield* q.stream(2000);
  }

  listIds(entity: "contacts" | "orders"): AsyncIterable<string> | null {
    const e = this.mapping[entity];
    if (!e) return null;
    const db = this.db;
    return (async function* () {
      for await (const row of db.selectFrom(e.table).select(sql.ref(e.id).as("id")).stream(10_000)) {
        yield String((row as { id: unknown }).id);
      }
    })();
  }

  readDeleted(): null {
    return null;
  }

  private tagColumn(): string {
    const col = this.mapping.tags.column ?? this.mapping.contacts.fields.tags;
    if (typeof col !== "string") throw new MappingError("the CRM mapping names no single tags column (tags.column)");
    return col;
  }

  /** Timestamps are compared as ISO text in SQLite, as timestamptz in PostgreSQL. */
  private param(iso: string): unknown {
    return this.dialect === "postgres" ? sql`${iso}::timestamptz` : iso;
  }

  async readTags(ids: readonly string[]): Promise<Map<string, string | null>> {
    const c = this.mapping.contacts;
    const tagCol = this.tagColumn();
    const out = new Map<string, string | null>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await this.db
        .selectFrom(c.table)
        .select([sql.ref(c.id).as("id"), sql.ref(tagCol).as("tags")])
        .where(sql.ref(c.id), "in", chunk)
        .execute();
      for (const r of rows as Array<{ id: unknown; tags: unknown }>) {
        out.set(String(r.id), r.tags === null || r.tags === undefined ? null : String(r.tags));
      }
    }
    return out;
  }

  async writeTags(updates: ReadonlyArray<{ id: string; value: string }>): Promise<TagWriteResult[]> {
    const c = this.mapping.contacts;
    const tagCol = this.tagColumn();
    const now = new Date().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const results: TagWriteResult[] = [];
      for (const u of updates) {
        const set: Record<string, unknown> = { [tagCol]: u.value === "" ? null : u.value };
        if (this.mapping.tags.touchUpdatedAt) set[c.updatedAt] = this.dialect === "postgres" ? new Date(now) : now;
        const res = await trx.updateTable(c.table).set(set).where(sql.ref(c.id), "=", u.id).executeTakeFirst();
        results.push(
          Number(res.numUpdatedRows) > 0 ? { id: u.id, ok: true } : { id: u.id, ok: false, error: "contact not found" },
        );
      }
      return results;
    });
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
