import { DEFAULT_SQL_MAPPING, type CrmMapping } from "./mapping.ts";
import { snapshotCrm, type CrmSnapshotResult } from "./snapshot.ts";
import { SqlCrmConnector } from "./sql-connector.ts";

export { snapshotId, type CrmSnapshotResult } from "./snapshot.ts";

/**
 * Incremental snapshot of the embedded SQLite CRM (crm-schema.sql) into the landing zone; see
 * snapshotCrm for the format. Kept for the pipeline's ingest step; `ingestCrm` covers every CRM.
 */
export async function snapshotSqliteCrm(opts: {
  dbPath: string;
  landingRoot: string;
  crmName: string;
  now: Date;
  defaultRegion?: string;
  mapping?: CrmMapping;
}): Promise<CrmSnapshotResult> {
  const connector = SqlCrmConnector.open(opts.dbPath, opts.mapping ?? DEFAULT_SQL_MAPPING, { readOnly: true });
  try {
    return await snapshotCrm({
      connector,
      landingRoot: opts.landingRoot,
      crmName: opts.crmName,
      now: opts.now,
      defaultRegion: opts.defaultRegion ?? "HK",
    });
  } finally {
    await connector.close();
  }
}
