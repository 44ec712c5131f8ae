/**
 * The single-table key design: the one source of truth used by the CDK construct (lib/storage.ts)
 * and by the local bootstrap (lambdas/local/bootstrap.ts).
 *
 * Items carry `pk` / `sk` and, where an item must be found by another access pattern, `gsi1pk` / `gsi1sk`.
 * `expiresAt` (epoch seconds) is the TTL attribute (idempotency records, resolved alerts, released alert fingerprints).
 *
 * Access patterns:
 * | pattern                               | key                                                     |
 * | ------------------------------------- | ------------------------------------------------------- |
 * | model record                          | pk `MODEL#{model}`, sk `MODEL`                          |
 * | all models                            | gsi1pk `MODELS`, gsi1sk `{model}`                       |
 * | a version / versions of a model       | pk `MODEL#{model}`, sk `VERSION#{padded semver}`        |
 * | versions of a model by stage          | gsi1pk `STAGE#{model}#{stage}`, gsi1sk `{padded semver}`|
 * | history of a model, by time           | pk `MODEL#{model}`, sk `HISTORY#{iso time}#{id}`        |
 * | deployments of a model, by time       | pk `MODEL#{model}`, sk `DEPLOY#{iso time}#{id}`         |
 * | dataset versions                      | pk `DATASET#{name}`, sk `VERSION#{id}`                  |
 * | dataset versions by registration time | gsi1pk `DATASETVERSIONS#{name}`, gsi1sk `{iso time}#{id}`|
 * | drift baselines / checks              | pk `MODEL#{model}`, sk `BASELINE#{id}` / `CHECK#{id}` (ids time-sortable) |
 * | a model's active drift baseline       | pk `MODEL#{model}`, sk `DRIFT#ACTIVE`                   |
 * | a model's drift monitoring settings   | pk `MODEL#{model}`, sk `DRIFT#MONITORING`               |
 * | enabled drift monitors (sparse)       | gsi1pk `DRIFTMONITORS`, gsi1sk `{model}`                |
 * | performance batches                   | pk `MODEL#{model}`, sk `BATCH#{time}#{id}`              |
 * | performance thresholds of a model     | pk `MODEL#{model}`, sk `PERFORMANCE#THRESHOLDS`         |
 * | a model's scheduled ground-truth join | pk `MODEL#{model}`, sk `PERFORMANCE#GROUNDTRUTH#SCHEDULE` |
 * | enabled ground-truth schedules (sparse) | gsi1pk `GROUNDTRUTHSCHEDULES`, gsi1sk `{model}`       |
 * | a ground-truth join run in the worker | pk `MODEL#{model}`, sk `GROUNDTRUTHJOB#{time-sortable id}` (TTL 30 days) |
 * | unlabelled scored rows (estimation)   | pk `MODEL#{model}`, sk `SCORES#{time}#{id}`             |
 * | a version's estimation reference      | pk `MODEL#{model}`, sk `PERFORMANCE#ESTIMATION#{padded semver}` |
 * | estimation track record (per labelled batch) | pk `MODEL#{model}`, sk `ESTRECORD#{padded semver}#{batch id}` |
 * | a version's batch task (fixed by its first batch) | pk `MODEL#{model}`, sk `PERFORMANCE#TASK#{padded semver}` |
 * | logged predictions (ground-truth join)| pk `PREDICTIONS#{model}`, sk `PRED#{id}`                |
 * | a model's promotion policy            | pk `MODEL#{model}`, sk `POLICY#PROMOTION`               |
 * | approval requests of a model, by time | pk `MODEL#{model}`, sk `APPROVAL#{time-sortable id}`    |
 * | the pending approval of a version     | pk `MODEL#{model}`, sk `APPROVALPENDING#{padded semver}`|
 * | a deleted version number (tombstone)  | pk `MODEL#{model}`, sk `TOMBSTONE#{padded semver}`      |
 * | the key that signs page tokens        | pk `PAGETOKEN#KEY`, sk `PAGETOKEN#KEY`                  |
 * | an alias of a model                   | pk `MODEL#{model}`, sk `ALIAS#{alias}`                  |
 * | idempotency records                   | pk `IDEMPOTENCY#{scope}#{key}`, sk `IDEMPOTENCY`        |
 * | a model's retraining policy           | pk `MODEL#{model}`, sk `RETRAINING#POLICY`              |
 * | retraining policies with a schedule   | gsi1pk `RETRAININGSCHEDULES`, gsi1sk `{model}` (sparse) |
 * | a model's last automatic request time | pk `MODEL#{model}`, sk `RETRAINING#LAST` (claimed by a conditional write: the rate limit) |
 * | retraining requests, by time          | pk `MODEL#{model}`, sk `RETRAINING#REQ#{iso time}#{id}` |
 * | an alert of the inbox                 | pk `ALERT#{alertId}`, sk `ALERT`                        |
 * | every alert, newest first             | gsi1pk `ALERTS`, gsi1sk `{firstSeen iso}#{alertId}`     |
 * | the alert a fingerprint points to     | pk `ALERTFP#{sha256(model, type, fingerprint)}`, sk `ALERTFP` |
 * | a model's count of unresolved alerts  | pk `ALERTCOUNT#{model}`, sk `OPEN`                      |
 *
 * Resolved alerts carry `expiresAt` (resolution + reportRetentionDays) and leave with DynamoDB's TTL.
 */

