/**
 * Request and response schemas of the drift service (zod). Requests are strict (an unknown field is refused)
 * and validate input, naming the field in every 400; responses are loose (extra fields pass) and document the
 * answers in the OpenAPI document and type the client. Both feed the OpenAPI document through contract.ts.
 */
import { z } from "@hono/zod-openapi";
import { type DriftThresholdName, type DriftThresholdSpec, driftThresholdSpecs } from "../../core/drift/thresholds.js";
import { monitorPeriods } from "../../shared/env.js";
import { eventOutcomeSchema, incompleteStepsSchema, nameSchema } from "../../shared/schemas.js";

/** Largest inline `records` payload (serialized JSON). */
export const maxInlineBytes = 5 * 1024 * 1024;

const s3UriSchema = z.string().max(1024).regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, "must be an s3://bucket/key URI");
const recordsSchema = z
  .array(z.record(z.string(), z.unknown()))
  .min(1)
  .max(500_000)
  .describe("inline rows: objects of feature → value (≤ 5 MB of JSON)");
const featureList = z.array(nameSchema).max(1000);

/** The drift thresholds a request may set: one optional field per entry of `driftThresholdSpecs`. */
export const thresholdsSchema = z
  .object(
    Object.fromEntries(
      Object.entries(driftThresholdSpecs).map(([name, spec]: [string, DriftThresholdSpec]) => {
        let field = (spec.integer ? z.number().int() : z.number()).min(spec.min);
        if (spec.max !== undefined) field = field.max(spec.max);
        return [name, field.optional().describe(`${spec.description} Default ${spec.default}.`)];
      }),
    ) as Record<DriftThresholdName, z.ZodOptional<z.ZodNumber>>,
  )
  .strict()
  .openapi("DriftThresholds");

/** Query of the listings: `limit` (1-100) and the `nextToken` of the previous page. */
export const pageQuery = z.object({
  limit: z.string().optional().describe("items per page, 1-100 (default 20)"),
  nextToken: z.string().max(4096).optional().describe("the previous page's nextToken"),
});

/** Path `{model}`. */
export const modelParams = z.object({ model: nameSchema });
/** Path `{model}/{baselineId}`. */
export const baselineParams = z.object({ model: nameSchema, baselineId: z.string().regex(/^[0-9TZ]+-[0-9a-f]{6}$/, "must be a baseline id") });
/** Path `{model}/{checkId}`. */
export const checkParams = z.object({ model: nameSchema, checkId: z.string().regex(/^[0-9TZ]+-[0-9a-f]{6}$/, "must be a check id") });

/** `modelMonitor` of `POST /models/{model}/baselines`: Model Monitor's two baseline documents, inline or in S3. */
export const modelMonitorBaselineSchema = z
  .object({
    statistics: z.record(z.string(), z.unknown()).optional().describe("a statistics.json document (Model Monitor's schema)"),
    constraints: z.record(z.string(), z.unknown()).optional().describe("a constraints.json document (Model Monitor's schema)"),
    statisticsUri: s3UriSchema.optional().describe("s3:// URI of a statistics.json"),
    constraintsUri: s3UriSchema.optional().describe("s3:// URI of a constraints.json"),
  })
  .strict()
  .refine((m) => (m.statistics === undefined) !== (m.statisticsUri === undefined), { message: "give exactly one of statistics or statisticsUri", path: ["statistics"] })
  .refine((m) => (m.constraints === undefined) !== (m.constraintsUri === undefined), { message: "give exactly one of constraints or constraintsUri", path: ["constraints"] })
  .refine((m) => (m.statistics === undefined) === (m.constraints === undefined), { message: "give both documents inline (statistics, constraints) or both in S3 (statisticsUri, constraintsUri)" })
  .openapi("ModelMonitorBaseline");

/** Body of `POST /models/{model}/baselines`. */
export const baselineBody = z
  .object({
    dataUri: s3UriSchema.optional(),
    records: recordsSchema.optional(),
    modelMonitor: modelMonitorBaselineSchema.optional().describe("import a SageMaker Model Monitor baseline (docs/model-monitor.md)"),
    categorical: featureList.optional().describe("features to treat as categorical (others are inferred)"),
    features: featureList.optional().describe("only these features; for header-less data capture, the column names in order"),
    exclude: featureList.optional().describe("never these features (ids, labels, timestamps)"),
  })
  .strict()
  .refine((b) => [b.dataUri, b.records, b.modelMonitor].filter((x) => x !== undefined).length === 1, { message: "give exactly one of dataUri, records or modelMonitor" })
  .refine((b) => b.modelMonitor === undefined || (b.categorical ?? b.features ?? b.exclude) === undefined, { message: "categorical, features and exclude do not apply to an imported Model Monitor baseline" });

