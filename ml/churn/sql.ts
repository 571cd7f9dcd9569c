import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const SQL_DIR = fileURLToPath(new URL("../sql/", import.meta.url));

/**
 * Loads ml/sql/<name>.sql and replaces its `__TOKEN__` placeholders. Only integers are accepted
 * as values, so no text can be injected into the SQL.
 */
export function loadSql(name: string, tokens: Record<string, number> = {}): string {
  if (!/^[a-z_]+$/.test(name)) throw new RangeError(`bad SQL file name ${name}`);
  let sql = readFileSync(`${SQL_DIR}${name}.sql`, "utf8");
  for (const [k, v] of Object.entries(tokens)) {
    if (!Number.isInteger(v)) throw new RangeError(`SQL token ${k} must be an integer`);
    sql = sql.replaceAll(`__${k}__`, String(v));
  }
  const left = /__[A-Z_]+__/.exec(sql);
  if (left) throw new Error(`${name}.sql: no value for ${left[0]}`);
  return sql;
}
