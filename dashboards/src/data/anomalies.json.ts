// Loader for data/anomalies.json: the KPI anomalies written by the anomaly detector (issue 7) to
// ml.kpi_anomalies, and any rule alerts (complaint rate above 5% three days in a row, R26). The
// series themselves come from marts.agg_kpi_daily (series/anomalies.json). The R26 rule's alerts
// are the detector's rows with method rule_r26_complaint_rate_3d; the page never re-derives them. Absent table: "not computed yet".
import { page, selectAggregate } from "./marts.ts";
import { emit, loaderEnv, withWarehouse } from "./warehouse.ts";

const TABLES: [string, string][] = [
  ["ml", "kpi_anomalies"],
  ["ml", "anomalies"],
  ["marts", "agg_kpi_anomalies"],
  ["marts", "fct_kpi_anomalies"],
];

const env = loaderEnv();
const result = await withWarehouse(env.warehouse, async (wh) => {
  const out = page();
  for (const [schema, name] of TABLES) {
    const cols = await wh.columns(schema, name);
    if (!cols) continue;
    const flag = ["is_anomaly", "anomalous", "is_alert"].find((c) => cols.has(c));
    const t = await selectAggregate(
      wh,
      schema,
      name,
      {
        date: ["metric_date", "date", "local_date"],
        metric: ["metric"],
        dimension: ["dimension"],
        dimension_value: ["dimension_value"],
        value: ["value", "actual", "observed"],
        expected: ["expected", "expected_value", "baseline"],
        lower: ["lower", "band_lower", "expected_lower", "lower_bound"],
        upper: ["upper", "band_upper", "expected_upper", "upper_bound"],
        severity: ["severity", "score", "anomaly_score", "z_score"],
        direction: ["direction"],
        method: ["method", "detector", "rule", "rule_id"],
        detected_at: ["detected_at", "scored_at", "computed_at"],
      },
      { required: ["date", "metric"], where: [flag ? `"${flag}"` : "true", cols.has("dimension") ? "dimension = 'all'" : "true"].join(" and "), orderBy: "1", limit: 5000 },
    );
    if (t) {
      out.anomalies = t;
      out.source = `${schema}.${name}`;
      break;
    }
  }
  if (!out.anomalies)
    out.missing.push({ what: "Detected anomalies (R26)", needs: "ml.kpi_anomalies (metric_date, metric, dimension, dimension_value, value, expected, lower, upper, severity, method, detected_at) from `scrm` anomaly detection (issue 7)" });
  return out;
});
emit(result);
