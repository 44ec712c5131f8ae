/**
 * Alert fingerprints: what makes two alerts of one model and type "the same", so the inbox counts a repeat
 * instead of raising a second alert (lambdas/alerts/open-or-repeat.ts). Every caller builds its fingerprint
 * here, one function per alert type.
 *
 * The formats are stored: the inbox claims `sha256([model, type, fingerprint])` (lambdas/alerts/store/
 * fingerprints.ts), so a changed format would raise a fresh alert for a condition already open. The unit
 * test pins each one.
 */

/** Names in a fixed order (sorted by code unit), so the same set always gives the same fingerprint. */
function sortedList(names: readonly string[]): string {
  return [...names].sort().join(",");
}

/** The fingerprint of each alert type. */
export const alertFingerprint = {
  /** Data drift: the drifted feature names (`age,income`). */
  dataDrift: (features: readonly string[]): string => sortedList(features),
  /** Performance drift of a version: the degraded metrics (`performance:1.2.0:accuracy,f1`). */
  performanceDrift: (version: string, metrics: readonly string[]): string => `performance:${version}:${sortedList(metrics)}`,
  /** Estimated performance drift of a version: the estimated metric (`estimated:1.2.0:accuracy`). */
  performanceEstimated: (version: string, metric: string): string => `estimated:${version}:${metric}`,
  /** A CloudWatch alarm: its name (`alarm:mlwatch-drift-errors`). */
  alarm: (alarmName: string): string => `alarm:${alarmName}`,
  /** A failed SageMaker training job: its name (`training:churn-2026-01-01`). */
  trainingFailed: (jobName: string): string => `training:${jobName}`,
  /** A test alert: never the same as another (`test:2026-01-01T00:00:00.000Z:0.123`). */
  test: (sentAt: Date, nonce: string): string => `test:${sentAt.toISOString()}:${nonce}`,
} as const;