/** Body of `POST /models/{model}/drift-checks`. */
export const checkBody = z
  .object({
    records: recordsSchema.optional(),
    dataUri: s3UriSchema.optional(),
    baselineId: z.string().regex(/^[0-9TZ]+-[0-9a-f]{6}$/, "must be a baseline id").optional(),
    thresholds: thresholdsSchema.optional(),
  })
  .strict()
  .refine((b) => (b.dataUri === undefined) !== (b.records === undefined), { message: "give exactly one of dataUri or records" });

/** Body of `PUT /models/{model}/monitoring`. */
export const monitoringBody = z
  .object({
    dataCapturePrefix: s3UriSchema,
    schedule: z.enum(["hourly", "daily"]),
    everyMinutes: z
      .union(monitorPeriods.map((m) => z.literal(m)) as unknown as [z.ZodLiteral<5>, z.ZodLiteral<10>, z.ZodLiteral<15>, z.ZodLiteral<30>, z.ZodLiteral<60>])
      .optional()
      .describe("check every 5, 10, 15, 30 or 60 minutes instead of the schedule's period; not shorter than the stack's monitorEveryMinutes"),
    thresholds: thresholdsSchema.optional(),
    enabled: z.boolean(),
  })
  .strict();

// ------------------------------------------------------------------------------------------------ answers

const severitySchema = z.enum(["none", "moderate", "high"]);
const summarySchema = z.object({ count: z.number(), missingShare: z.number() });
const pTest = z.object({ statistic: z.number(), pValue: z.number(), adjustedPValue: z.number().optional() });

/** One feature's comparison in a drift report. */
export const featureDriftSchema = z
  .looseObject({
    type: z.enum(["numerical", "categorical"]),
    driftDetected: z.boolean(),
    severity: severitySchema,
    reason: z.string(),
    rulesFired: z.array(z.string()),
    comparable: z.boolean(),
    baseline: summarySchema,
    current: summarySchema,
    tests: z.looseObject({
      ks: pTest
        .extend({
          baselineSize: z.number().optional(),
          sketch: z
            .object({ rankError: z.number(), statisticLowerBound: z.number(), statisticUpperBound: z.number() })
            .optional()
            .openapi({ description: "sketched baseline: rank error ε and the bounds of the full-data KS statistic; the p-value uses the lower bound and the full baseline size" }),
        })
        .optional(),
      psi: z
        .object({
          value: z.number(),
          pooledValue: z.number().optional(),
          cells: z.number().optional(),
          expectedNoise: z.number().optional(),
          corrected: z.number().optional().openapi({ description: "pooled PSI minus its expected null value (cells − 1)(1/n₁ + 1/n₂), ≥ 0: the effect size the decision reads" }),
        })
        .optional(),
      wasserstein: z.object({ distance: z.number(), normalized: z.number().nullable(), scale: z.number().nullable().optional(), scaleMethod: z.enum(["std", "iqr"]).optional() }).optional(),
      jensenShannon: z.object({ distance: z.number() }).optional(),
      chiSquare: pTest.extend({ dof: z.number(), pooledCategories: z.number().optional() }).optional(),
      missingShare: z
        .object({ baseline: z.number(), current: z.number(), change: z.number(), pValue: z.number(), method: z.enum(["fisher", "chi_square"]), adjustedPValue: z.number().optional() })
        .optional(),
      outOfRange: z
        .object({
          below: z.number(),
          above: z.number(),
          share: z.number(),
          baselineMin: z.number(),
          baselineMax: z.number(),
          expected: z.number().optional().openapi({ description: "current values expected outside the baseline's range by chance, 2n₂/(n₁ + 1)" }),
          pValue: z.number().optional().openapi({ description: "exact probability of at least this many outside under no change" }),
          adjustedPValue: z.number().optional(),
        })
        .optional(),
      categoryChange: z.object({ pValue: z.number(), adjustedPValue: z.number().optional(), categories: z.array(z.string()) }).optional(),
      shareShift: z
        .object({
          category: z.string(),
          baseline: z.number(),
          current: z.number(),
          change: z.number(),
          pValue: z.number(),
          adjustedPValue: z.number().optional(),
          candidates: z.number(),
          cells: z.number(),
        })
        .optional()
        .openapi({ description: "the cell (category or discrete value) whose share moved by at least shareShift with the smallest p-value (two-proportion test × cells)" }),
      discrete: z
        .object({ values: z.number(), newValues: z.number(), vanishedValues: z.array(z.string()) })
        .optional()
        .openapi({ description: "a numerical feature compared on its value counts: its distinct baseline values, current values that are none of them, baseline values absent now" }),
    }),
    newCategories: z.array(z.string()).optional(),
    missingCategories: z.array(z.string()).optional(),
  })
  .openapi("FeatureDrift");

