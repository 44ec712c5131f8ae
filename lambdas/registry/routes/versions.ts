/**
 * Model and version routes: register, list, read, the production lookup serving jobs use, compare,
 * delete, artifact verification and history.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { compareVersionMetrics } from "../../core/lifecycle/compare.js";
import { isSemver } from "../../core/lifecycle/semver.js";
import { stages, type Stage } from "../../core/lifecycle/stages.js";
import { NotFoundError, ValidationError } from "../../shared/errors.js";
import { intQuery, type Routes } from "../../shared/http.js";
import { deleteVersion, verifyArtifact } from "../lifecycle.js";
import { registerVersion } from "../registration.js";
import {
  answer,
  errorAnswer,
  jsonAnswer,
  modelDetailSchema,
  modelPageSchema,
  modelParams,
  pageQuery,
  productionSchema,
  registerBody,
  registeredSchema,
  versionPageSchema,
  versionParams,
  versionSchema,
} from "../schemas.js";
import { getVersion, listHistory, listModels, listVersions, requireModel, requireVersion } from "../store.js";
import { actorOf, pageSize } from "./context.js";

const tags = ["models"];

/** Adds the model and version routes. */
export function addVersionRoutes(routes: Routes): void {
  routes.openapi(
    createRoute({
      method: "post",
      path: "/models/{model}/versions",
      tags,
      summary: "Register a model version (explicit or next minor version; existing s3:// artifact or presigned upload)",
      request: { params: modelParams, body: { required: true, content: { "application/json": { schema: registerBody } } } },
      responses: {
        201: answer(registeredSchema, "the version record (with `upload.url` when requestUpload was set)"),
        400: errorAnswer("invalid body"),
        409: errorAnswer("the version exists, or the model's primary metric differs"),
        422: errorAnswer("the artifact or dataset version does not exist or cannot be read"),
      },
    }),
    async (c) => {
      const { model } = c.req.valid("param");
      const record = await registerVersion(model, c.req.valid("json"), actorOf(c));
      c.header("location", `/models/${model}/versions/${record.version}`);
      return c.json(record, 201);
    },
  );

  routes.openapi(
    createRoute({
      method: "get",
      path: "/models",
      tags,
      summary: "List models with their production and staging versions",
      request: { query: pageQuery },
      responses: { 200: answer(modelPageSchema, "one page of models"), 400: errorAnswer("invalid query") },
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json(await listModels(intQuery(q.limit, "limit", pageSize.fallback, pageSize.max), q.nextToken), 200);
    },
  );

  routes.openapi(
    createRoute({
      method: "get",
      path: "/models/{model}",
      tags,
      summary: "A model: primary metric, direction, production and staging versions",
      request: { params: modelParams },
      responses: { 200: answer(modelDetailSchema, "the model record"), 404: errorAnswer("no such model") },
    }),
    async (c) => {
      const { productionHistory, lifecycleRevision: _r, ...model } = await requireModel(c.req.valid("param").model);
      return c.json({ ...model, rollbackTarget: productionHistory[productionHistory.length - 1] ?? null }, 200);
    },
  );

  routes.openapi(
    createRoute({
      method: "get",
      path: "/models/{model}/versions",
      tags,
      summary: "Versions of a model, highest first, optionally of one stage",
      request: { params: modelParams, query: pageQuery.extend({ stage: z.enum(stages as [Stage, ...Stage[]]).optional() }) },
      responses: { 200: answer(versionPageSchema, "one page of versions"), 404: errorAnswer("no such model") },
    }),
    async (c) => {
      const { model } = c.req.valid("param");
      const q = c.req.valid("query");
      const limit = intQuery(q.limit, "limit", pageSize.fallback, pageSize.max);
      await requireModel(model);
      return c.json(await listVersions(model, q.stage, limit, q.nextToken), 200);
    },
  );

  routes.openapi(
    createRoute({
      method: "get",
      path: "/models/{model}/versions/{version}",
      tags,
      summary: "One version",
      request: { params: versionParams },
      responses: { 200: answer(versionSchema, "the version record"), 404: errorAnswer("no such model or version") },
    }),
    async (c) => {
      const { model, version } = c.req.valid("param");
      return c.json(await requireVersion(model, version), 200);
    },
  );

  routes.openapi(
    createRoute({
      method: "get",
      path: "/models/{model}/stages/production",
      tags,
      summary: "What a serving job loads: the production version, artifact URI, checksum and metrics (two GetItems)",
      request: { params: modelParams },
      responses: { 200: answer(productionSchema, "the production version"), 404: errorAnswer("no such model, or no production version yet") },
    }),
    async (c) => {
      const { model } = c.req.valid("param");
      const state = await requireModel(model);
      if (!state.productionVersion) throw new NotFoundError(`model ${model} has no production version yet`);
      const v = await getVersion(model, state.productionVersion);
      if (!v) throw new NotFoundError(`production version ${state.productionVersion} of model ${model} is missing`);
      return c.json(
        {
          model,
          version: v.version,
          stage: v.stage,
          artifactUri: v.artifact.uri,
          sha256: v.artifact.sha256 ?? null,
          sizeBytes: v.artifact.sizeBytes ?? null,
          etag: v.artifact.etag ?? null,
          metrics: v.metrics,
          primaryMetric: state.primaryMetric,
          direction: state.direction,
          datasetVersion: v.datasetVersion ?? null,
          promotedAt: v.promotedAt ?? v.stageChangedAt,
        },
        200,
      );
    },
  );

  routes.openapi(
    createRoute({
      method: "get",
      path: "/models/{model}/compare",
      tags,
      summary: "Metrics of 2-10 versions side by side, deltas against the first, best on the primary metric",
      request: { params: modelParams, query: z.object({ versions: z.string().max(200).openapi({ example: "1.0.0,1.1.0" }) }) },
      responses: { 200: jsonAnswer("the comparison"), 400: errorAnswer("invalid versions list"), 404: errorAnswer("a version does not exist") },
    }),
    async (c) => {
      const { model } = c.req.valid("param");
      const list = c.req.valid("query").versions.split(",").map((v) => v.trim());
      const bad = list.filter((v) => !isSemver(v));
      if (bad.length > 0) throw new ValidationError(`query.versions: ${bad.map((b) => `"${b.slice(0, 20)}"`).join(", ")} is not a semantic version major.minor.patch`);
      if (list.length < 2 || list.length > 10) throw new ValidationError("query.versions: give 2 to 10 comma-separated versions");
      if (new Set(list).size !== list.length) throw new ValidationError("query.versions: a version is listed twice");
      const state = await requireModel(model);
      const found = await Promise.all(list.map((v) => getVersion(model, v)));
      const missing = list.filter((_, i) => !found[i]);
      if (missing.length > 0) throw new NotFoundError(`model ${model} has no version ${missing.join(", ")}`);
      const versions = found.map((v) => ({ version: v!.version, metrics: v!.metrics }));
      const comparison = compareVersionMetrics(versions, state.primaryMetric, state.direction);
      const details = found.map((v) => ({ version: v!.version, stage: v!.stage, createdAt: v!.createdAt, datasetVersion: v!.datasetVersion ?? null }));
      return c.json({ model, ...comparison, details }, 200);
    },
  );

  routes.openapi(
    createRoute({
      method: "delete",
      path: "/models/{model}/versions/{version}",
      tags,
      summary: "Delete a version that is not in production, and the artifact it owns (uploaded through the registry)",
      request: { params: versionParams },
      responses: { 200: jsonAnswer("what was deleted"), 404: errorAnswer("no such version"), 409: errorAnswer("the version is in production") },
    }),
    async (c) => {
      const { model, version } = c.req.valid("param");
      return c.json(await deleteVersion(model, version, actorOf(c)), 200);
    },
  );

  routes.openapi(
    createRoute({
      method: "post",
      path: "/models/{model}/versions/{version}/artifact/verify",
      tags,
      summary: "Record the checksum of an uploaded artifact, or check an artifact still matches its recorded checksum",
      request: { params: versionParams },
      responses: { 200: jsonAnswer("verification result"), 404: errorAnswer("no such version"), 409: errorAnswer("artifact not uploaded yet") },
    }),
    async (c) => {
      const { model, version } = c.req.valid("param");
      return c.json(await verifyArtifact(model, version, actorOf(c)), 200);
    },
  );

  routes.openapi(
    createRoute({
      method: "get",
      path: "/models/{model}/history",
      tags,
      summary: "Every change to a model (register, promote, rollback, deploy, delete, verify), newest first",
      request: { params: modelParams, query: pageQuery },
      responses: { 200: jsonAnswer("`{ items, nextToken }`"), 404: errorAnswer("no such model") },
    }),
    async (c) => {
      const { model } = c.req.valid("param");
      const q = c.req.valid("query");
      const limit = intQuery(q.limit, "limit", pageSize.fallback, pageSize.max);
      await requireModel(model);
      return c.json(await listHistory(model, limit, q.nextToken), 200);
    },
  );
}
