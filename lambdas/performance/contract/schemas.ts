/**
 * Request schemas of the performance service (zod): they validate input, name the field in every 400 and
 * feed the OpenAPI document. Bodies are strict (an unknown field is refused). Row values are checked by
 * `checkBatchColumns` (lambdas/core/performance), which names the row and the problem.
 */
import { z } from "@hono/zod-openapi";
import { semverPattern } from "../../core/lifecycle/semver.js";
import { metricRangeProblem } from "../../core/performance/metric-ranges.js";
import { estimatedSchema } from "./estimation.js";
import { timestampSchema } from "./timestamp.js";
import { type PerformanceThresholdName, type PerformanceThresholdSpec, performanceThresholdSpecs, primaryMetricChoices, thresholdDefaultText } from "../../core/performance/thresholds.js";
import { incompleteStepsSchema } from "../../shared/schemas.js";

/** Model names (architecture naming rule). */
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const nameRule = "must be 1-128 characters of letters, digits, '.', '_' or '-', starting with a letter or digit";
const semverRule = "must be a semantic version major.minor.patch (digits only, no leading zeros)";

/** Most rows of an inline batch, and most records of a predictions or ground-truth post. */
export const maxInlineRows = 10_000;
const rowsRule = `at most ${maxInlineRows.toLocaleString("en-US")} rows inline; send larger batches by dataUri`;

/** Prediction ids: 1-256 characters of letters, digits and . _ : / @ - */
export const predictionIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,255}$/;

/** An `s3://bucket/key` URI. */
export const s3UriPattern = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.{1,1024})$/;

export const nameSchema = z.string().regex(namePattern, nameRule);
export const semverSchema = z.string().regex(semverPattern, semverRule);
const finite = z.number({ error: "must be a finite number" }).refine(Number.isFinite, "must be a finite number");
export { earliestTimestamp } from "./timestamp.js";
const metricNamePattern = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

/** Path `{model}`. */
export const modelParams = z.object({ model: nameSchema.openapi({ param: { name: "model", in: "path" }, example: "churn" }) });

/** Path `{model}/{version}`. */
export const versionParams = modelParams.extend({
  version: semverSchema.openapi({ param: { name: "version", in: "path" }, example: "1.2.0" }),
});

/** A batch id as recorded: `yyyymmddhhmmss-` and 12 hex digits. */
export const batchIdPattern = /^\d{14}-[0-9a-f]{12}$/;

/** Path `{model}/{version}/{batchId}`. */
export const batchParams = versionParams.extend({
  batchId: z
    .string()
    .regex(batchIdPattern, "must be a batch id as returned when the batch was recorded (14 digits, '-', 12 hex digits)")
    .openapi({ param: { name: "batchId", in: "path" }, example: "20260131120000-0123456789ab" }),
});

/** The zod field of one threshold, from its spec: range, integer, null (rule off), description and default. */
function thresholdField(spec: PerformanceThresholdSpec): z.ZodType {
  const description = `${spec.description} Default ${thresholdDefaultText(spec)}.`;
  if (spec.kind === "metric") return z.enum(primaryMetricChoices).nullable().optional().openapi({ description });
  let field = spec.integer ? z.number().int() : z.number();
  if (spec.min !== undefined) field = field.min(spec.min, spec.min === 0 ? "must be 0 or more" : `must be at least ${spec.min}`);
  if (spec.max !== undefined) field = field.max(spec.max, `must be at most ${spec.max}`);
  return (spec.nullable ? field.nullable() : field).optional().openapi({ description });
}

/** Degradation thresholds (every field optional; null turns a rule off): one field per entry of `performanceThresholdSpecs`. */
export const thresholdsSchema = z
  .strictObject(
    Object.fromEntries(Object.entries(performanceThresholdSpecs).map(([name, spec]: [string, PerformanceThresholdSpec]) => [name, thresholdField(spec)])) as Record<
      PerformanceThresholdName,
      z.ZodType
    >,
  )
  .openapi("PerformanceThresholds");

/** A baseline given in a request: metric name → value (registered-style names are mapped, e.g. validation:rmse). */
const baselineSchema = z
  .record(z.string().regex(metricNamePattern, "metric names must be 1-128 characters of letters, digits, '.', '_', ':', '/' or '-'"), finite)
  .refine((m) => Object.keys(m).length <= 100, "at most 100 metrics")
  .superRefine((m, ctx) => {
    for (const [name, value] of Object.entries(m)) {
      const problem = metricRangeProblem(name, value);
      if (problem) ctx.addIssue({ code: "custom", path: [name], message: `${value} is impossible: ${name} ${problem}` });
    }
  });