/** The drift report of one check. */
export const driftReportSchema = z
  .looseObject({
    driftDetected: z.boolean(),
    driftShare: z.number(),
    features: z.record(z.string(), featureDriftSchema),
    unexpectedFeatures: z.array(z.string()).optional().openapi({ description: "current columns the baseline does not have" }),
    thresholds: z.record(z.string(), z.number()),
  })
  .openapi("DriftReport");

/** A drift check's summary (the report only once completed, on the single-check routes). */
export const driftCheckSchema = z
  .looseObject({
    model: z.string(),
    checkId: z.string(),
    status: z.enum(["pending", "running", "completed", "failed"]),
    source: z.enum(["inline", "s3", "monitor"]).optional(),
    baselineId: z.string(),
    createdAt: z.string(),
    createdBy: z.string().optional(),
    dataUri: z.string().optional(),
    completedAt: z.string().optional(),
    rows: z.number().optional(),
    driftDetected: z.boolean().optional(),
    driftShare: z.number().optional(),
    severity: z.string().optional(),
    featureCount: z.number().optional(),
    driftedFeatures: z.array(z.looseObject({ name: z.string(), severity: z.string(), psi: z.number().optional(), pValue: z.number().optional() })).optional(),
    reportUri: z.string().optional().openapi({ description: "s3:// URI of the full JSON report" }),
    reportHtmlUri: z.string().optional().openapi({ description: "s3:// URI of the HTML report (also served at …/report.html)" }),
    alert: z.looseObject({ sent: z.boolean(), alertId: z.string().optional(), occurrences: z.number().optional(), messageId: z.string().optional(), suppressedUntil: z.string().optional(), error: z.string().optional() }).optional(),
    event: eventOutcomeSchema.optional().openapi({ description: "the `mlwatch Drift Detected` event of a check that found drift" }),
    retraining: z.looseObject({ requestId: z.string(), status: z.string(), suppressedUntil: z.string().optional(), error: z.string().optional() }).optional().openapi({ description: "the retraining request the check caused under the model's policy" }),
    warnings: z.array(z.string()).optional(),
    incomplete: incompleteStepsSchema.optional(),
    error: z.string().optional(),
    violationCounts: z
      .record(z.string(), z.number())
      .optional()
      .openapi({ description: "Model Monitor constraint violations of a completed check, per constraint_check_type (the list is at …/constraint_violations.json)" }),
    cost: z
      .looseObject({
        lambdaGbSeconds: z.number(),
        stepFunctionsTransitions: z.number(),
        s3Requests: z.number(),
        s3RequestsByTier: z.looseObject({ write: z.number(), read: z.number() }),
        estimatedUsd: z.number(),
        prices: z.looseObject({ lambdaGbSecondUsd: z.number(), stepFunctionsTransitionUsd: z.number(), s3WriteRequestUsd: z.number(), s3ReadRequestUsd: z.number() }),
      })
      .optional()
      .openapi({ description: "what the check cost, measured from its own run: Lambda GB-seconds, Step Functions transitions, S3 requests, and their estimated price in US dollars (docs/model-monitor.md#what-a-check-costs)" }),
    report: driftReportSchema.optional(),
  })
  .openapi("DriftCheck");

/** `GET /models/{model}/drift-checks`. */
export const driftCheckListSchema = z
  .object({ items: z.array(driftCheckSchema), nextToken: z.string().nullable().openapi({ description: "pass as `nextToken` for the next page; null on the last page" }), model: z.string() })
  .openapi("DriftCheckList");

/** A baseline's record. */
export const baselineSchema = z
  .looseObject({
    model: z.string(),
    baselineId: z.string(),
    status: z.enum(["building", "ready", "failed"]),
    active: z.boolean().optional(),
    createdAt: z.string(),
    readyAt: z.string().optional(),
    rows: z.number().optional(),
    features: z.record(z.string(), z.enum(["numerical", "categorical"])).optional(),
    profileUri: z.string().optional(),
    source: z
      .looseObject({ kind: z.enum(["inline", "s3", "model_monitor"]), dataUri: z.string().optional(), statisticsUri: z.string().optional(), constraintsUri: z.string().optional() })
      .optional()
      .openapi({ description: "where the baseline came from: inline records, S3 data, or an imported Model Monitor baseline (`model_monitor`)" }),
    error: z.string().optional(),
  })
  .openapi("Baseline");

/** `GET /models/{model}/baselines`. */
export const baselineListSchema = z
  .object({
    items: z.array(baselineSchema),
    nextToken: z.string().nullable().openapi({ description: "pass as `nextToken` for the next page; null on the last page" }),
    model: z.string(),
    activeBaselineId: z.string().nullable(),
  })
  .openapi("BaselineList");
