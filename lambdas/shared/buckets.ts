/**
 * The data bucket's layout: the one source of truth for the IAM grants and lifecycle rules in CDK
 * (lib/storage.ts, lib/<service>.ts) and for the keys the services write and read at runtime — the
 * bucket's counterpart of lambdas/shared/table.ts.
 *
 * | prefix            | holds                                                        | written by          | lifecycle                    |
 * | ----------------- | ------------------------------------------------------------ | ------------------- | ---------------------------- |
 * | `artifacts/`      | uploaded model artifacts `artifacts/{model}/{version}/{file}` | registry            | old versions expire (90 d)   |
 * | `artifact-uploads/` | where presigned upload URLs write: `artifact-uploads/{model}/{version}/{uploadId}/{file}`; verification copies the bytes to `artifacts/…` and deletes them | the uploader (presigned PUT) | expire (1 d) |
 * | `datasets/`       | datasets users put for registration, baselines and checks    | the user            | none                         |
 * | `baselines/`      | drift baseline profiles `baselines/{model}/{baselineId}.json` | drift               | old versions expire (90 d)   |
 * | `reports/`        | reports; `reports/drift/{model}/{checkId}.json` and `.html`; fan-out work files `reports/drift-shards/{model}/{checkId}/` | drift | expire (reportRetentionDays) |
 * | `batches/`        | raw performance batches `batches/{model}/{version}/{date}/{batchId}.json`, ground-truth joins `batches/{model}/ground-truth/{date}/{joinId}.json` | performance | expire (rawDataRetentionDays) |
 * | `data-capture/`   | SageMaker endpoint data capture written into mlwatch's bucket | SageMaker           | none                         |
 *
 * Model and version names are safe as key segments (architecture naming rule).
 */

/** Key prefixes of the data bucket (each ends with `/`). */
export const BucketPrefix = {
  artifacts: "artifacts/",
  /** Presigned uploads of owned artifacts before verification (a URL never names an `artifacts/` key). */
  artifactUploads: "artifact-uploads/",
  datasets: "datasets/",
  baselines: "baselines/",
  reports: "reports/",
  /** Drift reports, under the `reports/` lifecycle rule. */
  driftReports: "reports/drift/",
  /** Fan-out checks' manifests and shard summaries, under the `reports/` lifecycle rule. */
  driftShards: "reports/drift-shards/",
  batches: "batches/",
  /** Where SageMaker endpoints may write data capture inside mlwatch's bucket. */
  dataCapture: "data-capture/",
} as const;
export type BucketPrefix = (typeof BucketPrefix)[keyof typeof BucketPrefix];

/**
 * Who chooses the object keys under each prefix — the reason a grant names the prefix rather than objects
 * (the IAM5 acknowledgements in lib/service-context.ts quote it).
 */
export const prefixKeyOrigin: Readonly<Record<BucketPrefix, string>> = {
  [BucketPrefix.artifacts]: "mlwatch generates the keys per model and version (artifacts/{model}/{version}/{file}) when a caller asks for an upload URL",
  [BucketPrefix.artifactUploads]: "mlwatch generates the keys per model, version and upload (artifact-uploads/{model}/{version}/{uploadId}/{file}) when a caller asks for an upload URL",
  [BucketPrefix.datasets]: "users put their datasets there under keys they choose (datasets/…) and name them in s3:// URIs, so no key is known in advance",
  [BucketPrefix.baselines]: "mlwatch generates the keys per model and baseline (baselines/{model}/{baselineId}.json)",
  [BucketPrefix.reports]: "mlwatch generates the keys per report (reports/…/{model}/{id}.json)",
  [BucketPrefix.driftReports]: "mlwatch generates the keys per model and check (reports/drift/{model}/{checkId}.json and .html)",
  [BucketPrefix.driftShards]: "mlwatch generates the keys per model and check (reports/drift-shards/{model}/{checkId}/manifest.json and shards/{shardId}.json) and per map run",
  [BucketPrefix.batches]: "mlwatch generates the keys per model, version, day and batch (batches/{model}/{version}/{date}/{batchId}.json)",
  [BucketPrefix.dataCapture]: "SageMaker endpoints write captured data there under keys SageMaker generates ({endpoint}/{variant}/yyyy/mm/dd/hh/…)",
};

/**
 * The prefix `GET /health` lists (one key at most) to probe S3: listing is granted only under s3:prefix
 * conditions, and HeadBucket would need an unconditioned s3:ListBucket.
 */
export const healthProbePrefix = BucketPrefix.artifacts;

/** Prefix of the data bucket's server access logs in the access-log bucket. */
export const accessLogPrefix = "data-bucket/";

/** Object keys of the data bucket, by what they hold. */
export const bucketKeys = {
  /** The prefix holding a version's uploaded (owned) artifacts: `artifacts/{model}/{version}/`. */
  artifactPrefix: (model: string, version: string): string => `${BucketPrefix.artifacts}${model}/${version}/`,
  /** The prefix presigned uploads of a version's artifact write under: `artifact-uploads/{model}/{version}/`. */
  artifactUploadPrefix: (model: string, version: string): string => `${BucketPrefix.artifactUploads}${model}/${version}/`,
  /** A baseline's profile: `baselines/{model}/{baselineId}.json`. */
  baselineProfile: (model: string, baselineId: string): string => `${BucketPrefix.baselines}${model}/${baselineId}.json`,
  /** A drift check's full JSON report: `reports/drift/{model}/{checkId}.json`. */
  driftReport: (model: string, checkId: string): string => `${BucketPrefix.driftReports}${model}/${checkId}.json`,
  /** A drift check's HTML page: `reports/drift/{model}/{checkId}.html`. */
  driftReportHtml: (model: string, checkId: string): string => `${BucketPrefix.driftReports}${model}/${checkId}.html`,
  /** A drift check's Model Monitor constraint violations, next to its report: `reports/drift/{model}/{checkId}.constraint_violations.json`. */
  driftViolations: (model: string, checkId: string): string => `${BucketPrefix.driftReports}${model}/${checkId}.constraint_violations.json`,
  /** A fan-out check's working prefix: `reports/drift-shards/{model}/{checkId}/`. */
  driftShardPrefix: (model: string, checkId: string): string => `${BucketPrefix.driftShards}${model}/${checkId}/`,
  /** A fan-out check's object manifest (the Distributed Map's item source). */
  driftShardManifest: (model: string, checkId: string): string => `${BucketPrefix.driftShards}${model}/${checkId}/manifest.json`,
  /** One shard's summary: `reports/drift-shards/{model}/{checkId}/shards/{shardId}.json`. */
  driftShardSummary: (model: string, checkId: string, shardId: string): string => `${BucketPrefix.driftShards}${model}/${checkId}/shards/${shardId}.json`,
  /** A raw batch: `batches/{model}/{version}/{date}/{batchId}.json`. */
  rawBatch: (model: string, version: string, date: string, batchId: string): string => `${BucketPrefix.batches}${model}/${version}/${date}/${batchId}.json`,
  /** The raw records of one ground-truth join: `batches/{model}/ground-truth/{date}/{joinId}.json`. */
  groundTruthJoin: (model: string, date: string, joinId: string): string => `${BucketPrefix.batches}${model}/ground-truth/${date}/${joinId}.json`,
} as const;
