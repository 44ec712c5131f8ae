/**
 * The drift service's contract: baselines, on-demand checks (inline → synchronous, S3 → asynchronous),
 * check history, and scheduled monitoring settings. Request schemas here, response schemas in
 * schemas.ts (re-exported), and every route's definition; the handlers are bound in routes/*.ts.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { type DriftThresholdName, type DriftThresholdSpec, driftThresholdSpecs } from "../core/drift/thresholds.js";
import { defineContract } from "../shared/contract.js";
import { monitorPeriods } from "../shared/env.js";
import { errorSchema, nameSchema } from "../shared/schemas.js";
import { baselineListSchema, baselineSchema, driftCheckListSchema, driftCheckSchema } from "./schemas.js";

export * from "./schemas.js";

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

const anyObject = z.record(z.string(), z.unknown());
const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
const errors = {
  400: json(errorSchema, "invalid request"),
  404: json(errorSchema, "not found"),
  409: json(errorSchema, "conflict with the current state"),
  422: json(errorSchema, "data cannot be processed"),
};

/** The drift service's routes, by operation. */
export const driftContract = defineContract("drift", {
  // --------------------------------------------------------------------------------- baselines
  createBaseline: createRoute({
    method: "post",
    path: "/models/{model}/baselines",
    summary: "Create a baseline profile from inline records (ready at once) or S3 data (built asynchronously)",
    request: { params: modelParams, body: { required: true, content: { "application/json": { schema: baselineBody } } } },
    responses: { 201: json(baselineSchema, "baseline ready"), 202: json(baselineSchema, "baseline building"), ...errors, 413: json(errorSchema, "too large") },
  }),
  listBaselines: createRoute({
    method: "get",
    path: "/models/{model}/baselines",
    summary: "List a model's baselines, newest first, with the active one marked",
    request: { params: modelParams, query: pageQuery },
    responses: { 200: json(baselineListSchema, "the baselines"), ...errors },
  }),
  getBaseline: createRoute({
    method: "get",
    path: "/models/{model}/baselines/{baselineId}",
    summary: "One baseline: status, features, and its profile when ready",
    request: { params: baselineParams, query: z.object({ profile: z.enum(["true", "false"]).optional() }) },
    responses: { 200: json(baselineSchema, "the baseline (with `profile` when asked)"), ...errors },
  }),
  activateBaseline: createRoute({
    method: "post",
    path: "/models/{model}/baselines/{baselineId}/activate",
    summary: "Make a ready baseline the model's active one",
    request: { params: baselineParams },
    responses: {
      200: json(
        z.object({ model: z.string(), baselineId: z.string(), active: z.literal(true), previousBaselineId: z.string().nullable().describe("the baseline active before, if any") }).openapi("BaselineActivation"),
        "activated",
      ),
      ...errors,
    },
  }),
  getBaselineStatistics: createRoute({
    method: "get",
    path: "/models/{model}/baselines/{baselineId}/statistics.json",
    summary: "A ready baseline as Model Monitor's statistics.json (KLL sketch, 10 buckets, categorical counts)",
    request: { params: baselineParams },
    responses: { 200: json(anyObject, "statistics.json"), ...errors },
  }),
  getBaselineConstraints: createRoute({
    method: "get",
    path: "/models/{model}/baselines/{baselineId}/constraints.json",
    summary: "A ready baseline's constraints as Model Monitor's constraints.json: the imported ones, else suggested from the profile",
    request: { params: baselineParams },
    responses: { 200: json(anyObject, "constraints.json"), ...errors },
  }),
  // ------------------------------------------------------------------------------------ checks
  checkDrift: createRoute({
    method: "post",
    path: "/models/{model}/drift-checks",
    summary: "Check data for drift: inline records answer with the report; S3 data answers 202 and runs asynchronously",
    request: { params: modelParams, body: { required: true, content: { "application/json": { schema: checkBody } } } },
    responses: { 201: json(driftCheckSchema, "check completed (inline records), with the report"), 202: json(driftCheckSchema, "check accepted (S3 data)"), ...errors, 413: json(errorSchema, "too large") },
  }),
  listDriftChecks: createRoute({
    method: "get",
    path: "/models/{model}/drift-checks",
    summary: "A model's drift checks, newest first (summaries)",
    request: { params: modelParams, query: pageQuery },
    responses: { 200: json(driftCheckListSchema, "the checks"), ...errors },
  }),
  getDriftCheck: createRoute({
    method: "get",
    path: "/models/{model}/drift-checks/{checkId}",
    summary: "One check: its status, summary and, once completed, the full report",
    request: { params: checkParams },
    responses: { 200: json(driftCheckSchema, "the check"), ...errors },
  }),
  getDriftReportHtml: createRoute({
    method: "get",
    path: "/models/{model}/drift-checks/{checkId}/report.html",
    summary: "A completed check's report as one self-contained HTML page: summary first, then per-feature histograms",
    request: { params: checkParams },
    responses: {
      200: { description: "the page (inline CSS and SVG, no script)", content: { "text/html": { schema: z.string() } } },
      ...errors,
    },
  }),
  getConstraintViolations: createRoute({
    method: "get",
    path: "/models/{model}/drift-checks/{checkId}/constraint_violations.json",
    summary: "A completed check's Model Monitor constraint violations (constraint_violations.json)",
    request: { params: checkParams },
    responses: {
      200: json(z.object({ violations: z.array(z.object({ feature_name: z.string(), constraint_check_type: z.string(), description: z.string() })) }).openapi("ConstraintViolations"), "constraint_violations.json"),
      ...errors,
    },
  }),
  // -------------------------------------------------------------------------------- monitoring
  setMonitoring: createRoute({
    method: "put",
    path: "/models/{model}/monitoring",
    summary: "Set scheduled drift monitoring of a model's SageMaker data capture",
    request: { params: modelParams, body: { required: true, content: { "application/json": { schema: monitoringBody } } } },
    responses: { 200: json(anyObject, "the settings"), ...errors },
  }),
  getMonitoring: createRoute({
    method: "get",
    path: "/models/{model}/monitoring",
    summary: "A model's drift monitoring settings and last run",
    request: { params: modelParams },
    responses: { 200: json(anyObject, "the settings"), ...errors },
  }),
});
