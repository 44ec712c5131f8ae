/**
 * mlwatch's own EventBridge events: source, detail-types and the schema of each `detail`, in one place.
 * The publisher (events-bus.ts) validates every detail against these before sending; the JSON schemas in
 * docs/events.schema.json and docs/events.md are generated from them (`npm run events-schema`), and the
 * integration tests validate what a rule delivered against them. No SDK here: the docs script and the
 * client may import this file.
 */
import { z } from "zod";

export { eventBusName, eventSource, MlwatchEventType, RetrainingTrigger } from "./event-types.js";
import { MlwatchEventType, RetrainingTrigger } from "./event-types.js";

const name = z.string().min(1).max(128);
const text = z.string().max(1000);

/** `mlwatch Drift Detected`: a completed drift check found drift. */
export const driftDetectedDetail = z
  .object({
    model: name,
    version: name.optional().describe("the model version, when the check names one"),
    checkId: z.string().min(1),
    baselineId: z.string().min(1),
    driftShare: z.number().min(0).max(1).describe("share of features that drifted"),
    severity: z.enum(["none", "moderate", "high"]),
    driftedFeatures: z
      .array(
        z
          .object({ name: z.string(), psi: z.number().nullable(), pValue: z.number().nullable() })
          .strict(),
      )
      .max(50)
      .describe("highest PSI first; at most 50 (the report has all)"),
    driftedFeatureCount: z.number().int().min(0),
    reportUri: z.string().min(1).describe("s3:// URI of the full report JSON"),
  })
  .strict();

/** `mlwatch Performance Degraded`: a recorded batch degraded beyond the model's thresholds. */
export const performanceDegradedDetail = z
  .object({
    model: name,
    version: name,
    batchId: z.string().min(1),
    metric: z.string().min(1).describe("the metric reported: the primary metric when it degraded, else the first degraded one"),
    value: z.number(),
    baseline: z.number().nullable(),
    degradationPercent: z.number().nullable().describe("percent change oriented so that positive = worse; null without a non-zero baseline"),
    severity: z.enum(["moderate", "high"]),
  })
  .strict();

/** `mlwatch Performance Estimated Drop`: predictions without labels yet whose estimated primary metric fell beyond the threshold, interval and all. */
export const performanceEstimatedDropDetail = z
  .object({
    model: name,
    version: name,
    date: z.string().min(10).max(10).describe("UTC day of the predictions estimated, YYYY-MM-DD"),
    count: z.number().int().nonnegative().describe("unlabelled predictions of that day"),
    metric: z.string().min(1).describe("the primary metric"),
    estimate: z.number(),
    lower: z.number().describe("the interval's lower end"),
    upper: z.number().describe("the interval's upper end: below limit"),
    baseline: z.number(),
    limit: z.number().describe("baseline minus the threshold's points"),
    degradationPercent: z.number().describe("percent change oriented so that positive = worse"),
    method: z.enum(["isotonic", "platt", "mixed"]).describe("the calibration fitted on the reference (mixed: a multiclass reference whose classes or sides used both)"),
    severity: z.enum(["moderate", "high"]),
  })
  .strict();

const lifecycleFields = {
  model: name,
  version: name,
  actor: z.string().min(1),
  reason: text,
};

/** `mlwatch Model Promoted`: a version changed stage; `from` and `to` are stages. */
export const modelPromotedDetail = z
  .object({ ...lifecycleFields, from: z.string().min(1).describe("the stage before"), to: z.string().min(1).describe("the stage after") })
  .strict();

/** `mlwatch Model Rolled Back`: `version` (= `to`) is production again; `from` is the version that was. */
export const modelRolledBackDetail = z
  .object({ ...lifecycleFields, from: name.describe("the version that was production"), to: name.describe("the version now production") })
  .strict();

/** `mlwatch Retraining Requested`: by hand, on a schedule, or because a check or batch crossed the policy. */
export const retrainingRequestedDetail = z
  .object({
    model: name,
    trigger: z.enum(RetrainingTrigger),
    reason: text,
    requestedBy: z.string().min(1),
    requestId: z.string().min(1).describe("the retraining request's id (GET /models/{model}/retraining-requests)"),
    evidence: z
      .object({ checkId: z.string().min(1).optional(), batchId: z.string().min(1).optional() })
      .strict()
      .describe("the drift check (trigger drift) or batch (trigger performance) that crossed the policy; empty otherwise"),
    evidenceId: z.string().min(1).describe("checkId, batchId, or for manual and scheduled requests the requestId: one path a pipeline parameter can read"),
  })
  .strict();

/**
 * `mlwatch Retention Pending`: a registration of a model whose policy sets `retention.keepLast` asks for
 * the versions beyond the newest N to be archived after its answer. mlwatch's own rule (lambdas/shared/event-rules.ts)
 * delivers it to the registry, which archives them (lambdas/registry/retention-dispatch.ts); `table` names
 * the stack's table, so a second mlwatch stack in the account ignores it.
 */
export const retentionPendingDetail = z
  .object({
    table: z.string().min(1).describe("the mlwatch stack's table: the rule of that stack matches it"),
    model: name,
    keepLast: z.number().int().min(1).describe("the policy's keepLast when the registration answered"),
    caller: z.string().min(1).describe("who registered the version that asked (the archives' actor)"),
    requestId: z.string().min(1).describe("the registration's request id"),
  })
  .strict();

/** The detail schema of each detail-type. */
export const eventDetailSchemas = {
  [MlwatchEventType.driftDetected]: driftDetectedDetail,
  [MlwatchEventType.performanceDegraded]: performanceDegradedDetail,
  [MlwatchEventType.performanceEstimatedDrop]: performanceEstimatedDropDetail,
  [MlwatchEventType.modelPromoted]: modelPromotedDetail,
  [MlwatchEventType.modelRolledBack]: modelRolledBackDetail,
  [MlwatchEventType.retrainingRequested]: retrainingRequestedDetail,
  [MlwatchEventType.retentionPending]: retentionPendingDetail,
} as const;

/** The detail type of each detail-type. */
export type EventDetail<T extends MlwatchEventType> = z.infer<(typeof eventDetailSchemas)[T]>;

/** The JSON schema (draft 2020-12) of every detail, by detail-type: what docs/events.schema.json holds. */
export function eventJsonSchemas(): Record<MlwatchEventType, unknown> {
  const out = {} as Record<MlwatchEventType, unknown>;
  for (const [type, schema] of Object.entries(eventDetailSchemas) as Array<[MlwatchEventType, z.ZodType]>) {
    out[type] = z.toJSONSchema(schema, { target: "draft-2020-12" });
  }
  return out;
}
