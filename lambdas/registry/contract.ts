/**
 * The registry's contract: model versions, lifecycle, deployments, datasets — and `GET /health`.
 * Request and response schemas (contract/requests.ts and contract/responses.ts, re-exported here) and every
 * route's definition; the handlers that serve them are bound in routes/*.ts.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { stages, type Stage } from "../core/lifecycle/stages.js";
import { defineContract } from "../shared/contract.js";
import {
  aliasBody,
  aliasParams,
  datasetBody,
  datasetParams,
  datasetVersionParams,
  decisionBody,
  deploymentBody,
  errorAnswer,
  modelParams,
  nameSchema,
  pageQuery,
  promoteBody,
  promotionPolicyBody,
  registerBody,
  rollbackBody,
  semverSchema,
  versionParams,
  versionPatchBody,
} from "./contract/requests.js";
import {
  aliasSchema,
  aliasedVersionSchema,
  answer,
  approvalPageSchema,
  datasetDiffSchema,
  datasetLineageSchema,
  datasetVersionPageSchema,
  datasetVersionSchema,
  deletionSchema,
  deploymentPageSchema,
  deploymentSchema,
  historyPageSchema,
  modelDetailSchema,
  modelPageSchema,
  pendingPromotionSchema,
  productionSchema,
  promotionPolicySchema,
  promotionSchema,
  registeredSchema,
  rejectionSchema,
  rollbackResultSchema,
  verificationSchema,
  versionComparisonSchema,
  versionPageSchema,
  versionSchema,
} from "./contract/responses.js";

export * from "./contract/requests.js";
export * from "./contract/responses.js";

/** `GET /health`: the service and each AWS dependency it reaches. */
export const healthSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  service: z.literal("mlwatch"),
  time: z.string(),
  dependencies: z.record(
    z.string(),
    z.object({ ok: z.boolean(), latencyMs: z.number(), resource: z.string(), error: z.string().optional() }),
  ),
});

/** `POST …/artifact/upload`: a fresh presigned upload for a pending artifact. */
export const artifactUploadSchema = z
  .object({
    model: z.string(),
    version: z.string(),
    artifactUri: z.string(),
    upload: z.object({ url: z.string(), method: z.literal("PUT"), expiresAt: z.string() }),
  })
  .openapi("ArtifactUpload");

/** A dataset version id, or `name@versionId`. */
const datasetRef = z.string().regex(/^([A-Za-z0-9][A-Za-z0-9._-]{0,127}@)?[a-f0-9]{16}$/, "must be a dataset version id, or name@versionId");

const models = ["models"];
const lifecycle = ["lifecycle"];
const deployments = ["deployments"];
const datasets = ["datasets"];

