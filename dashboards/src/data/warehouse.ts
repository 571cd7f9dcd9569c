// Shared by the data loaders (`*.json.ts`); not a loader itself. It opens the warehouse
// read-only, runs a query and hands back plain JSON rows. Configuration comes from the
// environment that `dashboards/build.ts` sets: SCRM_WAREHOUSE and SCRM_TIMEZONE.
import { existsSync } from "node:fs";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Row = Record<string, Json>;

export interface LoaderEnv {
  warehouse: string;
  timezone: string;
}

/** Reads and checks the loader environment once, at the edge. */
export function loaderEnv(env: NodeJS.ProcessEnv = process.env): LoaderEnv {
  const warehouse = env.SCRM_WAREHOUSE;
  if (!warehouse) {
    throw new Error("SCRM_WAREHOUSE is not set: the dashboard loaders need the path of the warehouse file (build with `scrm dashboards`).");
  }
  if (!existsSync(warehouse)) {
    throw new Error(`SCRM_WAREHOUSE points at ${warehouse}, which does not exist: run the pipeline (\`scrm run\`) first.`);
  }
  const timezone = env.SCRM_TIMEZONE || "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
  } catch {
    throw new Error(`SCRM_TIMEZONE=${timezone} is not an IANA time zone (for example Asia/Hong_Kong).`);
  }
  return { warehouse, timezone };
}

export interface Warehouse {
  /** Runs one query; BIGINT/DECIMAL come back as strings, so cast them to DOUBLE/INTEGER in SQL. */
  query(sql: string, params?: Record<string, string | number>): Promise<Row[]>;
  /** Column names of `schema.table`, lower-cased, or null when the table does not exist. */
  columns(schema: string, table: string): Promise<Set<string> | null>;
}

/** Opens the warehouse READ-ONLY, runs `fn`, and always closes it. */
export async function withWarehouse<T>(path: string, fn: (wh: Warehouse) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
  let conn: DuckDBConnection | undefined;
  try {
    conn = await instance.connect();
    const c = conn;
    const query = async (sql: string, params?: Record<string, string | number>): Promise<Row[]> => {
      const reader = params ? await c.runAndReadAll(sql, params) : await c.runAndReadAll(sql);
      return reader.getRowObjectsJson() as Row[];
    };
    const columns = async (schema: string, table: string): Promise<Set<string> | null> => {
      const rows = await query(
        `select lower(column_name) as name from information_schema.columns
         where table_schema = $schema and table_name = $table`,
        { schema, table },
      );
      return rows.length === 0 ? null : new Set(rows.map((r) => String(r.name)));
    };
    return await fn({ query, columns });
  } finally {
    conn?.closeSync();
    instance.closeSync();
  }
}

/** The first of `candidates` that `columns` has, or null. */
export function pickColumn(columns: Set<string> | null, candidates: readonly string[]): string | null {
  if (!columns) return null;
  return candidates.find((c) => columns.has(c)) ?? null;
}

/** Quotes an identifier that came from information_schema (never from user input). */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Writes the loader's result; Framework captures stdout as the data file. */
export function emit(value: unknown): void {
  process.stdout.write(JSON.stringify(value));
}

/** Notes for the build log (stderr), e.g. a mart column that is missing and what was used instead. */
export function warn(message: string): void {
  process.stderr.write(`[dashboards] ${message}\n`);
}
