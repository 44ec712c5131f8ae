/**
 * The single-table key design: the one source of truth used by the CDK construct (lib/storage.ts)
 * and by the local bootstrap (lambdas/local/bootstrap.ts).
 *
 * Items carry `pk` / `sk` and, where an item must be found by another access pattern, `gsi1pk` / `gsi1sk`.
 * `expiresAt` (epoch seconds) is the TTL attribute (idempotency records, alert suppression state).
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
 * | drift baselines / checks              | pk `MODEL#{model}`, sk `BASELINE#{id}` / `CHECK#{time}` |
 * | performance batches                   | pk `MODEL#{model}`, sk `BATCH#{time}#{id}`              |
 * | idempotency records                   | pk `IDEMPOTENCY#{scope}#{key}`, sk `IDEMPOTENCY`        |
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
} as const;