const column = z.array(z.unknown()).max(maxInlineRows, rowsRule);

/** Body of `POST /models/{model}/versions/{version}/batches`. */
export const batchBody = z
  .strictObject({
    task: z.enum(["regression", "classification"], { error: 'must be "regression" or "classification"' }),
    predictions: column.optional().openapi({ description: "predicted values (regression) or labels (classification)" }),
    actuals: column.optional().openapi({ description: "the true values or labels, same length; may be left out of a binary classification batch with scores (labels not known yet): the batch is then estimated, not measured" }),
    scores: column.optional().openapi({ description: "classification, same length: binary (0/1 labels): the probability of class 1 per row; multiclass (with classes): an array per row of one probability per class, in the order of classes, summing to 1 (±0.01)" }),
    classes: z
      .array(z.string().min(1).max(256))
      .min(2, "must list at least 2 classes")
      .max(10, "at most 10 classes")
      .optional()
      .openapi({ description: "multiclass scores: the class of each position in a row's scores (2 to 10 classes); predictions and actuals must be among them" }),
    features: z
      .union([z.record(z.string().min(1).max(256), column), z.array(z.record(z.string(), z.unknown())).max(maxInlineRows, rowsRule)])
      .optional()
      .openapi({ description: "feature values kept with the raw batch: columns { name: [...] } or rows [{...}]" }),
    groups: column.optional().openapi({ description: "classification with 0/1 labels: one protected-attribute value per row (string, integer or boolean); gives fairness" }),
    latenciesMs: column.optional().openapi({ description: "one prediction latency in milliseconds per row (0 to 3,600,000); gives latency p50/p95" }),
    timestamp: timestampSchema.optional().openapi({ description: "when the predictions were made (default: now)" }),
    dataUri: z.string().regex(s3UriPattern, "must be an s3://bucket/key URI").optional().openapi({ description: "a CSV, JSON Lines or Parquet object instead of inline arrays; a classification object with a score column and no actual column is an unlabelled batch (estimated)" }),
    format: z.enum(["csv", "jsonl", "parquet"]).optional().openapi({ description: "format of dataUri (default: from its extension)" }),
    columns: z
      .strictObject({
        prediction: z.string().min(1).max(256).optional(),
        actual: z.string().min(1).max(256).optional(),
        score: z.string().min(1).max(256).optional(),
      })
      .optional()
      .openapi({ description: "column names in dataUri (default prediction, actual, score)" }),
    baseline: baselineSchema.optional().openapi({ description: "baseline metrics (default: the version's registered metrics)" }),
    thresholds: thresholdsSchema.optional(),
  })
  .superRefine((b, ctx) => {
    const inline = b.predictions !== undefined || b.actuals !== undefined;
    if (b.dataUri === undefined) {
      if (b.predictions === undefined) ctx.addIssue({ code: "custom", path: ["predictions"], message: "required (or give dataUri)" });
      if (b.actuals === undefined && (b.scores === undefined || b.task !== "classification")) {
        ctx.addIssue({ code: "custom", path: ["actuals"], message: "required (or give dataUri); a classification batch with scores may leave them out to be estimated" });
      }
      if (b.actuals === undefined && b.scores !== undefined) {
        for (const field of ["groups", "latenciesMs", "baseline", "thresholds"] as const) {
          if (b[field] !== undefined) ctx.addIssue({ code: "custom", path: [field], message: "only for a batch with actuals (a batch without them is estimated, not judged)" });
        }
      }
    } else if (inline || b.scores !== undefined || b.classes !== undefined || b.features !== undefined || b.groups !== undefined || b.latenciesMs !== undefined) {
      ctx.addIssue({ code: "custom", path: ["dataUri"], message: "give inline predictions/actuals or dataUri, not both" });
    }
    if (b.classes !== undefined && b.scores === undefined) ctx.addIssue({ code: "custom", path: ["classes"], message: "only with scores (one per class per row)" });
    if (b.dataUri === undefined && (b.format !== undefined || b.columns !== undefined)) {
      ctx.addIssue({ code: "custom", path: [b.format !== undefined ? "format" : "columns"], message: "only used with dataUri" });
    }
  })
  .openapi("PerformanceBatch");
