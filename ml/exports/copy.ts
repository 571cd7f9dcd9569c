import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Warehouse } from "../../core/warehouse.ts";

const quote = (path: string) => `'${path.replaceAll("'", "''")}'`;

/** Writes a relation as UTF-8 CSV (header, no BOM) and Parquet; returns the two paths and the row count. */
export async function writeCsvAndParquet(
  wh: Warehouse,
  relation: string,
  dir: string,
  base: string,
): Promise<{ csv: string; parquet: string; rows: number }> {
  if (!/^[a-z_][a-z0-9_.]*$/i.test(relation)) throw new RangeError(`bad relation ${relation}`);
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, `${base}.csv`);
  const parquet = join(dir, `${base}.parquet`);
  await wh.run(`copy (select * from ${relation}) to ${quote(csv)} (format csv, header true)`);
  await wh.run(`copy (select * from ${relation}) to ${quote(parquet)} (format parquet)`);
  const rows = Number(await wh.scalar(`select count(*)::integer from ${relation}`));
  return { csv, parquet, rows };
}