/** The registry's routes, by operation. */
export const registryContract = defineContract("registry", {
  health: createRoute({
    method: "get",
    path: "/health",
    summary: "Health of the service and of each AWS dependency it reaches",
    responses: {
      200: { description: "every dependency answered", content: { "application/json": { schema: healthSchema } } },
      503: { description: "at least one dependency did not answer", content: { "application/json": { schema: healthSchema } } },
    },
  }),

  // ------------------------------------------------------------------------------------ models, versions
  registerVersion: createRoute({
    method: "post",
    path: "/models/{model}/versions",
    tags: models,
    summary: "Register a model version (explicit or next minor version; existing s3:// artifact or presigned upload)",
    request: { params: modelParams, body: { required: true, content: { "application/json": { schema: registerBody } } } },
    responses: {
      201: answer(registeredSchema, "the version record (with `upload.url` when requestUpload was set)"),
      400: errorAnswer("invalid body"),
      409: errorAnswer("the version exists, VERSION_NUMBER_RETIRED (it was deleted: numbers are never reused), or the model's primary metric differs"),
      422: errorAnswer("the artifact or dataset version does not exist or cannot be read"),
    },
  }),
  listModels: createRoute({
    method: "get",
    path: "/models",
    tags: models,
    summary: "List models with their production and staging versions",
    request: { query: pageQuery },
    responses: { 200: answer(modelPageSchema, "one page of models"), 400: errorAnswer("invalid query") },
  }),
  getModel: createRoute({
    method: "get",
    path: "/models/{model}",
    tags: models,
    summary: "A model: primary metric, direction, production and staging versions",
    request: { params: modelParams },
    responses: { 200: answer(modelDetailSchema, "the model record"), 404: errorAnswer("no such model") },
  }),
  listVersions: createRoute({
    method: "get",
    path: "/models/{model}/versions",
    tags: models,
    summary: "Versions of a model, highest first, optionally of one stage",
    request: {
      params: modelParams,
      query: pageQuery.extend({
        stage: z.enum(stages as [Stage, ...Stage[]]).optional(),
        tag: z.string().max(400).optional().openapi({ description: "only versions with this tag value, `key:value` (split at the first ':'; applies within each page)", example: "team:risk" }),
      }),
    },
    responses: { 200: answer(versionPageSchema, "one page of versions"), 400: errorAnswer("invalid query"), 404: errorAnswer("no such model") },
  }),
  updateVersion: createRoute({
    method: "patch",
    path: "/models/{model}/versions/{version}",
    tags: models,
    summary: "Merge tags into a version's (a null value removes a tag)",
    request: { params: versionParams, body: { required: true, content: { "application/json": { schema: versionPatchBody } } } },
    responses: {
      200: answer(versionSchema, "the version with its merged tags"),
      400: errorAnswer("invalid body, or more than 50 tags after the merge"),
      404: errorAnswer("no such model or version"),
      409: errorAnswer("concurrent tag changes kept colliding (retry)"),
    },
  }),
  setAlias: createRoute({
    method: "put",
    path: "/models/{model}/aliases/{alias}",
    tags: models,
    summary: "Point an alias (champion, challenger, …) at a version; a move is audited",
    request: { params: aliasParams, body: { required: true, content: { "application/json": { schema: aliasBody } } } },
    responses: { 200: answer(aliasSchema, "the alias and the version it pointed to before"), 400: errorAnswer("invalid body"), 404: errorAnswer("no such model or version"), 409: errorAnswer("concurrent moves kept colliding (retry)") },
  }),
  getAlias: createRoute({
    method: "get",
    path: "/models/{model}/aliases/{alias}",
    tags: models,
    summary: "The version an alias points to, with its fields",
    request: { params: aliasParams },
    responses: { 200: answer(aliasedVersionSchema, "the version"), 404: errorAnswer("no such model or alias") },
  }),
  deleteAlias: createRoute({
    method: "delete",
    path: "/models/{model}/aliases/{alias}",
    tags: models,
    summary: "Remove an alias (the version stays)",
    request: { params: aliasParams },
    responses: { 204: { description: "removed" }, 404: errorAnswer("no such model or alias"), 409: errorAnswer("a concurrent move kept colliding (retry)") },
  }),
  getVersion: createRoute({
    method: "get",
    path: "/models/{model}/versions/{version}",
    tags: models,
    summary: "One version",
    request: { params: versionParams },
    responses: { 200: answer(versionSchema, "the version record"), 404: errorAnswer("no such model or version") },
  }),
  getProduction: createRoute({
    method: "get",
    path: "/models/{model}/stages/production",
    tags: models,
    summary: "What a serving job loads: the production version, artifact URI, checksum and metrics (two GetItems)",
    request: { params: modelParams },
    responses: { 200: answer(productionSchema, "the production version"), 404: errorAnswer("no such model, or no production version yet") },
  }),
  compareVersions: createRoute({
    method: "get",
    path: "/models/{model}/compare",
    tags: models,
    summary: "Metrics of 2-10 versions side by side, deltas against the first, best on the primary metric",
    request: { params: modelParams, query: z.object({ versions: z.string().max(200).openapi({ example: "1.0.0,1.1.0" }) }) },
    responses: { 200: answer(versionComparisonSchema, "the comparison"), 400: errorAnswer("invalid versions list"), 404: errorAnswer("a version does not exist") },
  }),
  deleteVersion: createRoute({
    method: "delete",
    path: "/models/{model}/versions/{version}",
    tags: models,
    summary: "Delete a version that is not in production, and the artifact it owns (uploaded through the registry); its number is retired and its pending approval request cancelled",
    request: { params: versionParams },
    responses: { 200: answer(deletionSchema, "what was deleted"), 404: errorAnswer("no such version"), 409: errorAnswer("the version is in production or holds an alias") },
  }),
  verifyArtifact: createRoute({
    method: "post",
    path: "/models/{model}/versions/{version}/artifact/verify",
    tags: models,
    summary: "Record the checksum of an uploaded artifact, or check an artifact still matches its recorded checksum",
    request: { params: versionParams },
    responses: { 200: answer(verificationSchema, "verification result"), 404: errorAnswer("no such version"), 409: errorAnswer("artifact not uploaded yet") },
  }),
  getHistory: createRoute({
    method: "get",
    path: "/models/{model}/history",
    tags: models,
    summary: "Every change to a model (register, promote, rollback, deploy, delete, verify), newest first",
    request: { params: modelParams, query: pageQuery },
    responses: { 200: answer(historyPageSchema, "one page of the history"), 404: errorAnswer("no such model") },
  }),

  createArtifactUploadUrl: createRoute({
    method: "post",
    path: "/models/{model}/versions/{version}/artifact/upload",
    tags: models,
    summary: "Issue a fresh presigned upload URL for a version whose artifact is still pending upload (the first URL expired or was lost); audited",
    request: { params: versionParams },
    responses: {
      200: answer(artifactUploadSchema, "where to PUT the artifact's bytes, until when; then verify"),
      404: errorAnswer("no such version"),
      409: errorAnswer("the artifact is already available, or external (registered with artifactUri)"),
    },
  }),

  // ------------------------------------------------------------------------------------------- lifecycle
  promote: createRoute({
    method: "post",
    path: "/models/{model}/versions/{version}/promote",
    tags: lifecycle,
    summary:
      "development → staging → production (gates: the promotion policy's, else primary metric no worse than production's), any but production → archived; stages in the policy's requireApproval wait for another principal",
    request: { params: versionParams, body: { required: true, content: { "application/json": { schema: promoteBody } } } },
    responses: {
      200: answer(promotionSchema, "the promoted version, its stages, the version it archived and the gate"),
      202: answer(pendingPromotionSchema, "the gates passed and the stage needs approval: the pending approval request"),
      400: errorAnswer("invalid body"),
      404: errorAnswer("no such model or version"),
      409: errorAnswer("illegal transition, GATE_FAILED (details.failed lists every failed gate), artifact not uploaded, an approval already pending, or a concurrent change (retry)"),
    },
  }),
  approve: createRoute({
    method: "post",
    path: "/models/{model}/versions/{version}/approve",
    tags: lifecycle,
    summary: "Approve the version's pending promotion (by a principal other than the requester): the gates are checked again and it is promoted",
    request: { params: versionParams, body: { required: true, content: { "application/json": { schema: decisionBody } } } },
    responses: {
      200: answer(promotionSchema, "the promotion, with the approval"),
      400: errorAnswer("invalid body"),
      403: errorAnswer("FORBIDDEN: the requester cannot approve their own request (details.reason SELF_APPROVAL)"),
      404: errorAnswer("no such model or version"),
      409: errorAnswer("APPROVAL_CANCELLED (details.reason: the version was deleted or moved, or its artifact, metrics or policy changed), nothing pending, GATE_FAILED, or a concurrent decision"),
    },
  }),
  reject: createRoute({
    method: "post",
    path: "/models/{model}/versions/{version}/reject",
    tags: lifecycle,
    summary: "Reject the version's pending promotion: it stays where it was",
    request: { params: versionParams, body: { required: true, content: { "application/json": { schema: decisionBody } } } },
    responses: {
      200: answer(rejectionSchema, "the rejected request and the version, unchanged"),
      400: errorAnswer("invalid body"),
      404: errorAnswer("no such model or version"),
      409: errorAnswer("APPROVAL_CANCELLED (details.reason), nothing pending, or a concurrent decision"),
    },
  }),
  listApprovals: createRoute({
    method: "get",
    path: "/models/{model}/approvals",
    tags: lifecycle,
    summary: "Approval requests of a model, newest first, optionally of one state (the filter applies within each page)",
    request: { params: modelParams, query: pageQuery.extend({ state: z.enum(["pending", "approved", "rejected", "cancelled"]).optional() }) },
    responses: { 200: answer(approvalPageSchema, "one page of approval requests"), 400: errorAnswer("invalid query"), 404: errorAnswer("no such model") },
  }),
  getPromotionPolicy: createRoute({
    method: "get",
    path: "/models/{model}/promotion-policy",
    tags: lifecycle,
    summary: "The model's promotion policy: gates, stages needing approval, retention",
    request: { params: modelParams },
    responses: { 200: answer(promotionPolicySchema, "the policy"), 404: errorAnswer("no such model, or no policy (the primary-metric gate applies)") },
  }),
  setPromotionPolicy: createRoute({
    method: "put",
    path: "/models/{model}/promotion-policy",
    tags: lifecycle,
    summary: "Set (replace) the model's promotion policy",
    request: { params: modelParams, body: { required: true, content: { "application/json": { schema: promotionPolicyBody } } } },
    responses: {
      200: answer(promotionPolicySchema, "the stored policy"),
      400: errorAnswer("invalid policy (e.g. notWorseThanProduction on a metric whose direction is unknown)"),
      404: errorAnswer("no such model"),
    },
  }),
  rollback: createRoute({
    method: "post",
    path: "/models/{model}/rollback",
    tags: lifecycle,
    summary: "Make the previous production version production again (the current one is archived)",
    request: { params: modelParams, body: { required: true, content: { "application/json": { schema: rollbackBody } } } },
    responses: {
      200: answer(rollbackResultSchema, "the restored production version, the archived one and the skipped ones"),
      404: errorAnswer("no such model"),
      409: errorAnswer("no previous production version, or a concurrent change (retry)"),
    },
  }),

  // ----------------------------------------------------------------------------------------- deployments
  recordDeployment: createRoute({
    method: "post",
    path: "/models/{model}/versions/{version}/deployments",
    tags: deployments,
    summary: "Record a deployment of a version to an endpoint",
    request: { params: versionParams, body: { required: true, content: { "application/json": { schema: deploymentBody } } } },
    responses: { 201: answer(deploymentSchema, "the deployment record"), 400: errorAnswer("invalid body"), 404: errorAnswer("no such model or version") },
  }),
  listDeployments: createRoute({
    method: "get",
    path: "/models/{model}/deployments",
    tags: deployments,
    summary: "Deployments of a model, newest first (filters apply within each page)",
    request: { params: modelParams, query: pageQuery.extend({ version: semverSchema.optional(), environment: nameSchema.optional() }) },
    responses: { 200: answer(deploymentPageSchema, "one page of deployments"), 404: errorAnswer("no such model") },
  }),

  // -------------------------------------------------------------------------------------------- datasets
  registerDatasetVersion: createRoute({
    method: "post",
    path: "/datasets/{name}/versions",
    tags: datasets,
    summary: "Register a dataset version: sha256, size, row count and inferred schema (CSV, JSON Lines, Parquet)",
    request: { params: datasetParams, body: { required: true, content: { "application/json": { schema: datasetBody } } } },
    responses: {
      201: answer(datasetVersionSchema, "the new dataset version"),
      200: answer(datasetVersionSchema, "the same content was registered before: the existing version"),
      400: errorAnswer("invalid body"),
      422: errorAnswer("the object is missing, unreadable, malformed, or the parent does not exist"),
    },
  }),
  listDatasetVersions: createRoute({
    method: "get",
    path: "/datasets/{name}/versions",
    tags: datasets,
    summary: "Versions of a dataset, newest registration first",
    request: { params: datasetParams, query: pageQuery },
    responses: { 200: answer(datasetVersionPageSchema, "one page of versions") },
  }),
  getDatasetVersion: createRoute({
    method: "get",
    path: "/datasets/{name}/versions/{version}",
    tags: datasets,
    summary: "One dataset version",
    request: { params: datasetVersionParams },
    responses: { 200: answer(datasetVersionSchema, "the dataset version"), 404: errorAnswer("no such dataset version") },
  }),
  getDatasetLineage: createRoute({
    method: "get",
    path: "/datasets/{name}/versions/{version}/lineage",
    tags: datasets,
    summary: "The parent chain of a dataset version, from itself to its root",
    request: { params: datasetVersionParams },
    responses: { 200: answer(datasetLineageSchema, "the chain, from the version to its root"), 404: errorAnswer("no such dataset version") },
  }),
  compareDatasetVersions: createRoute({
    method: "get",
    path: "/datasets/{name}/compare",
    tags: datasets,
    summary: "Columns added and removed, type changes and row counts between two dataset versions",
    request: { params: datasetParams, query: z.object({ from: datasetRef, to: datasetRef }) },
    responses: { 200: answer(datasetDiffSchema, "the differences"), 400: errorAnswer("invalid query"), 404: errorAnswer("a version does not exist") },
  }),
});
