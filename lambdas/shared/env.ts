/**
 * Environment read once, through helpers that throw when a required variable is missing.
 * Every Lambda and the local server receive the same variable names (set by CDK or by `mlwatch serve`).
 */

/** Names of the environment variables mlwatch reads. */
export const EnvName = {
  dataBucket: "MLWATCH_BUCKET",
  table: "MLWATCH_TABLE",
  topicArn: "MLWATCH_TOPIC_ARN",
  auditLogGroup: "MLWATCH_AUDIT_LOG_GROUP",
  metricsNamespace: "MLWATCH_METRICS_NAMESPACE",
  alertSuppressionHours: "MLWATCH_ALERT_SUPPRESSION_HOURS",
  /** Days resolved alerts are kept (context reportRetentionDays). */
  reportRetentionDays: "MLWATCH_REPORT_RETENTION_DAYS",
  /** The mlwatch alarm `POST /alerts/test` sets to ALARM and back (deployed only). */
  testAlarmName: "MLWATCH_TEST_ALARM",
  driftQueueFunction: "MLWATCH_DRIFT_WORKER",
  /** The fan-out state machine's ARN (deployed); without it a fan-out check runs in-process. */
  driftFanOutStateMachine: "MLWATCH_DRIFT_FANOUT_STATE_MACHINE",
  /** The size switch: an S3 check of at least this many bytes fans out (context driftFanOutBytes). */
  driftFanOutBytes: "MLWATCH_DRIFT_FANOUT_BYTES",
  /** The size switch: an S3 check of at least this many objects fans out (context driftFanOutObjects). */
  driftFanOutObjects: "MLWATCH_DRIFT_FANOUT_OBJECTS",
  /** Objects per shard (the Distributed Map's MaxItemsPerBatch; context driftShardObjects). */
  driftShardObjects: "MLWATCH_DRIFT_SHARD_OBJECTS",
  /** Shards run at once in-process (local mode; the state machine's limit is context driftMaxConcurrency). */
  driftMaxConcurrency: "MLWATCH_DRIFT_MAX_CONCURRENCY",
  stage: "MLWATCH_STAGE",
  /** Minutes between the drift monitor's passes (context monitorEveryMinutes); a model's everyMinutes may not be shorter. */
  monitorEveryMinutes: "MLWATCH_MONITOR_EVERY_MINUTES",
  /** The unit prices drift checks are costed at, as JSON (context price* settings; lambdas/core/cost/check-cost.ts). */
  checkPrices: "MLWATCH_CHECK_PRICES",
  /** Bytes of a Model Monitor ground-truth join's inputs above which it runs in the worker (context groundTruthJoinInlineBytes). */
  groundTruthInlineBytes: "MLWATCH_GROUND_TRUTH_INLINE_BYTES",
} as const;
export type EnvName = (typeof EnvName)[keyof typeof EnvName];

/** The periods, in minutes, the drift monitor can run at (the stack's `monitorEveryMinutes`, a model's `everyMinutes`). */
export const monitorPeriods = [5, 10, 15, 30, 60] as const;
export type MonitorEveryMinutes = (typeof monitorPeriods)[number];

/** The stack's monitor period in minutes (60 when unset, as in local mode). */
export function stackMonitorMinutes(): number {
  const n = Number(process.env[EnvName.monitorEveryMinutes] ?? "");
  return (monitorPeriods as readonly number[]).includes(n) ? n : 60;
}

/**
 * Reads a required environment variable.
 * @throws Error naming the variable when it is unset or empty.
 */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`environment variable ${name} is required but not set`);
  }
  return value;
}

/** Reads an optional environment variable, returning `fallback` when unset or empty. */
export function optionalEnv(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === "" ? fallback : value;
}

/** Resource names the services use, resolved at call time so tests can point one process at many stacks. */
export interface ResourceNames {
  readonly bucket: string;
  readonly table: string;
  readonly topicArn: string;
  readonly auditLogGroup: string;
  readonly metricsNamespace: string;
}

/** The resource names of this process, from the environment. */
export function resourceNames(): ResourceNames {
  return {
    bucket: requireEnv(EnvName.dataBucket),
    table: requireEnv(EnvName.table),
    topicArn: requireEnv(EnvName.topicArn),
    auditLogGroup: requireEnv(EnvName.auditLogGroup),
    metricsNamespace: optionalEnv(EnvName.metricsNamespace, "MLWatch"),
  };
}