export type BatchBody = z.infer<typeof batchBody>;

const labelOrValue = z.union([finite, z.string().min(1).max(256), z.boolean()], { error: "must be a number, a string (1-256 characters) or a boolean" });
const predictionId = z.string().regex(predictionIdPattern, "must be 1-256 characters of letters, digits, '.', '_', ':', '/', '@' or '-', starting with a letter or digit");

/** Body of `POST /models/{model}/versions/{version}/predictions`. */
export const predictionsBody = z
  .strictObject({
    task: z.enum(["regression", "classification"]).optional().openapi({ description: "default: inferred (labels or scores → classification, fractional numbers → regression)" }),
    records: z
      .array(
        z.strictObject({
          id: predictionId,
          prediction: labelOrValue,
          score: z.number().min(0, "must be a probability in [0, 1]").max(1, "must be a probability in [0, 1]").optional(),
          features: z.record(z.string().min(1).max(256), z.unknown()).optional(),
          timestamp: timestampSchema.optional(),
        }),
      )
      .min(1, "must hold at least one record")
      .max(maxInlineRows, `at most ${maxInlineRows.toLocaleString("en-US")} records per request`),
  })
  .openapi("PredictionLog");
export type PredictionsBody = z.infer<typeof predictionsBody>;

/** Body of `POST /models/{model}/ground-truth`: inline actuals for logged predictions, or Model Monitor's files. */
export const groundTruthBody = z
  .strictObject({
    records: z
      .array(z.strictObject({ id: predictionId, actual: labelOrValue }))
      .min(1, "must hold at least one record")
      .max(maxInlineRows, `at most ${maxInlineRows.toLocaleString("en-US")} records per request`)
      .optional(),
    format: z.literal("model_monitor").optional().openapi({ description: "ground truth in SageMaker Model Monitor's format at dataUri, joined to the data capture at captureUri (docs/model-monitor.md)" }),
    dataUri: z.string().regex(s3UriPattern, "must be an s3://bucket/key URI").optional().openapi({ description: "with format model-monitor: the ground-truth JSON Lines (an object or a prefix)" }),
    captureUri: z.string().regex(s3UriPattern, "must be an s3://bucket/key URI").optional().openapi({ description: "with format model-monitor: the endpoint's data capture (an object or a prefix)" }),
    version: semverSchema.optional().openapi({ description: "with format model-monitor: the model version the captured predictions came from" }),
    task: z.enum(["regression", "classification"]).optional().openapi({ description: "with format model-monitor: the task (classification when probabilityThreshold is given)" }),
    probabilityThreshold: z.number().min(0).max(1).optional().openapi({ description: "with format model-monitor: predictions are probabilities of class 1; label 1 when ≥ this" }),
    thresholds: thresholdsSchema.optional(),
  })
  .superRefine((b, ctx) => {
    const files = ["format", "dataUri", "captureUri", "version", "task", "probabilityThreshold"] as const;
    if (b.format === undefined) {
      if (b.records === undefined) ctx.addIssue({ code: "custom", path: ["records"], message: 'required (or give format "model_monitor" with dataUri, captureUri and version)' });
      for (const f of files) if (b[f] !== undefined) ctx.addIssue({ code: "custom", path: [f], message: 'only used with format "model_monitor"' });
      return;
    }
    if (b.records !== undefined) ctx.addIssue({ code: "custom", path: ["records"], message: 'give records or format "model_monitor", not both' });
    for (const f of ["dataUri", "captureUri", "version"] as const) if (b[f] === undefined) ctx.addIssue({ code: "custom", path: [f], message: 'required with format "model_monitor"' });
    if (b.task === undefined && b.probabilityThreshold === undefined) ctx.addIssue({ code: "custom", path: ["task"], message: "required unless probabilityThreshold is given" });
    if (b.task === "regression" && b.probabilityThreshold !== undefined) ctx.addIssue({ code: "custom", path: ["probabilityThreshold"], message: "only for task classification" });
  })
  .openapi("GroundTruth");
export type GroundTruthBody = z.infer<typeof groundTruthBody>;

/** Query of `GET /models/{model}/performance`. */
export const reportQuery = z.object({
  version: semverSchema.optional(),
  days: z.string().optional().openapi({ description: "window in days, 1-365, default 30" }),
});


