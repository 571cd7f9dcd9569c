// Loader for data/series/anomalies.json: the overall agg_kpi_daily series of every metric that
// ml.kpi_anomalies flagged, plus the headline ones and complaint_rate (the R26 rule's series).
import { pageSeries } from "../marts.ts";
import { emit, loaderEnv, withWarehouse } from "../warehouse.ts";

const ALWAYS = ["inbound_messages", "orders", "revenue_business", "read_rate", "complaint_rate", "first_response_median_seconds", "csat_score", "delivery_failure_rate"];

const env = loaderEnv();
const result = await withWarehouse(env.warehouse, async (wh) => {
  const flagged = (await wh.columns("ml", "kpi_anomalies"))
    ? (await wh.query(`select distinct metric from ml.kpi_anomalies where dimension = 'all' and is_anomaly order by 1`)).map((r) => String(r.metric))
    : [];
  return pageSeries(wh, Object.fromEntries([...new Set([...ALWAYS, ...flagged])].map((m) => [m, ["all"]])));
});
emit(result);
