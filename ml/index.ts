/** Warehouse-independent ML core for issue 7 (churn risk, sentiment, KPI anomalies). */
export * from "./forest/index.ts";
export * from "./logistic.ts";
export * from "./calibration.ts";
export * from "./metrics.ts";
export * from "./sentiment.ts";
export * from "./anomaly.ts";
export { createRng, type Rng } from "./rng.ts";
