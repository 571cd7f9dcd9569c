import { DuckDBInstance, listValue } from "@duckdb/node-api";
import { WAREHOUSE_STORAGE_VERSION } from "../core/warehouse.ts";

/**
 * The loader benchmarks' baseline: bare DuckDB reading landed NDJSON files straight into a table
 * of a fresh database file in the warehouse's format (as the loader writes to the warehouse file),
 * nothing checked.
 */
export async function bareNdjsonLoad(files: readonly string[], dbPath: string): Promise<{ rows: number; ms: number }> {
  const db = await DuckDBInstance.create(dbPath, { storage_compatibility_version: WAREHOUSE_STORAGE_VERSION });
  const conn = await db.connect();
  try {
    const started = performance.now();
    await conn.run("create table t as select * from read_ndjson($1)", [listValue([...files])]);
    const ms = performance.now() - started;
    const rows = Number((await conn.runAndReadAll("select count(*)::double from t")).getRowsJson()[0]![0]);
    return { rows, ms };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