/** Query of `GET /models/{model}/performance/compare`. */
export const compareQuery = z.object({
  versions: z.string().min(1).openapi({ description: "two to ten versions, comma-separated", example: "1.0.0,1.1.0" }),
  days: z.string().optional().openapi({ description: "window in days, 1-365, default 30" }),
});

export { errorAnswer, jsonAnswer } from "../../shared/schemas.js";
export * from "./estimation.js";

// ------------------------------------------------------------------------------------------- answers

const metricValues = z.record(z.string(), z.unknown()).openapi({ description: "metric name → value (null when undefined for the window)" });

/** Fairness of a batch or a window (lambdas/core/performance/fairness.ts). */
export const fairnessSchema = z
  .looseObject({
    selectionRates: z.record(z.string(), z.number()).openapi({ description: "group → share of rows predicted 1" }),
    disparateImpact: z.number().nullable().openapi({ description: "lowest selection rate / highest; null with fewer than two groups or no positive prediction" }),
    truePositiveRates: z.record(z.string(), z.number().nullable()),
    tprGap: z.number().nullable().openapi({ description: "highest true-positive rate − lowest, over groups with actual positives" }),
    counts: z.record(z.string(), z.number()),
  })
  .openapi("Fairness");

/** Prediction latency of a batch (exact) or a window (from merged sketches, within 1%). */
export const latencySchema = z
  .looseObject({ count: z.number(), p50: z.number(), p95: z.number(), meanMs: z.number(), maxMs: z.number() })
  .openapi("Latency");


/** `GET /models/{model}/performance`: window metrics, per-day aggregates, trend and worst batches. */
export const performanceReportSchema = z
  .looseObject({
    model: z.string(),
    version: z.string().nullable(),
    days: z.number(),
    from: z.string(),
    to: z.string(),
    task: z.enum(["regression", "classification"]).nullable(),
    primaryMetric: z.string(),
    batchCount: z.number(),
    count: z.number(),
    overall: metricValues.nullable(),
    daily: z.array(z.looseObject({ date: z.string(), batchCount: z.number(), count: z.number(), metrics: metricValues })),
    trend: z
      .looseObject({ metric: z.string(), better: z.string(), slopePerDay: z.number(), intercept: z.number(), pValue: z.number(), direction: z.enum(["improving", "degrading", "flat"]), n: z.number() })
      .nullable(),
    trendReason: z.string().optional(),
    worstBatches: z.array(
      z.looseObject({ batchId: z.string(), version: z.string(), source: z.string(), timestamp: z.string(), count: z.number(), value: z.number(), metrics: metricValues }),
    ),
    baseline: z.looseObject({ source: z.string(), metrics: z.record(z.string(), z.unknown()) }).nullable(),
    fairness: fairnessSchema.nullable(),
    latency: latencySchema.nullable(),
    estimated: estimatedSchema.nullable().optional(),
    truncated: z.boolean(),
  })
  .openapi("PerformanceReport");

const taskSchema = z.enum(["regression", "classification"]);
const eventOutcome = z.looseObject({ type: z.string(), sent: z.boolean(), eventId: z.string().optional(), error: z.string().optional(), at: z.string() }).nullable();
const warnings = z.array(z.string());

/** The fields every recorded batch answers with. */
const batchFields = {
  batchId: z.string(),
  model: z.string(),
  version: z.string(),
  task: taskSchema,
  source: z.enum(["batch", "ground_truth"]),
  timestamp: z.string(),
  receivedAt: z.string(),
  count: z.number(),
  rawUri: z.string(),
};

/** A batch recorded with its actuals: metrics, the comparison with the baseline, and what it triggered. */
export const recordedBatchSchema = z
  .looseObject({
    ...batchFields,
    metrics: metricValues,
    baseline: z.looseObject({ source: z.string(), metrics: z.record(z.string(), z.number()) }).nullable(),
    primaryMetric: z.string(),
    performanceDrift: z.record(z.string(), z.unknown()).nullable().openapi({ description: "the primary metric against the baseline (null without one)" }),
    degradation: z.record(z.string(), z.unknown()).openapi({ description: "the degradation rules' verdict" }),
    thresholds: z.record(z.string(), z.unknown()),
    alert: z.looseObject({ sent: z.boolean(), error: z.string().optional() }).nullable(),
    event: eventOutcome,
    retraining: z.record(z.string(), z.unknown()).nullable(),
    metricsPublished: z.number(),
    warnings,
    incomplete: incompleteStepsSchema,
    fairness: fairnessSchema.nullable(),
    latency: latencySchema.nullable(),
    trackRecord: z
      .looseObject({ recorded: z.boolean(), windows: z.number() })
      .optional()
      .openapi({ description: "a labelled scored batch outside a stored estimation reference: checked the estimates, in the track record" }),
  })
  .openapi("RecordedBatch");

