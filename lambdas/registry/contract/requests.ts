/**
 * Request schemas of the registry (zod): they validate input, name the field in every 400, and feed the
 * OpenAPI document. Bodies are strict: an unknown field (a typo such as `artifactURI`) is refused.
 * Re-exported by contract.ts; the answers are in responses.ts.
 */
import { z } from "@hono/zod-openapi";
import { semverPattern } from "../../core/lifecycle/semver.js";
import { metricRangeProblem } from "../../core/performance/metric-ranges.js";
import { stages } from "../../core/lifecycle/stages.js";

/** Model, dataset and feature names (architecture naming rule). */
export const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const nameRule = "must be 1-128 characters of letters, digits, '.', '_' or '-', starting with a letter or digit";

/** Metric names also allow ':' and '/' (SageMaker reports `validation:auc`). */
export const metricNamePattern = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

/** A dataset version reference `name@versionId`. */
export const datasetRefPattern = /^([A-Za-z0-9][A-Za-z0-9._-]{0,127})@([a-f0-9]{16})$/;

/** An `s3://bucket/key` URI. */
export const s3UriPattern = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.{1,1024})$/;

const semverRule = "must be a semantic version major.minor.patch (digits only, no leading zeros)";

export const nameSchema = z.string().regex(namePattern, nameRule);
export const semverSchema = z.string().regex(semverPattern, semverRule);
const finite = z.number({ error: "must be a finite number" }).refine(Number.isFinite, "must be a finite number");
const metricsSchema = z
  .record(z.string().regex(metricNamePattern, "metric names " + nameRule.replace("'-'", "'-', ':', '/'")), finite)
  .refine((m) => Object.keys(m).length <= 100, "at most 100 metrics")
  .superRefine((m, ctx) => {
    for (const [name, value] of Object.entries(m)) {
      const problem = metricRangeProblem(name, value);
      if (problem) ctx.addIssue({ code: "custom", path: [name], message: `${value} is impossible: ${name} ${problem}` });
    }
  });
const reasonSchema = z.string().trim().min(1, "must not be empty").max(1000, "at most 1000 characters");

/** Path parameters `{model}`. */
export const modelParams = z.object({ model: nameSchema.openapi({ param: { name: "model", in: "path" }, example: "churn" }) });

/** Path parameters `{model}/{version}`. */
export const versionParams = modelParams.extend({
  version: semverSchema.openapi({ param: { name: "version", in: "path" }, example: "1.2.0" }),
});

/** Body of `POST /models/{model}/versions`. */
export const registerBody = z
  .strictObject({
    version: semverSchema.optional(),
    artifactUri: z.string().regex(s3UriPattern, "must be an s3://bucket/key URI").optional(),
    requestUpload: z.boolean().optional(),
    artifactFileName: nameSchema.optional().openapi({ description: "file name under the upload prefix", default: "model.tar.gz" }),
    allowEmptyArtifact: z.boolean().optional().openapi({ description: "accept a 0-byte artifact (refused with 422 EMPTY_ARTIFACT otherwise: an empty upload is almost always a broken one)" }),
    trainingJobName: z.string().min(1).max(256).optional(),
    metrics: metricsSchema.optional(),
    parameters: z
      .record(z.string().min(1).max(256), z.union([z.string().max(4096), finite, z.boolean(), z.null()]))
      .refine((p) => Object.keys(p).length <= 500, "at most 500 parameters")
      .optional(),
    tags: z
      .record(z.string().min(1).max(128), z.string().max(256))
      .refine((t) => Object.keys(t).length <= 50, "at most 50 tags")
      .optional(),
    datasetVersion: z.string().regex(datasetRefPattern, "must be name@versionId as returned by POST /datasets/{name}/versions").optional(),
    description: z.string().max(4096).optional(),
    stage: z.enum(["development", "staging"]).optional(),
    primaryMetric: z.string().regex(metricNamePattern, "must be a metric name").optional(),
    direction: z.enum(["lower", "higher"]).optional(),
  })
  .superRefine((b, ctx) => {
    const upload = b.requestUpload === true;
    if (b.artifactUri === undefined && !upload) {
      ctx.addIssue({ code: "custom", path: ["artifactUri"], message: "give either artifactUri (an existing s3:// object) or requestUpload: true" });
    }
    if (b.artifactUri !== undefined && upload) {
      ctx.addIssue({ code: "custom", path: ["requestUpload"], message: "give artifactUri or requestUpload: true, not both" });
    }
    if (b.artifactFileName !== undefined && !upload) {
      ctx.addIssue({ code: "custom", path: ["artifactFileName"], message: "only used with requestUpload: true" });
    }
  })
  .openapi("RegisterVersion");
export type RegisterBody = z.infer<typeof registerBody>;

/** Body of `POST …/promote`. */
export const promoteBody = z
  .strictObject({
    stage: z.enum(stages as [string, ...string[]]).openapi({ example: "production" }),
    reason: reasonSchema,
    force: z.boolean().optional(),
  })
  .openapi("Promote");

