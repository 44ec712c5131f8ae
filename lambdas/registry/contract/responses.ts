/**
 * Response schemas of the registry (zod): they document the answers in the OpenAPI document
 * and type the client. Objects are loose (extra fields pass), so a field added to a record never breaks a
 * client built on an older document. Re-exported by contract.ts; the requests are in requests.ts.
 */
import { z } from "@hono/zod-openapi";
import { eventOutcomeSchema } from "../../shared/schemas.js";

const stageSchema = z.enum(["development", "staging", "production", "archived"]);
const directionSchema = z.enum(["lower", "higher"]);

/** A model as the API returns it. */
export const modelSchema = z
  .looseObject({
    model: z.string(),
    primaryMetric: z.string(),
    direction: directionSchema,
    productionVersion: z.string().nullable(),
    stagingVersions: z.array(z.string()),
    highestVersion: z.string().nullable(),
    versionCount: z.number(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Model");

/** `GET /models/{model}`: the model and the version a rollback would restore. */
export const modelDetailSchema = modelSchema.extend({ rollbackTarget: z.string().nullable() }).openapi("ModelDetail");

/** The outcome of the production gate. */
export const gateSchema = z
  .looseObject({
    passed: z.boolean(),
    primaryMetric: z.string(),
    direction: directionSchema,
    candidateValue: z.number().nullable(),
    productionVersion: z.string().nullable(),
    productionValue: z.number().nullable(),
    reason: z.string(),
    forced: z.boolean(),
  })
  .openapi("Gate");

/** One evaluated gate of a promotion policy. */
const gateCheckSchema = z.looseObject({
  metric: z.string(),
  gate: z.string(),
  value: z.number().nullable(),
  source: z.enum(["registered", "live"]).nullable(),
  passed: z.boolean(),
  rule: z.string(),
  reason: z.string(),
});

/** The outcome of a promotion policy's gates. */
export const policyGateResultSchema = z
  .looseObject({
    policy: z.literal(true),
    passed: z.boolean(),
    productionVersion: z.string().nullable(),
    checks: z.array(gateCheckSchema),
    failed: z.array(z.looseObject({ metric: z.string(), value: z.number().nullable(), rule: z.string() })),
    reason: z.string(),
    forced: z.boolean(),
  })
  .openapi("PolicyGate");

/** A model version as the API returns it. */
export const versionSchema = z
  .looseObject({
    model: z.string(),
    version: z.string(),
    stage: stageSchema,
    artifact: z.looseObject({
      uri: z.string(),
      owned: z.boolean(),
      status: z.enum(["available", "pending_upload"]),
      sizeBytes: z.number().optional(),
      etag: z.string().optional(),
      sha256: z.string().optional(),
      verifiedAt: z.string().optional(),
      allowEmpty: z.boolean().optional().openapi({ description: "the registration allowed a 0-byte artifact" }),
    }),
    trainingJobName: z.string().optional(),
    metrics: z.record(z.string(), z.number()),
    parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
    tags: z.record(z.string(), z.string()).optional(),
    datasetVersion: z.string().optional(),
    description: z.string().optional(),
    createdAt: z.string(),
    createdBy: z.string(),
    stageChangedAt: z.string(),
    promotedAt: z.string().optional(),
    archivedAt: z.string().optional(),
    gate: z.union([gateSchema, policyGateResultSchema]).optional(),
    aliases: z.array(z.string()).optional(),
    lastDeployment: z.looseObject({ endpointName: z.string(), environment: z.string(), region: z.string(), deployedAt: z.string() }).optional(),
  })
  .openapi("ModelVersion");

/** One change in a model's history (`GET /models/{model}/history`). */
export const historyEntrySchema = z
  .looseObject({
    id: z.string(),
    time: z.string(),
    event: z.enum(["register", "promote", "rollback", "deploy", "delete", "verify", "policy", "request_approval", "approve", "reject", "cancel_approval", "alias", "tag", "retention"]),
    model: z.string(),
    version: z.string().nullable(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    actor: z.string(),
    reason: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).optional(),
    requestId: z.string().optional(),
  })
  .openapi("HistoryEntry");

/** A deployment of a version to an endpoint. */
export const deploymentSchema = z
  .looseObject({
    id: z.string(),
    model: z.string(),
    version: z.string(),
    endpointName: z.string(),
    environment: z.string(),
    region: z.string(),
    deployedAt: z.string(),
    deployedBy: z.string(),
    stageAtDeployment: z.string(),
    source: z.enum(["api", "eventbridge"]).openapi({ description: "`api` (POST …/deployments) or `eventbridge` (a SageMaker endpoint event)" }),
    variant: z.string().optional(),
    endpointConfigName: z.string().optional(),
  })
  .openapi("DeploymentRecord");

const columnSchema = z.object({ name: z.string(), type: z.string(), nullable: z.boolean() }).openapi("DatasetColumn");

/** A registered dataset version. */
export const datasetVersionSchema = z
  .looseObject({
    name: z.string(),
    version: z.string(),
    ref: z.string().openapi({ description: "`name@version`, the form a model version's `datasetVersion` uses" }),
    dataUri: z.string(),
    description: z.string().optional(),
    parentVersion: z.string().optional(),
    format: z.enum(["csv", "jsonl", "parquet"]),
    compression: z.enum(["gzip", "none"]),
    sha256: z.string(),
    sizeBytes: z.number(),
    etag: z.string(),
    rowCount: z.number(),
    columns: z.array(columnSchema),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .openapi("DatasetVersion");

/** `GET /datasets/{name}/versions/{version}/lineage`. */
export const datasetLineageSchema = z
  .object({ name: z.string(), version: z.string(), depth: z.number(), truncated: z.boolean(), chain: z.array(datasetVersionSchema) })
  .openapi("DatasetLineage");

/** `GET /datasets/{name}/compare`. */
export const datasetDiffSchema = z
  .looseObject({
    from: z.string(),
    to: z.string(),
    fromRef: z.string(),
    toRef: z.string(),
    columnsAdded: z.array(columnSchema),
    columnsRemoved: z.array(columnSchema),
    typeChanges: z.array(z.object({ name: z.string(), from: z.string(), to: z.string() })),
    nullabilityChanges: z.array(z.object({ name: z.string(), from: z.boolean(), to: z.boolean() })),
    rowCount: z.object({ from: z.number(), to: z.number(), delta: z.number(), relative: z.number().nullable() }),
    sizeBytes: z.object({ from: z.number(), to: z.number(), delta: z.number() }),
    identicalSchema: z.boolean(),
  })
  .openapi("DatasetDiff");

/** `GET /models/{model}/compare`. */
export const versionComparisonSchema = z
  .looseObject({
    model: z.string(),
    baseline: z.string().openapi({ description: "the first version listed: deltas are against it" }),
    versions: z.array(z.string()),
    primaryMetric: z.string(),
    direction: directionSchema,
    metrics: z.array(
      z.object({
        name: z.string(),
        values: z.record(z.string(), z.number().nullable()),
        deltas: z.record(z.string(), z.object({ absolute: z.number().nullable(), relative: z.number().nullable() })),
        best: z.string().nullable().optional(),
      }),
    ),
    best: z.object({ version: z.string(), value: z.number() }).nullable(),
    details: z.array(z.object({ version: z.string(), stage: stageSchema, createdAt: z.string(), datasetVersion: z.string().nullable() })),
  })
  .openapi("VersionComparison");

/** `DELETE /models/{model}/versions/{version}`: what was deleted. */
export const deletionSchema = z
  .object({ model: z.string(), version: z.string(), artifact: z.object({ uri: z.string(), owned: z.boolean(), deleted: z.boolean() }) })
  .openapi("VersionDeletion");

/** `POST …/artifact/verify`: the artifact as recorded and whether the object still matches it. */
export const verificationSchema = z
  .object({
    model: z.string(),
    version: z.string(),
    artifact: versionSchema.shape.artifact,
    matches: z.boolean().openapi({ description: "the object's sha256 equals the recorded one (always true on the first verification of an upload)" }),
    currentSha256: z.string(),
  })
  .openapi("ArtifactVerification");

/** `POST /models/{model}/versions`: the version, with the presigned upload when one was requested. */
export const registeredSchema = versionSchema
  .extend({
    upload: z.object({ url: z.string(), method: z.literal("PUT"), expiresAt: z.string() }).optional(),
    retention: z
      .object({
        keepLast: z.number(),
        continuing: z.boolean().openapi({
          description:
            "true when the follow-up that archives what the policy lets go was started (it runs after the answer, in bounded batches, until none is left); false when it could not be, and the next registration starts it",
        }),
      })
      .optional()
      .openapi({ description: "present when the model's policy sets retention: the registration archives nothing itself, a follow-up does" }),
  })
  .openapi("RegisteredVersion");

/** One page of a listing. */
const pageOf = <T extends z.ZodType>(item: T, name: string) => z.object({ items: z.array(item), nextToken: z.string().nullable() }).openapi(name);

/** `GET /models`. */
export const modelPageSchema = pageOf(modelSchema, "ModelPage");
/** `GET /models/{model}/versions`. */
export const versionPageSchema = pageOf(versionSchema, "ModelVersionPage");
/** `GET /models/{model}/history`. */
export const historyPageSchema = pageOf(historyEntrySchema, "HistoryPage");
/** `GET /models/{model}/deployments`. */
export const deploymentPageSchema = pageOf(deploymentSchema, "DeploymentPage");
/** `GET /datasets/{name}/versions`. */
export const datasetVersionPageSchema = pageOf(datasetVersionSchema, "DatasetVersionPage");

/** An approval request of a promotion. */
export const approvalSchema = z
  .looseObject({
    approvalId: z.string(),
    model: z.string(),
    version: z.string(),
    from: stageSchema,
    to: stageSchema,
    state: z.enum(["pending", "approved", "rejected", "cancelled"]),
    requestedBy: z.string(),
    requestedAt: z.string(),
    reason: z.string(),
    force: z.boolean(),
    gate: z.union([gateSchema, policyGateResultSchema]).nullable(),
    decidedBy: z.string().optional(),
    decidedAt: z.string().optional(),
    decisionReason: z.string().optional(),
    cancelReason: z.string().optional().openapi({ description: "why a cancelled request was cancelled (version deleted or moved, artifact, metrics or policy changed)" }),
    evidence: z
      .looseObject({
        versionCreatedAt: z.string(),
        artifact: z.looseObject({ uri: z.string(), sha256: z.string().nullable(), sizeBytes: z.number().nullable(), etag: z.string().nullable() }),
        metricsSha256: z.string(),
        policy: z.looseObject({ sha256: z.string(), revision: z.number().nullable() }),
      })
      .optional()
      .openapi({ description: "what was reviewed; the request is valid only while it still holds" }),
  })
  .openapi("Approval");

/** `POST …/promote` (200), `POST …/approve`. */
export const promotionSchema = z
  .object({
    status: z.literal("promoted"),
    version: versionSchema,
    from: stageSchema,
    to: stageSchema,
    archived: z.string().nullable(),
    gate: z.union([gateSchema, policyGateResultSchema]).nullable(),
    approval: approvalSchema.optional(),
    event: eventOutcomeSchema,
  })
  .openapi("Promotion");

/** `POST …/promote` (202): the promotion waits for another principal's approval. */
export const pendingPromotionSchema = z.object({ status: z.literal("pending_approval"), approval: approvalSchema }).openapi("PendingPromotion");

/** `POST …/reject`. */
export const rejectionSchema = z.object({ status: z.literal("rejected"), approval: approvalSchema, version: versionSchema }).openapi("Rejection");

/** `GET /models/{model}/approvals`. */
export const approvalPageSchema = z.object({ items: z.array(approvalSchema), nextToken: z.string().nullable() }).openapi("ApprovalPage");

/** A model's promotion policy as stored. */
export const promotionPolicySchema = z
  .looseObject({
    model: z.string(),
    gates: z.array(z.looseObject({ metric: z.string(), min: z.number().optional(), max: z.number().optional(), notWorseThanProduction: z.boolean().optional(), direction: directionSchema.optional() })),
    requireApproval: z.array(stageSchema),
    retention: z.object({ keepLast: z.number() }).nullable(),
    updatedAt: z.string(),
    updatedBy: z.string(),
    revision: z.number().optional().openapi({ description: "counts replacements; pending approvals record the revision they were checked against" }),
    cancelledApprovals: z.array(z.string()).optional().openapi({ description: "PUT only: pending approval requests cancelled because the gates or approval stages changed" }),
  })
  .openapi("PromotionPolicy");

/** `GET /models/{model}/aliases/{alias}`: the version it points to, with its fields. */
export const aliasedVersionSchema = versionSchema.extend({ alias: z.string(), aliasUpdatedAt: z.string(), aliasUpdatedBy: z.string() }).openapi("AliasedVersion");

/** `PUT /models/{model}/aliases/{alias}`. */
export const aliasSchema = z
  .looseObject({ model: z.string(), alias: z.string(), version: z.string(), previousVersion: z.string().nullable(), updatedAt: z.string(), updatedBy: z.string() })
  .openapi("Alias");

/** `POST /models/{model}/rollback`. */
export const rollbackResultSchema = z
  .object({ model: z.string(), productionVersion: z.string(), archived: z.string(), skipped: z.array(z.string()), event: eventOutcomeSchema })
  .openapi("RollbackResult");

/** `GET /models/{model}/stages/production`: what a serving job loads. */
export const productionSchema = z
  .object({
    model: z.string(),
    version: z.string(),
    stage: stageSchema,
    artifactUri: z.string(),
    sha256: z.string().nullable(),
    sizeBytes: z.number().nullable(),
    etag: z.string().nullable(),
    metrics: z.record(z.string(), z.number()),
    primaryMetric: z.string(),
    direction: directionSchema,
    datasetVersion: z.string().nullable(),
    promotedAt: z.string(),
  })
  .openapi("ProductionVersion");

/** A JSON answer described by a schema. */
export const answer = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
