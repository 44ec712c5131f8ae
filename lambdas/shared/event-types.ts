/**
 * mlwatch's event source, bus and detail-types as plain constants (re-exported by event-schemas.ts, whose
 * zod schemas are keyed by them): code that only names an event imports these without loading zod.
 */

/** The `source` of every mlwatch event. */
export const eventSource = "mlwatch";

/** The bus mlwatch publishes to: the account's default bus. */
export const eventBusName = "default";

/** The detail-types mlwatch publishes, exactly as they appear in the event. */
export const MlwatchEventType = {
  driftDetected: "mlwatch Drift Detected",
  performanceDegraded: "mlwatch Performance Degraded",
  performanceEstimatedDrop: "mlwatch Performance Estimated Drop",
  modelPromoted: "mlwatch Model Promoted",
  modelRolledBack: "mlwatch Model Rolled Back",
  retrainingRequested: "mlwatch Retraining Requested",
  retentionPending: "mlwatch Retention Pending",
} as const;
export type MlwatchEventType = (typeof MlwatchEventType)[keyof typeof MlwatchEventType];

/** What started a retraining request. */
export const RetrainingTrigger = ["drift", "performance", "schedule", "manual"] as const;
export type RetrainingTrigger = (typeof RetrainingTrigger)[number];
