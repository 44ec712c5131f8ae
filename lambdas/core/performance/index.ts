/** Performance tracking core: batch checks, sufficient statistics, degradation rule, reports, alert text. */
export * from "./metric-names.js";
export * from "./sufficient-stats.js";
export * from "./thresholds.js";
export * from "./degradation.js";
export * from "./batch-columns.js";
export * from "./report.js";
export * from "./alert-message.js";
export * from "./batch-metrics.js";
export * from "./fairness.js";
export * from "./latency.js";
export * from "./live-metrics.js";
