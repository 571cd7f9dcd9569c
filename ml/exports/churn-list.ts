/** `scrm export churn`: the win-back list for growth teams (CSV + Parquet under <home>/exports/). */
import type { Warehouse } from "../../core/warehouse.ts";
import { loadSql } from "../churn/sql.ts";
import { writeCsvAndParquet } from "./copy.ts";

export interface ChurnExportOptions {
  /** Include customers without marketing opt-in (default false: excluded, WhatsApp policy / R4). */
  includeNoOptIn?: boolean;
  /** Include the low band too (default false: high and medium only). */
  includeLow?: boolean;
}

export interface ExportResult {
  status: "exported" | "skipped";
  message: string;
  csv?: string;
  parquet?: string;
  rows: number;
}

export async function exportChurnList(
  wh: Warehouse,
  exportsDir: string,
  now: Date,
  opts: ChurnExportOptions = {},
): Promise<ExportResult> {
  const scored = Number(await wh.scalar("select count(*)::integer from ml.churn_scores"));
  if (scored === 0) return { status: "skipped", message: "no churn scores yet (run `scrm score`)", rows: 0 };
  await wh.run("create or replace temp table ml_export_now (now_at timestamptz)");
  await wh.run("insert into ml_export_now values ($1::timestamptz)", [now.toISOString()]);
  await wh.run(
    loadSql("churn_export", { INCLUDE_NO_OPT_IN: opts.includeNoOptIn ? 1 : 0, INCLUDE_LOW: opts.includeLow ? 1 : 0 }),
  );
  const base = `churn-winback-${now.toISOString().slice(0, 10)}`;
  const out = await writeCsvAndParquet(wh, "ml_churn_export", exportsDir, base);
  return {
    status: "exported",
    message: `win-back list: ${out.rows} customers${opts.includeNoOptIn ? " (including no opt-in)" : " with marketing opt-in"} -> ${out.csv} and .parquet`,
    ...out,
  };
}