/** Attribute names of the table's keys, index and TTL. */
export const TableKeys = {
  partitionKey: "pk",
  sortKey: "sk",
  gsi1Name: "gsi1",
  gsi1PartitionKey: "gsi1pk",
  gsi1SortKey: "gsi1sk",
  ttlAttribute: "expiresAt",
} as const;

/** Shape of the table, consumed by CDK and by the local bootstrap alike. */
export const tableDefinition = {
  partitionKey: { name: TableKeys.partitionKey, type: "S" },
  sortKey: { name: TableKeys.sortKey, type: "S" },
  globalSecondaryIndexes: [
    {
      indexName: TableKeys.gsi1Name,
      partitionKey: { name: TableKeys.gsi1PartitionKey, type: "S" },
      sortKey: { name: TableKeys.gsi1SortKey, type: "S" },
      projection: "ALL",
    },
  ],
  ttlAttribute: TableKeys.ttlAttribute,
} as const;

/** Key builders, so no store spells a key prefix by hand. */
export const keys = {
  model: (model: string) => ({ pk: `MODEL#${model}`, sk: "MODEL" }),
  modelPk: (model: string) => `MODEL#${model}`,
  allModelsGsi: "MODELS",
  stageGsi: (model: string, stage: string) => `STAGE#${model}#${stage}`,
  datasetPk: (name: string) => `DATASET#${name}`,
  idempotency: (scope: string, key: string) => ({ pk: `IDEMPOTENCY#${scope}#${key}`, sk: "IDEMPOTENCY" }),
  /** A model version; `paddedVersion` from `padSemver` (lambdas/core/lifecycle/semver.ts). */
  modelVersion: (model: string, paddedVersion: string) => ({ pk: `MODEL#${model}`, sk: `VERSION#${paddedVersion}` }),
  versionSkPrefix: "VERSION#",
  /** A history entry of a model (newest first = descending sort key). */
  modelHistory: (model: string, isoTime: string, id: string) => ({ pk: `MODEL#${model}`, sk: `HISTORY#${isoTime}#${id}` }),
  historySkPrefix: "HISTORY#",
  /** A deployment record of a model. */
  modelDeployment: (model: string, isoTime: string, id: string) => ({ pk: `MODEL#${model}`, sk: `DEPLOY#${isoTime}#${id}` }),
  deploySkPrefix: "DEPLOY#",
  /** A dataset version, its id derived from the content hash. */
  datasetVersion: (name: string, id: string) => ({ pk: `DATASET#${name}`, sk: `VERSION#${id}` }),
  /** Dataset versions of a name by registration time (gsi1). */
  datasetTimeGsi: (name: string) => `DATASETVERSIONS#${name}`,
  /** A drift baseline of a model; ids are time-sortable, so newest first = descending sort key. */
  driftBaseline: (model: string, id: string) => ({ pk: `MODEL#${model}`, sk: `BASELINE#${id}` }),
  baselineSkPrefix: "BASELINE#",
  /** The pointer to a model's active drift baseline. */
  driftActiveBaseline: (model: string) => ({ pk: `MODEL#${model}`, sk: "DRIFT#ACTIVE" }),
  /** A drift check of a model (time-sortable id). */
  driftCheck: (model: string, checkId: string) => ({ pk: `MODEL#${model}`, sk: `CHECK#${checkId}` }),
  checkSkPrefix: "CHECK#",
  /** A model's scheduled drift monitoring settings and watermark. */
  driftMonitoring: (model: string) => ({ pk: `MODEL#${model}`, sk: "DRIFT#MONITORING" }),
  /** gsi1pk of enabled monitoring settings (set only while enabled: a sparse index the monitor queries). */
  driftMonitorsGsi: "DRIFTMONITORS",
  /** A performance batch summary, placed at its (ISO) timestamp so a time window is one sort-key range. */
  performanceBatch: (model: string, isoTime: string, id: string) => ({ pk: `MODEL#${model}`, sk: `BATCH#${isoTime}#${id}` }),
  batchSkPrefix: "BATCH#",
  /** Unlabelled scored rows (a batch without actuals, or a prediction log) as score histograms, placed at their time. */
  performanceScores: (model: string, isoTime: string, id: string) => ({ pk: `MODEL#${model}`, sk: `SCORES#${isoTime}#${id}` }),
  scoresSkPrefix: "SCORES#",
  /** The labelled window a version's performance estimation calibrates on. */
  estimationReference: (model: string, paddedVersion: string) => ({ pk: `MODEL#${model}`, sk: `PERFORMANCE#ESTIMATION#${paddedVersion}` }),
  /** One entry of a version's estimation track record: the labelled batch whose rows it checked. */
  estimationRecord: (model: string, paddedVersion: string, batchId: string) => ({ pk: `MODEL#${model}`, sk: `ESTRECORD#${paddedVersion}#${batchId}` }),
  estimationRecordSkPrefix: "ESTRECORD#",
  /** A model's scheduled ground-truth join (Model Monitor's files): settings, watermark and last run. */
  groundTruthSchedule: (model: string) => ({ pk: `MODEL#${model}`, sk: "PERFORMANCE#GROUNDTRUTH#SCHEDULE" }),
  /** gsi1pk of enabled ground-truth schedules (set only while enabled: a sparse index the monitor pass queries). */
  groundTruthSchedulesGsi: "GROUNDTRUTHSCHEDULES",
  /** A ground-truth join run in the worker (inputs above the size bound): its request, state and result. */
  groundTruthJoinJob: (model: string, jobId: string) => ({ pk: `MODEL#${model}`, sk: `GROUNDTRUTHJOB#${jobId}` }),
  /** A model's performance thresholds (the degradation rule's settings). */
  performanceThresholds: (model: string) => ({ pk: `MODEL#${model}`, sk: "PERFORMANCE#THRESHOLDS" }),
  /** The task a version's batches have, fixed by its first batch; `paddedVersion` from `padSemver`. */
  performanceTask: (model: string, paddedVersion: string) => ({ pk: `MODEL#${model}`, sk: `PERFORMANCE#TASK#${paddedVersion}` }),
  /** A model's promotion policy (gates, approvals, retention). */
  promotionPolicy: (model: string) => ({ pk: `MODEL#${model}`, sk: "POLICY#PROMOTION" }),
  /** An approval request of a model (time-sortable id, so newest first = descending sort key). */
  approval: (model: string, id: string) => ({ pk: `MODEL#${model}`, sk: `APPROVAL#${id}` }),
  approvalSkPrefix: "APPROVAL#",
  /** The one pending approval request of a version: its existence is the lock that allows one at a time. */
  pendingApproval: (model: string, paddedVersion: string) => ({ pk: `MODEL#${model}`, sk: `APPROVALPENDING#${paddedVersion}` }),
  /** A deleted version's number: its existence refuses a registration of the same number. */
  versionTombstone: (model: string, paddedVersion: string) => ({ pk: `MODEL#${model}`, sk: `TOMBSTONE#${paddedVersion}` }),
  /** The stack's page-token signing key, created once on first use (lambdas/shared/page-token.ts). */
  pageTokenKey: { pk: "PAGETOKEN#KEY", sk: "PAGETOKEN#KEY" },
  /** An alias of a model (champion, challenger, …) and the version it points to. */
  alias: (model: string, alias: string) => ({ pk: `MODEL#${model}`, sk: `ALIAS#${alias}` }),
  /**
   * A logged prediction awaiting (or joined with) its ground truth. Its own partition per model, so
   * prediction traffic does not share throughput with the model's metadata items.
   */
  prediction: (model: string, id: string) => ({ pk: `PREDICTIONS#${model}`, sk: `PRED#${id}` }),
  /** A model's retraining policy. */
  retrainingPolicy: (model: string) => ({ pk: `MODEL#${model}`, sk: "RETRAINING#POLICY" }),
  /** gsi1pk of retraining policies that have a schedule (set only then: a sparse index the scheduler queries). */
  retrainingSchedulesGsi: "RETRAININGSCHEDULES",
  /** When the model's last automatic retraining request went out: the rate limit's state, claimed conditionally. */
  retrainingLast: (model: string) => ({ pk: `MODEL#${model}`, sk: "RETRAINING#LAST" }),
  /** A retraining request (requested, suppressed or failed) of a model; newest first = descending sort key. */
  retrainingRequest: (model: string, isoTime: string, id: string) => ({ pk: `MODEL#${model}`, sk: `RETRAINING#REQ#${isoTime}#${id}` }),
  retrainingRequestSkPrefix: "RETRAINING#REQ#",
  /** An alert of the inbox (alertIds are time-sortable). */
  alert: (alertId: string) => ({ pk: `ALERT#${alertId}`, sk: "ALERT" }),
  /** gsi1pk of every alert; gsi1sk `{firstSeen}#{alertId}`, so newest first = descending. */
  alertsGsi: "ALERTS",
  alertsGsiSk: (firstSeen: string, alertId: string) => `${firstSeen}#${alertId}`,
  /** The pointer from a fingerprint digest to its latest alert (the dedupe claim). */
  alertFingerprint: (digest: string) => ({ pk: `ALERTFP#${digest}`, sk: "ALERTFP" }),
  /** A model's number of unresolved (open or acknowledged) alerts, behind the OpenAlerts metric. */
  alertCount: (model: string) => ({ pk: `ALERTCOUNT#${model}`, sk: "OPEN" }),
} as const;
