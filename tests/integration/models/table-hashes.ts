import { withWarehouse } from "../../../core/warehouse.ts";

/**
 * Every marts and intermediate table as "rows:hash" of its content, for comparing an incremental
 * build with a full refresh. built_at (when dbt wrote the row) is left out: it differs by design.
 */
export async function tableHashes(warehouse: string): Promise<Record<string, string>> {
  return withWarehouse(warehouse, { readOnly: true }, async (wh) => {
    const cols = await wh.rows<{ t: string; c: string; ty: string }>(
      `select table_schema || '.' || table_name as t, column_name as c, data_type as ty
       from information_schema.columns where table_schema in ('marts', 'intermediate')
         and column_name <> 'built_at'
       order by table_schema, table_name, ordinal_position`,
    );
    const byTable = new Map<string, string[]>();
    for (const { t, c, ty } of cols) {
      // floating-point aggregates may differ in the last bits with summation order: compare rounded
      const expr = /^(DOUBLE|FLOAT|DECIMAL)/.test(ty) ? `round("${c}", 6)` : `"${c}"`;
      byTable.set(t, [...(byTable.get(t) ?? []), expr]);
    }
    const out: Record<string, string> = {};
    for (const [t, exprs] of byTable) {
      const v = await wh.scalar(
        `select count(*)::varchar || ':' || coalesce(sum(hash(${exprs.join(", ")}) % 1000000007)::varchar, '0') from ${t}`,
      );
      out[t] = String(v);
    }
    return out;
  });
}

/** The tables whose content differs, each with its "rows:hash" in both builds. */
export function differingTables(incremental: Record<string, string>, full: Record<string, string>): string[] {
  return Object.keys(full)
    .filter((t) => incremental[t] !== full[t])
    .map((t) => `${t} incremental ${incremental[t]} full ${full[t]}`);
}