/** A classification batch without actuals, kept to estimate performance from its scores. */
export const unlabelledBatchSchema = z
  .looseObject({ ...batchFields, task: z.literal("classification"), source: z.literal("batch"), labelled: z.literal(false), estimation: z.record(z.string(), z.unknown()), warnings })
  .openapi("UnlabelledBatch");

/** `DELETE …/batches/{batchId}`: what was deleted. */
export const deletedBatchSchema = z
  .object({
    model: z.string(),
    version: z.string(),
    batchId: z.string(),
    task: z.string(),
    source: z.string(),
    count: z.number(),
    deleted: z.literal(true),
    rawDeleted: z.boolean(),
    joinsUndone: z.number().openapi({ description: "ground-truth batches: the records whose join was undone (their actuals may be posted again)" }),
    taskReleased: z.boolean().openapi({ description: "this was the version's last batch and its task was released" }),
    warnings,
  })
  .openapi("DeletedBatch");

/** `POST …/predictions`: what was logged. */
export const loggedPredictionsSchema = z
  .looseObject({
    model: z.string(),
    version: z.string(),
    task: taskSchema,
    taskInferred: z.boolean(),
    received: z.number(),
    logged: z.number(),
    duplicateIds: z.array(z.string()).openapi({ description: "ids that were already logged (not logged again)" }),
    rawUri: z.string(),
    estimation: z.record(z.string(), z.unknown()).nullable().optional(),
    warnings,
    awaitingGroundTruthUntil: z.string(),
  })
  .openapi("LoggedPredictions");

/** `POST /models/{model}/ground-truth`: the join, and the batches it recorded. */
export const groundTruthJoinSchema = z
  .looseObject({
    model: z.string(),
    joinId: z.string().optional(),
    received: z.number().optional(),
    joined: z.number().optional(),
    unknownIds: z.array(z.string()).optional(),
    alreadyJoinedIds: z.array(z.string()).optional(),
    rejected: z.array(z.unknown()).optional(),
    rawUri: z.string().optional(),
    batches: z.array(recordedBatchSchema).optional().openapi({ description: "one batch per version the joined records belong to" }),
    trackRecord: z
      .array(z.looseObject({ batchId: z.string(), recorded: z.boolean(), windows: z.number(), reason: z.string().optional() }))
      .optional()
      .openapi({ description: "joined batches with scored 0/1 rows: whether they went into the version's estimation track record" }),
    version: z.string().optional(),
    format: z.literal("model_monitor").optional(),
    join: z.record(z.string(), z.unknown()).optional().openapi({ description: 'format "model_monitor": matched, unmatched ground truth and captures, duplicate ids' }),
    batch: recordedBatchSchema.optional().openapi({ description: 'format "model_monitor": the one batch recorded' }),
  })
  .openapi("GroundTruthJoin");

/** `GET`/`PUT /models/{model}/performance/thresholds`. */
export const thresholdsAnswerSchema = z
  .looseObject({
    model: z.string(),
    thresholds: z.record(z.string(), z.unknown()).openapi({ description: "the effective thresholds (stored over defaults)" }),
    stored: z.record(z.string(), z.unknown()).nullable(),
    defaults: z.record(z.string(), z.unknown()).optional(),
    updatedAt: z.string().nullable().optional(),
    updatedBy: z.string().nullable().optional(),
  })
  .openapi("PerformanceThresholdsAnswer");

/** `GET /models/{model}/performance/compare`. */
export const performanceComparisonSchema = z
  .looseObject({
    model: z.string(),
    days: z.number(),
    from: z.string(),
    to: z.string(),
    task: taskSchema.nullable(),
    primaryMetric: z.string(),
    better: z.enum(["lower", "higher"]),
    versions: z.array(z.looseObject({ version: z.string(), batchCount: z.number(), count: z.number(), metrics: metricValues.nullable(), primaryValue: z.number().nullable() })),
    best: z.string().nullable(),
    truncated: z.boolean(),
  })
  .openapi("PerformanceComparison");


/** A JSON answer described by a schema. */
export const answer = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