/** A gate of a promotion policy: at least one rule. */
const policyGateSchema = z
  .strictObject({
    metric: z.string().regex(metricNamePattern, "must be a metric name").openapi({ example: "auc" }),
    min: finite.optional().openapi({ description: "the value must be at least this" }),
    max: finite.optional().openapi({ description: "the value must be at most this" }),
    notWorseThanProduction: z.boolean().optional().openapi({ description: "no worse than the production version's value, in the metric's direction" }),
    direction: z.enum(["lower", "higher"]).optional().openapi({ description: "which way is better, for notWorseThanProduction (default: the model's for its primary metric, else the metric's own)" }),
  })
  .superRefine((g, ctx) => {
    if (g.min === undefined && g.max === undefined && g.notWorseThanProduction !== true) {
      ctx.addIssue({ code: "custom", path: ["metric"], message: "a gate needs min, max or notWorseThanProduction: true" });
    }
    if (g.min !== undefined && g.max !== undefined && g.min > g.max) ctx.addIssue({ code: "custom", path: ["min"], message: "must not exceed max" });
    if (g.direction !== undefined && g.notWorseThanProduction !== true) ctx.addIssue({ code: "custom", path: ["direction"], message: "only used with notWorseThanProduction: true" });
  });

/** Body of `PUT /models/{model}/promotion-policy` (replaces the stored policy). */
export const promotionPolicyBody = z
  .strictObject({
    gates: z.array(policyGateSchema).max(50, "at most 50 gates").optional().openapi({ description: "gates of promotions into production (none: the primary-metric gate applies)" }),
    requireApproval: z
      .array(z.enum(["staging", "production"]))
      .max(2)
      .refine((a) => new Set(a).size === a.length, "a stage is listed twice")
      .optional()
      .openapi({ description: "stages whose promotions need approval by another principal" }),
    retention: z
      .strictObject({ keepLast: z.number().int("must be an integer").min(1, "must be at least 1").max(1000, "must be at most 1000") })
      .nullable()
      .optional()
      .openapi({ description: "archive development and staging versions older than the newest keepLast, unless aliased" }),
  })
  .openapi("PromotionPolicyInput");
export type PromotionPolicyBody = z.infer<typeof promotionPolicyBody>;

/** Body of `POST …/approve` and `POST …/reject`. */
export const decisionBody = z.strictObject({ reason: reasonSchema }).openapi("ApprovalDecision");

/** Alias names: a letter first, then letters, digits, '_' or '-' (at most 64). */
export const aliasPattern = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Path parameters `{model}/{alias}`. */
export const aliasParams = modelParams.extend({
  alias: z
    .string()
    .regex(aliasPattern, "must be 1-64 characters of letters, digits, '_' or '-', starting with a letter")
    .openapi({ param: { name: "alias", in: "path" }, example: "champion" }),
});

/** Body of `PUT /models/{model}/aliases/{alias}`. */
export const aliasBody = z.strictObject({ version: semverSchema }).openapi("SetAlias");

/** Most tags a version holds. */
export const maxTags = 50;

/** Body of `PATCH /models/{model}/versions/{version}`: tags merged into the version's, `null` removes one. */
export const versionPatchBody = z
  .strictObject({
    tags: z
      .record(z.string().min(1).max(128), z.string().max(256).nullable())
      .refine((t) => Object.keys(t).length >= 1, "give at least one tag")
      .refine((t) => Object.keys(t).length <= maxTags, `at most ${maxTags} tags`),
  })
  .openapi("UpdateVersion");

/** `?tag=key:value` of the versions listing (split at the first ':'). */
export const tagFilterPattern = /^([^:]{1,128}):(.{0,256})$/s;

/** Body of `POST /models/{model}/rollback`. */
export const rollbackBody = z.strictObject({ reason: reasonSchema }).openapi("Rollback");

/** Body of `POST …/deployments`. */
export const deploymentBody = z
  .strictObject({
    endpointName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, nameRule),
    environment: nameSchema.openapi({ example: "prod" }),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, "must be an AWS region such as eu-west-1")
      .optional(),
  })
  .openapi("Deployment");

/** Body of `POST /datasets/{name}/versions`. */
export const datasetBody = z
  .strictObject({
    dataUri: z.string().regex(s3UriPattern, "must be an s3://bucket/key URI"),
    description: z.string().max(4096).optional(),
    parentVersion: z
      .string()
      .regex(/^([A-Za-z0-9][A-Za-z0-9._-]{0,127}@)?[a-f0-9]{16}$/, "must be a dataset version id, or name@versionId for another dataset")
      .optional(),
    format: z.enum(["csv", "jsonl", "parquet"]).optional().openapi({ description: "default: from the file extension" }),
  })
  .openapi("RegisterDataset");

/** Path parameters `{name}`. */
export const datasetParams = z.object({ name: nameSchema.openapi({ param: { name: "name", in: "path" }, example: "churn-train" }) });

/** Path parameters `{name}/{version}`. */
export const datasetVersionParams = datasetParams.extend({
  version: z
    .string()
    .regex(/^[a-f0-9]{16}$/, "must be a dataset version id (16 hex characters)")
    .openapi({ param: { name: "version", in: "path" } }),
});

/** `limit` + `nextToken` query. */
export const pageQuery = z.object({
  limit: z.string().optional().openapi({ description: "1-100, default 25" }),
  nextToken: z.string().max(2048).optional(),
});

export { errorAnswer, jsonAnswer } from "../../shared/schemas.js";
