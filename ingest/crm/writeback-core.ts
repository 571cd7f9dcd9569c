import { fileURLToPath } from "node:url";
import type { Warehouse } from "../../core/warehouse.ts";
import type { CrmConnector } from "./connector.ts";

const SCHEMA_SQL = fileURLToPath(new URL("./writeback-schema.sql", import.meta.url));

export type WritebackOutcome = "written" | "unchanged" | "failed" | "would-write";

export interface WritebackRecord {
  readonly recordId: string;
  readonly outcome: WritebackOutcome;
  readonly before: string | null;
  readonly after: string | null;
  readonly reason: string | null;
}

export interface WritebackReport {
  readonly runId: string;
  readonly dryRun: boolean;
  readonly enqueued: number;
  readonly written: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly wouldWrite: number;
  /** Per-record outcomes of this run (the same rows go to crm_sync.results). */
  readonly records: WritebackRecord[];
  readonly ms: number;
}

export async function ensureWritebackSchema(wh: Warehouse): Promise<void> {
  await wh.runFile(SCHEMA_SQL);
}

function split(value: string | null, sep: string): string[] {
  return (value ?? "")
    .split(sep)
    .map((t) => t.trim())
    .filter(Boolean);
}

/**
 * Read-merge-write for a multi-value tag field: keeps every tag outside our namespace as it is,
 * replaces ours with `desired`. Returns null when the merged set equals the current one.
 */
export function mergeTags(
  current: string | null,
  desired: readonly string[],
  namespace: string,
  sep: string,
): string | null {
  const now = split(current, sep);
  const theirs = now.filter((t) => !t.startsWith(namespace));
  const merged = [...new Set([...theirs, ...desired])];
  const a = new Set(now);
  if (a.size === merged.length && merged.every((t) => a.has(t))) return null;
  return merged.join(sep);
}

/**
 * Puts into the outbox every contact whose desired set of our tags (crm_sync.desired_tags, or the
 * given relation with columns crm, record_id, tag) differs from what the CRM was last seen to hold.
 * Tags without our prefix get it. Returns how many contacts were enqueued.
 */
export async function enqueueDesiredTags(
  wh: Warehouse,
  crm: string,
  namespace: string,
  opts: { source?: string; now: Date },
): Promise<number> {
  await ensureWritebackSchema(wh);
  const source = opts.source ?? "crm_sync.desired_tags";
  const changed = Number(await wh.scalar(`select count(*)::double from (${diffSql(source)})`, [crm, namespace]));
  await wh.run(
    `insert into crm_sync.outbox
     select $1, record_id, tags, $3::timestamptz, 0, null, null from (${diffSql(source)})
     on conflict (crm, record_id) do update set tags = excluded.tags, enqueued_at = excluded.enqueued_at`,
    [crm, namespace, opts.now.toISOString()],
  );
  return changed;
}

/** What enqueueing would add or change, without touching the outbox (for dry runs). */
export async function desiredChanges(
  wh: Warehouse,
  crm: string,
  namespace: string,
  source = "crm_sync.desired_tags",
): Promise<Array<{ record_id: string; tags: string }>> {
  await ensureWritebackSchema(wh);
  return wh.rows(`select record_id, tags from (${diffSql(source)}) order by record_id`, [crm, namespace]);
}

function diffSql(source: string): string {
  return `
    with desired as (
      select record_id,
             string_agg(distinct case when starts_with(tag, $2) then tag else $2 || tag end, ';'
                        order by case when starts_with(tag, $2) then tag else $2 || tag end) as tags
      from ${source} where crm = $1 and tag is not null and trim(tag) <> '' group by record_id
    ), known as (select record_id, tags from crm_sync.tag_state where crm = $1),
    pending as (select record_id, tags from crm_sync.outbox where crm = $1)
    select coalesce(d.record_id, k.record_id) as record_id, coalesce(d.tags, '') as tags
    from desired d full join known k on k.record_id = d.record_id
    left join pending p on p.record_id = coalesce(d.record_id, k.record_id)
    where coalesce(d.tags, '') is distinct from coalesce(k.tags, '')
      and coalesce(d.tags, '') is distinct from p.tags`;
}

/**
 * Sends the outbox to the CRM: per batch, reads the current tag values, merges (ours replaced, theirs
 * kept), writes only what changed, and records one result per record. Written and unchanged
 * records leave the outbox; failed ones stay with their reason. A dry run reads but never writes.
 */
