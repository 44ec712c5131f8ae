/** Performance tracking core: batch checks, sufficient statistics, degradation rule, reports, alert text. */
export * from "./metric-names.ts";
export * from "./sufficient-stats.ts";
export * from "./thresholds.ts";
export * from "./degradation.ts";
export * from "./batch-columns.ts";
export * from "./report.ts";
export * from "./alert-message.ts";
export * from "./batch-metrics.ts";
