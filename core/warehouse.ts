import { mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";

/**
 * On-disk format of a warehouse file this code creates (DuckDB's `storage_compatibility_version`;
 * an existing file keeps the format it was created with). DuckDB's default still writes the
 * v1.0 format that any 1.x release reads; the v1.4 format (readable by DuckDB 1.4 LTS and later)
 * compresses faster: at 10M messages a full `dbt build` uses ~11% less CPU. models/profiles.yml
 * names the same version for a file that dbt creates (tests/unit/core/warehouse-format.test.ts).
 */
export const WAREHOUSE_STORAGE_VERSION = "v1.4.0";

/**
 * The one way TypeScript opens the warehouse. DuckDB allows one read-write process or many
 * read-only ones, so writers close before dbt starts and readers open read-only.
 */
export class Warehouse {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly path: string,
    readonly readOnly: boolean,
  ) {}

  static async open(path: string, opts: { readOnly?: boolean; timezone?: string } = {}): Promise<Warehouse> {
    const readOnly = opts.readOnly ?? false;
    if (!readOnly) mkdirSync(dirname(path), { recursive: true });
    const options: Record<string, string> = {};
    if (readOnly) options.access_mode = "READ_ONLY";
    else options.storage_compatibility_version = WAREHOUSE_STORAGE_VERSION;
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, options);
    } catch (err) {
      const msg = (err as Error).message;
      if (/lock/i.test(msg)) {
        throw new Error(`${path}: the warehouse is in use by another process (a pipeline run or dbt?): ${msg}`);
      }
      throw err;
    }
    const connection = await instance.connect();
    // Session time zone: how TIMESTAMPTZ values print; storage is always UTC.
    await connection.run("set TimeZone = $1", [opts.timezone ?? "UTC"]);
    return new Warehouse(instance, connection, path, readOnly);
  }

  async run(sql: string, params?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<void> {
    await this.connection.run(sql, params);
  }

  /** Rows as plain JSON values (BIGINT arrives as a string; cast in SQL where numbers matter). */
  async rows<T = Record<string, unknown>>(
    sql: string,
    params?: DuckDBValue[] | Record<string, DuckDBValue>,
  ): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJson() as T[];
  }

  async table(sql: string): Promise<{ columns: string[]; rows: unknown[][] }> {
    const reader = await this.connection.runAndReadAll(sql);
    return { columns: reader.columnNames(), rows: reader.getRowsJson() as unknown[][] };
  }

  async scalar<T = unknown>(sql: string, params?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<T> {
    const reader = await this.connection.runAndReadAll(sql, params);
    const rows = reader.getRowsJson();
    return rows[0]?.[0] as T;
  }

  /** Runs a whole .sql file (several statements). */
  async runFile(file: string): Promise<void> {
    await this.connection.run(readFileSync(file, "utf8"));
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.connection.run("begin transaction");
    try {
      const result = await work();
      await this.connection.run("commit");
      return result;
    } catch (err) {
      await this.connection.run("rollback");
      throw err;
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

export async function withWarehouse<T>(
  path: string,
  opts: { readOnly?: boolean; timezone?: string },
  work: (wh: Warehouse) => Promise<T>,
): Promise<T> {
  const wh = await Warehouse.open(path, opts);
  try {
    return await work(wh);
  } finally {
    wh.close();
  }
}
