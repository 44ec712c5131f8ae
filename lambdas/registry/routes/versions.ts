/**
 * Model and version routes: register, list, read, the production lookup serving jobs use, compare,
 * delete, artifact verification and history.
 */
import { compareVersionMetrics } from "../../core/lifecycle/compare.js";
import { isSemver } from "../../core/lifecycle/semver.js";
import { NotFoundError, ValidationError } from "../../shared/errors.js";
import { intQuery, type Routes } from "../../shared/http.js";
import { deleteVersion, findRollbackTarget, verifyArtifact } from "../lifecycle.js";
import { registerVersion } from "../registration.js";
import { deleteAlias, getAliasedVersion, setAlias } from "../aliases.js";
import { patchTags } from "../tags.js";
import { tagFilterPattern } from "../contract/requests.js";
import { registryContract } from "../contract.js";
import { listHistory } from "../store/history.js";
import { listModels, requireModel, toModelRecord } from "../store/models.js";
import { getVersion, listVersions, requireVersion } from "../store/versions.js";
import { actorOf, pageSize } from "./context.js";

/** Adds the model and version routes. */
export function addVersionRoutes(routes: Routes): void {
  routes.openapi(
    registryContract.routes.registerVersion,
    async (c) => {
      const { model } = c.req.valid("param");
      const record = await registerVersion(model, c.req.valid("json"), actorOf(c));
      c.header("location", `/models/${model}/versions/${record.version}`);
      return c.json(record, 201);
    },
  );

  routes.openapi(
    registryContract.routes.listModels,
    async (c) => {
      const q = c.req.valid("query");
      return c.json(await listModels(intQuery(q.limit, "limit", pageSize.fallback, pageSize.max), q.nextToken), 200);
    },
  );

  routes.openapi(
    registryContract.routes.getModel,
    async (c) => {
      const state = await requireModel(c.req.valid("param").model);
      // What POST …/rollback would restore now (the same rule), or null when it would refuse.
      const target = state.productionVersion ? (await findRollbackTarget(state)).target : undefined;
      return c.json({ ...toModelRecord(state), rollbackTarget: target?.version ?? null }, 200);
    },
  );

  routes.openapi(
    registryContract.routes.listVersions,
    async (c) => {
      const { model } = c.req.valid("param");
      const q = c.req.valid("query");
      const limit = intQuery(q.limit, "limit", pageSize.fallback, pageSize.max);
      let tag: { key: string; value: string } | undefined;
      if (q.tag !== undefined) {
        const m = tagFilterPattern.exec(q.tag);
        if (!m) throw new ValidationError("query.tag: must be key:value (a key of 1-128 characters without ':', a value of at most 256)");
        tag = { key: m[1], value: m[2] };
      }
      await requireModel(model);
      return c.json(await listVersions(model, q.stage, limit, q.nextToken, tag), 200);
    },
  );

  routes.openapi(
    registryContract.routes.updateVersion,
    async (c) => {
      const { model, version } = c.req.valid("param");
      return c.json(await patchTags(model, version, c.req.valid("json").tags, actorOf(c)), 200);
    },
  );

  routes.openapi(
    registryContract.routes.setAlias,
    async (c) => {
      const { model, alias } = c.req.valid("param");
      return c.json(await setAlias(model, alias, c.req.valid("json").version, actorOf(c)), 200);
    },
  );

  routes.openapi(
    registryContract.routes.getAlias,
    async (c) => {
      const { model, alias } = c.req.valid("param");
      return c.json(await getAliasedVersion(model, alias), 200);
    },
  );

  routes.openapi(
    registryContract.routes.deleteAlias,
    async (c) => {
      const { model, alias } = c.req.valid("param");
      await deleteAlias(model, alias, actorOf(c));
      return c.body(null, 204);
    },
  );

  routes.openapi(
    registryContract.routes.getVersion,
    async (c) => {
      const { model, version } = c.req.valid("param");
      return c.json(await requireVersion(model, version), 200);
    },
  );

  routes.openapi(
    registryContract.routes.getProduction,
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
    registryContract.routes.compareVersions,
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
    registryContract.routes.deleteVersion,
    async (c) => {
      const { model, version } = c.req.valid("param");
      return c.json(await deleteVersion(model, version, actorOf(c)), 200);
    },
  );

  routes.openapi(
    registryContract.routes.verifyArtifact,
    async (c) => {
      const { model, version } = c.req.valid("param");
      return c.json(await verifyArtifact(model, version, actorOf(c)), 200);
    },
  );

  routes.openapi(
    registryContract.routes.getHistory,
    async (c) => {
      const { model } = c.req.valid("param");
      const q = c.req.valid("query");
      const limit = intQuery(q.limit, "limit", pageSize.fallback, pageSize.max);
      await requireModel(model);
      return c.json(await listHistory(model, limit, q.nextToken), 200);
    },
  );
}