export async function processOutbox(
  wh: Warehouse,
  connector: CrmConnector,
  crm: string,
  opts: {
    dryRun: boolean;
    now: () => Date;
    batchSize?: number;
    runId?: string;
    enqueued?: number;
    /** Dry runs: changes not yet enqueued, shown as if they were. */
    extra?: ReadonlyArray<{ record_id: string; tags: string }>;
  },
): Promise<WritebackReport> {
  const started = performance.now();
  await ensureWritebackSchema(wh);
  const startedAt = opts.now();
  const runId = opts.runId ?? `${startedAt.toISOString().replace(/[-:.]/g, "")}-${opts.dryRun ? "dry" : "run"}`;
  const { namespace, separator } = connector.mapping.tags;
  const batchSize = opts.batchSize ?? 100;
  const queued = await wh.rows<{ record_id: string; tags: string }>(
    "select record_id, tags from crm_sync.outbox where crm = $1 order by enqueued_at, record_id",
    [crm],
  );
  const extra = new Map((opts.extra ?? []).map((e) => [e.record_id, e.tags]));
  const pending = [
    ...queued.filter((q) => !extra.has(q.record_id)),
    ...[...extra].map(([record_id, tags]) => ({ record_id, tags })),
  ];
  const records: WritebackRecord[] = [];
  for (let i = 0; i < pending.length; i += batchSize) {
    const batch = pending.slice(i, i + batchSize);
    const out: Array<WritebackRecord & { desired: string }> = [];
    let current: Map<string, string | null>;
    try {
      current = await connector.readTags(batch.map((b) => b.record_id));
    } catch (err) {
      for (const b of batch) {
        out.push({
          recordId: b.record_id,
          desired: b.tags,
          outcome: "failed",
          before: null,
          after: null,
          reason: (err as Error).message,
        });
      }
      records.push(...out);
      if (!opts.dryRun) await settle(wh, crm, runId, out, opts.now());
      continue;
    }
    const writes: Array<{ id: string; value: string }> = [];
    const planned = new Map<string, { before: string | null; after: string; desired: string }>();
    for (const b of batch) {
      if (!current.has(b.record_id)) {
        out.push({
          recordId: b.record_id,
          desired: b.tags,
          outcome: "failed",
          before: null,
          after: null,
          reason: "contact not found in the CRM",
        });
        continue;
      }
      const before = current.get(b.record_id) ?? null;
      const merged = mergeTags(before, split(b.tags, ";"), namespace, separator);
      if (merged === null) {
        out.push({ recordId: b.record_id, desired: b.tags, outcome: "unchanged", before, after: before, reason: null });
      } else if (opts.dryRun) {
        out.push({
          recordId: b.record_id,
          desired: b.tags,
          outcome: "would-write",
          before,
          after: merged,
          reason: null,
        });
      } else {
        writes.push({ id: b.record_id, value: merged });
        planned.set(b.record_id, { before, after: merged, desired: b.tags });
      }
    }
    if (writes.length) {
      let results;
      try {
        results = await connector.writeTags(writes);
      } catch (err) {
        results = writes.map((w) => ({ id: w.id, ok: false, error: (err as Error).message }));
      }
      for (const r of results) {
        const p = planned.get(r.id)!;
        out.push(
          r.ok
            ? { recordId: r.id, desired: p.desired, outcome: "written", before: p.before, after: p.after, reason: null }
            : {
                recordId: r.id,
                desired: p.desired,
                outcome: "failed",
                before: p.before,
                after: null,
                reason: r.error ?? "failed",
              },
        );
      }
    }
    records.push(...out);
    await settle(wh, crm, runId, out, opts.now(), opts.dryRun);
  }
  const count = (o: WritebackOutcome) => records.filter((r) => r.outcome === o).length;
  const report: WritebackReport = {
    runId,
    dryRun: opts.dryRun,
    enqueued: opts.enqueued ?? 0,
    written: count("written"),
    unchanged: count("unchanged"),
    failed: count("failed"),
    wouldWrite: count("would-write"),
    records,
    ms: performance.now() - started,
  };
  await wh.run("insert into crm_sync.runs values ($1, $2, $3, $4::timestamptz, $5::timestamptz, $6, $7, $8, $9, $10)", [
    runId,
    crm,
    opts.dryRun,
    startedAt.toISOString(),
    opts.now().toISOString(),
    report.enqueued,
    report.written,
    report.unchanged,
    report.failed,
    report.wouldWrite,
  ]);
  return report;
}

/** Records the batch's results; a real run also clears settled records from the outbox. */
async function settle(
  wh: Warehouse,
  crm: string,
  runId: string,
  out: ReadonlyArray<WritebackRecord & { desired: string }>,
  at: Date,
  dryRun = false,
): Promise<void> {
  if (!out.length) return;
  const json = JSON.stringify(
    out.map((r) => ({ id: r.recordId, o: r.outcome, d: r.desired, b: r.before, a: r.after, r: r.reason })),
  );
  const rows = `(select unnest(from_json($1::json, '[{"id":"VARCHAR","o":"VARCHAR","d":"VARCHAR","b":"VARCHAR","a":"VARCHAR","r":"VARCHAR"}]'), recursive := true))`;
  await wh.transaction(async () => {
    await wh.run(`insert into crm_sync.results select $2, $3, id, o, d, b, a, r, $4::timestamptz from ${rows}`, [
      json,
      runId,
      crm,
      at.toISOString(),
    ]);
    if (dryRun) return;
    await wh.run(
      `insert into crm_sync.tag_state select $2, id, d, $3::timestamptz from ${rows} where o in ('written', 'unchanged')
       on conflict (crm, record_id) do update set tags = excluded.tags, synced_at = excluded.synced_at`,
      [json, crm, at.toISOString()],
    );
    await wh.run(
      `delete from crm_sync.outbox o using ${rows} x
       where o.crm = $2 and o.record_id = x.id and x.o in ('written', 'unchanged') and o.tags = x.d`,
      [json, crm],
    );
    await wh.run(
      `update crm_sync.outbox o set attempts = attempts + 1, last_attempt_at = $3::timestamptz, last_error = x.r
       from ${rows} x where o.crm = $2 and o.record_id = x.id and x.o = 'failed'`,
      [json, crm, at.toISOString()],
    );
  });
}
