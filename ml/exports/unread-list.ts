/**
 * `scrm export unread` (R29, daily at 02:00 via the scheduler): messages not read for 24 h, as CSV
 * and Parquet, and the follow-up tag for their customers in crm_sync.desired_tags (idempotent).
 */
import type { Warehouse } from "../../core/warehouse.ts";
import { loadSql } from "../churn/sql.ts";
import type { ExportResult } from "./churn-list.ts";
import { writeCsvAndParquet } from "./copy.ts";

export const UNREAD_TAG = "scrm:follow-up-unread";

export async function exportUnreadList(
  wh: Warehouse,
  exportsDir: string,
  now: Date,
  opts: { tag?: boolean; lookbackDays?: number } = {},
): Promise<ExportResult> {
  const exists = Number(
    await wh.scalar(
      "select count(*)::integer from information_schema.tables where table_schema = 'marts' and table_name = 'fct_unread_messages'",
    ),
  );
  if (!exists) return { status: "skipped", message: "marts.fct_unread_messages is missing (run transform)", rows: 0 };
  await wh.run(loadSql("unread_export", { LOOKBACK_DAYS: opts.lookbackDays ?? 7 }));
  const out = await writeCsvAndParquet(wh, "ml_unread_export", exportsDir, `unread-${now.toISOString().slice(0, 10)}`);
  if (opts.tag !== false) {
    await wh.transaction(async () => {
      await wh.run("delete from crm_sync.desired_tags where tag = $1", [UNREAD_TAG]);
      await wh.run(
        "insert into crm_sync.desired_tags select distinct crm, crm_record_id, follow_up_tag from ml_unread_export where crm_record_id is not null",
      );
    });
  }
  return { status: "exported", message: `unread list: ${out.rows} messages -> ${out.csv} and .parquet`, ...out };
}
