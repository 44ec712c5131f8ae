/**
 * The alert inbox's kinds and states as plain constants (re-exported by contract.ts, whose schemas are built
 * from them): publishers, event handlers and the console import these without loading zod and the contract,
 * and, being part of the contract, without loading the service either (the console's page of the packaged CLI).
 */

/** Kinds of alert; also the `alertType` message attribute subscribers filter on. */
export const AlertType = {
  dataDrift: "data_drift",
  performanceDrift: "performance_drift",
  /** Predictions without labels yet whose estimated primary metric fell beyond the threshold (performance estimation). */
  performanceEstimated: "performance_estimated",
  /** A state change of one of mlwatch's CloudWatch alarms (EventBridge `CloudWatch Alarm State Change`). */
  alarm: "alarm",
  /** Sent by `POST /alerts/test` (`mlwatch alerts test`) to prove delivery. */
  test: "test",
  /** A SageMaker training job of a model (tag `mlwatch-model`) failed or was stopped (EventBridge). */
  trainingFailed: "training_failed",
} as const;
export type AlertType = (typeof AlertType)[keyof typeof AlertType];

/** An alert's life: open → acknowledged → resolved (or open → resolved). */
export const AlertState = { open: "open", acknowledged: "acknowledged", resolved: "resolved" } as const;
export type AlertState = (typeof AlertState)[keyof typeof AlertState];
