import { resolve } from "node:path";
import type { LoadedConfig } from "../../core/config.ts";
import { registerSecret, type Logger } from "../../core/log.ts";
import { withWarehouse } from "../../core/warehouse.ts";
import { loadLanded, type SourceReport } from "../load/loader.ts";
import { ConnectorError, type CrmConnector } from "./connector.ts";
import { crmName, crmSourceSchema, type CrmSourceConfig } from "./crm-config.ts";
import { CsvCrmConnector } from "./csv-connector.ts";
import { HubSpotCrmConnector } from "./hubspot-connector.ts";
import {
  CSV_PRESETS,
  DEFAULT_HUBSPOT_MAPPING,
  DEFAULT_SQL_MAPPING,
  loadMappingFile,
  type CrmMapping,
} from "./mapping.ts";
import { snapshotCrm, type CrmSnapshotResult } from "./snapshot.ts";
import { SqlCrmConnector } from "./sql-connector.ts";
import { desiredChanges, enqueueDesiredTags, processOutbox, type WritebackReport } from "./writeback-core.ts";

/** What `ingestCrm` and `writeback` need from the pipeline's context (PipelineContext fits). */
export interface CrmContext {
  readonly loaded: LoadedConfig;
  readonly log: Logger;
  readonly now: () => Date;
}

export function crmSourceOf(ctx: CrmContext): CrmSourceConfig {
  return crmSourceSchema.parse(ctx.loaded.config.sources.crm);
}

/** Opens the configured CRM's connector; null when `sources.crm.kind` is "none". */
export function openCrmConnector(
  ctx: CrmContext,
  opts: { readOnly?: boolean; env?: NodeJS.ProcessEnv } = {},
): CrmConnector | null {
  const cfg = crmSourceOf(ctx);
  const env = opts.env ?? process.env;
  const home = ctx.loaded.home.root;
  const mapping = (fallback: CrmMapping): CrmMapping =>
    cfg.kind !== "none" && cfg.mapping ? loadMappingFile(resolve(home, cfg.mapping)) : fallback;
  switch (cfg.kind) {
    case "none":
      return null;
    case "sqlite":
      return SqlCrmConnector.open(resolve(home, cfg.path), mapping(DEFAULT_SQL_MAPPING), opts);
    case "sql": {
      const url = cfg.url ?? env[cfg.urlEnv];
      if (!url) throw new ConnectorError(`sources.crm: set "url" or the environment variable ${cfg.urlEnv}`);
      const password = /\/\/[^:@/]+:([^@/]+)@/.exec(url)?.[1];
      registerSecret(password);
      const resolved = /^(postgres|mysql)/i.test(url) ? url : `sqlite:${resolve(home, url.replace(/^sqlite:/, ""))}`;
      return SqlCrmConnector.open(resolved, mapping(DEFAULT_SQL_MAPPING), opts);
    }
    case "hubspot": {
      const token = env[cfg.tokenEnv];
      if (!token) throw new ConnectorError(`sources.crm: HubSpot needs its private app token in ${cfg.tokenEnv}`);
      registerSecret(token);
      return new HubSpotCrmConnector({
        accessToken: token,
        ...(cfg.basePath ? { basePath: cfg.basePath } : {}),
        mapping: mapping(DEFAULT_HUBSPOT_MAPPING),
        rateBudget: cfg.rateBudget,
        batchSize: cfg.batchSize,
        maxRetries: cfg.maxRetries,
      });
    }
    case "csv":
      return new CsvCrmConnector(resolve(home, cfg.dir), mapping(CSV_PRESETS[cfg.preset]));
  }
}

export interface CrmIngestReport {
  readonly crm: string;
  readonly snapshot: CrmSnapshotResult | null;
  readonly sources: SourceReport[];
  readonly detail: string;
}

/**
 * `scrm ingest crm`: snapshots the configured CRM into the landing zone (changed records since the
 * watermark, id sets for deletions, phone and mapping health), then loads landed files into raw.
 */
export async function ingestCrm(ctx: CrmContext, opts: { load?: boolean } = {}): Promise<CrmIngestReport> {
  const cfg = crmSourceOf(ctx);
  const name = crmName(cfg);
  const connector = openCrmConnector(ctx, { readOnly: true });
  let snapshot: CrmSnapshotResult | null = null;
  if (connector) {
    try {
      snapshot = await snapshotCrm({
        connector,
        landingRoot: ctx.loaded.home.landing.root,
        crmName: name,
        now: ctx.now(),
        defaultRegion: ctx.loaded.config.business.defaultRegion,
      });
    } finally {
      await connector.close();
    }
  }
  const sources =
    opts.load === false
      ? []
      : await withWarehouse(ctx.loaded.home.warehouse, { timezone: "UTC" }, (wh) =>
          loadLanded(wh, ctx.loaded.home, ctx.log),
        );
  const h = snapshot?.health;
  const pct = (v: number | null | undefined) => (v == null ? "n/a" : `${(v * 100).toFixed(2)}%`);
  const detail = !connector
    ? "no CRM configured"
    : snapshot?.snapshotId
      ? `CRM ${name} snapshot ${snapshot.snapshotId}: ${snapshot.counts.contacts} contacts, ${snapshot.counts.orders} orders changed; ` +
        `phone normalisation failures ${pct(h?.phone_failure_rate)}, mapping errors ${pct(h?.mapping_error_rate)}`
      : `CRM ${name} unchanged`;
  if (h && (h.mapping_error_rate ?? 0) >= 0.02) {
    ctx.log.warn(`CRM ${name}: field-mapping error rate ${pct(h.mapping_error_rate)} is above the 2% target (R7)`);
  }
  return { crm: name, snapshot, sources, detail };
}

/**
 * `scrm writeback [--dry-run]`: enqueues the tags computed in the warehouse (crm_sync.desired_tags,
 * or `source`: a relation with columns crm, record_id, tag) into crm_sync.outbox, then sends the
 * outbox to the CRM: read, merge (only our namespace), write; one result per record.
 */
export async function writeback(
  ctx: CrmContext,
  opts: { dryRun?: boolean; source?: string } = {},
): Promise<WritebackReport> {
  const cfg = crmSourceOf(ctx);
  const connector = openCrmConnector(ctx, { readOnly: false });
  if (!connector) throw new ConnectorError("no CRM configured (sources.crm.kind is none)");
  const name = crmName(cfg);
  try {
    return await withWarehouse(ctx.loaded.home.warehouse, { timezone: "UTC" }, async (wh) => {
      const dryRun = opts.dryRun ?? false;
      const enqueued = dryRun
        ? 0
        : await enqueueDesiredTags(wh, name, connector.mapping.tags.namespace, {
            now: ctx.now(),
            ...(opts.source ? { source: opts.source } : {}),
          });
      const extra = dryRun ? await desiredChanges(wh, name, connector.mapping.tags.namespace, opts.source) : undefined;
      const report = await processOutbox(wh, connector, name, {
        dryRun,
        now: ctx.now,
        enqueued,
        ...(extra ? { extra } : {}),
      });
      ctx.log.info(
        dryRun
          ? `writeback (dry run) to ${name}: ${report.wouldWrite} would change, ${report.unchanged} unchanged, ${report.failed} failed`
          : `writeback to ${name}: ${report.enqueued} enqueued, ${report.written} written, ${report.unchanged} unchanged, ${report.failed} failed (kept in the outbox)`,
      );
      return report;
    });
  } finally {
    await connector.close();
  }
}
