// Loader for data/series/service.json: the agg_kpi_daily series the Service efficiency page shows.
import { emitPageSeries } from "./page.ts";

await emitPageSeries({
  first_response_median_seconds: ["all"],
  first_response_median_seconds_business: ["all"],
  first_response_avg_seconds: ["all", "agent"],
  resolution_median_seconds: ["all"],
  resolution_rate: ["all"],
  csat_score: ["all"],
  csat_avg_rating: ["all"],
  csat_response_rate: ["all"],
});
