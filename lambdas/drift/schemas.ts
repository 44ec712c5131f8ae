/**
 * Response schemas of the drift service (zod): they document the answers in the OpenAPI document and type
 * the client. Objects are loose (extra fields pass); the request schemas live with the routes in app.ts.
 */
import { z } from "@hono/zod-openapi";
import { eventOutcomeSchema } from "../shared/schemas.js";

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
      ks: pTest.optional(),
      psi: z.object({ value: z.number() }).optional(),
      wasserstein: z.object({ distance: z.number(), normalized: z.number().nullable() }).optional(),
      jensenShannon: z.object({ distance: z.number() }).optional(),
      chiSquare: pTest.extend({ dof: z.number() }).optional(),
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
    alert: z.looseObject({ sent: z.boolean(), messageId: z.string().optional(), suppressedUntil: z.string().optional(), error: z.string().optional() }).optional(),
    event: eventOutcomeSchema.optional().openapi({ description: "the `mlwatch Drift Detected` event of a check that found drift" }),
    retraining: z.looseObject({ requestId: z.string(), status: z.string(), suppressedUntil: z.string().optional(), error: z.string().optional() }).optional().openapi({ description: "the retraining request the check caused under the model's policy" }),
    warnings: z.array(z.string()).optional(),
    error: z.string().optional(),
    report: driftReportSchema.optional(),
  })
  .openapi("DriftCheck");

/** `GET /models/{model}/drift-checks`. */
export const driftCheckListSchema = z.object({ model: z.string(), checks: z.array(driftCheckSchema) }).openapi("DriftCheckList");

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
    error: z.string().optional(),
  })
  .openapi("Baseline");

/** `GET /models/{model}/baselines`. */
export const baselineListSchema = z
  .object({ model: z.string(), activeBaselineId: z.string().nullable(), baselines: z.array(baselineSchema) })
  .openapi("BaselineList");
