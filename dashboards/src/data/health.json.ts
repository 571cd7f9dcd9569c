// Loader for data/health.json: data health (R11, R33). Freshness and lag of each mart (its
// latest event time and latest load time), the daily sync-health mart (load success, quarantined
// lines, mapping errors, latency) and the last pipeline runs (ops.pipeline_runs / pipeline_steps:
// status and durations only; error text is never shipped, it can quote source rows).
import { page, selectAggregate } from "./marts.ts";
import { emit, ident, loaderEnv, pickColumn, withWarehouse } from "./warehouse.ts";

const FRESHNESS: { table: string; event: string[]; label: string }[] = [
  { table: "fct_messages", event: ["sent_at_utc"], label: "WhatsApp messages" },
  { table: "fct_orders", event: ["ordered_at_utc", "ordered_at"], label: "CRM orders" },
  { table: "dim_customers", event: ["crm_updated_at", "last_inbound_at"], label: "Customers" },
  { table: "fct_conversations", event: ["started_at_utc", "started_at"], label: "Conversations" },
  { table: "agg_kpi_daily", event: ["metric_date"], label: "Daily KPIs" },
];
const LOADED = ["last_loaded_at", "loaded_at", "_loaded_at", "updated_at"];

const env = loaderEnv();
const now = Date.now();
const result = await withWarehouse(env.warehouse, async (wh) => {
  const out = page();
  const freshness = [];
  for (const f of FRESHNESS) {
    const cols = await wh.columns("marts", f.table);
    if (!cols) continue;
    const ev = pickColumn(cols, f.event);
    const ld = pickColumn(cols, LOADED);
    const [r] = await wh.query(
      `select count(*)::double as n
              ${ev ? `, epoch_ms(max(${ident(ev)})::timestamp)::double as latest_event` : ""}
              ${ld ? `, epoch_ms(max(${ident(ld)})::timestamp)::double as latest_load` : ""}
       from marts.${f.table}`,
    );
    freshness.push({ table: `marts.${f.table}`, label: f.label, rows: Number(r?.n ?? 0), latestEvent: r?.latest_event == null ? null : Number(r.latest_event), latestLoad: r?.latest_load == null ? null : Number(r.latest_load), eventColumn: ev, loadColumn: ld });
  }
  out.freshness = freshness;
  out.builtAt = now;

  const sync = await selectAggregate(
    wh,
    "marts",
    "agg_sync_health_daily",
    {
      date: ["load_date", "health_date", "metric_date", "date", "local_date", "load_date"],
      source: ["source", "source_name", "pipeline", "sync_mode"],
      loaded: ["loaded_rows", "rows_loaded", "loaded_rows", "loaded", "records_loaded"],
      quarantined: ["quarantined_rows", "rows_quarantined", "quarantined_rows", "quarantined", "quarantined_lines"],
      success_rate: ["load_success_rate", "success_rate", "load_success_rate", "sync_success_rate"],
      mapping_errors: ["mapping_errors", "mapping_error_count"],
      mapping_error_rate: ["mapping_error_rate"],
      lag_p50: ["median_load_lag_seconds", "lag_seconds_p50", "median_lag_seconds", "lag_median_seconds", "p50_lag_seconds"],
      lag_p95: ["p95_load_lag_seconds", "lag_seconds_p95", "p95_lag_seconds", "lag_p95_seconds"],
      files: ["files", "files_loaded"],
      quarantine_rate: ["quarantine_rate"],
      freshness_hours: ["freshness_hours"],
      failed: ["failed", "failures", "failed_syncs"],
    },
    { required: ["date"], orderBy: "1", limit: 5000 },
  );
  if (sync) out.sync = sync;
  else out.missing.push({ what: "Load success rate, quarantined lines, mapping errors and sync lag per day (R11, R33)", needs: "marts.agg_sync_health_daily (health_date, source, rows_loaded, rows_quarantined, success_rate, mapping_errors, mapping_error_rate, lag_seconds_p50, lag_seconds_p95)" });

  const runs = await wh.columns("ops", "pipeline_runs");
  if (runs) {
    const r = await wh.query(
      `select run_id::varchar as run_id, job, trigger, status, epoch_ms(started_at::timestamp)::double as started,
              epoch_ms(finished_at::timestamp)::double as finished, steps_planned
       from ops.pipeline_runs order by started_at desc limit 20`,
    );
    const steps = (await wh.columns("ops", "pipeline_steps"))
      ? await wh.query(
          `select run_id::varchar as run_id, step, status, attempts::integer as attempts, ms::double as ms,
                  rows_in::double as rows_in, rows_out::double as rows_out
           from ops.pipeline_steps where run_id in (select run_id from ops.pipeline_runs order by started_at desc limit 20) order by run_id, seq`,
        )
      : [];
    // Run ids are opaque; number the runs instead of shipping them.
    const ids = new Map(r.map((x, i) => [String(x.run_id), r.length - i]));
    out.runs = r.map((x) => ({ run: ids.get(String(x.run_id)), job: x.job, trigger: x.trigger, status: x.status, started: x.started == null ? null : Number(x.started), finished: x.finished == null ? null : Number(x.finished), steps: x.steps_planned }));
    out.steps = steps.map((s) => ({ run: ids.get(String(s.run_id)), step: s.step, status: s.status, attempts: Number(s.attempts), ms: Number(s.ms), rowsIn: s.rows_in == null ? null : Number(s.rows_in), rowsOut: s.rows_out == null ? null : Number(s.rows_out) }));
  } else out.missing.push({ what: "Last pipeline runs", needs: "ops.pipeline_runs (written by `scrm run` and the scheduler)" });
  return out;
});
emit(result);
