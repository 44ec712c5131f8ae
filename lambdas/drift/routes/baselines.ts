/**
 * Baseline routes: create (inline → ready at once, S3 → built by the worker), list, read, activate.
 */
import { recordAudit } from "../../shared/audit.js";
import { NotFoundError } from "../../shared/errors.js";
import { intQuery, type Routes } from "../../shared/http.js";
import { parseS3Uri } from "../../shared/readers/s3-source.js";
import { driftContract } from "../contract.js";
import { dispatchJob } from "../dispatch.js";
import { loadRecords } from "../ingest.js";
import { constraintsToJson, suggestConstraints } from "../model-monitor/constraints.js";
import { profileFromModelMonitor } from "../model-monitor/import.js";
import { statisticsFromProfile } from "../model-monitor/statistics.js";
import { type BaselineProfile, buildProfile, profileKinds } from "../profile.js";
import { newId } from "../store/items.js";
import { getText, profileKey, putJson, removeOrphan } from "../store/objects.js";
import { finishBaseline, getBaseline, listBaselines, putBaseline, type BaselineRecord } from "../store/baselines.js";
import { activateBaseline, activateIfNone, getActiveBaselineId, loadBaseline } from "../store/active-baseline.js";
import { failureMessage } from "../worker.js";
import { checkInlineSize, presentBaseline } from "./present.js";

/** Adds the baseline routes. */
export function addBaselineRoutes(routes: Routes): void {
  routes.openapi(
    driftContract.routes.createBaseline,
    async (c) => {
      const { model } = c.req.valid("param");
      const body = c.req.valid("json");
      const caller = c.get("caller");
      const requestId = c.get("requestId");
      const now = new Date();
      const baselineId = newId(now);
      const options = { categorical: body.categorical, features: body.features, exclude: body.exclude };
      if (body.dataUri !== undefined) {
        parseS3Uri(body.dataUri);
        const record: BaselineRecord = { model, baselineId, status: "building", createdAt: now.toISOString(), createdBy: caller, source: { kind: "s3", dataUri: body.dataUri }, options };
        await startBuilding(record, requestId);
        return c.json({ baselineId, model, status: "building", createdAt: record.createdAt, source: record.source }, 202);
      }
      const mm = body.modelMonitor;
      if (mm?.statisticsUri !== undefined && mm.constraintsUri !== undefined) {
        parseS3Uri(mm.statisticsUri);
        parseS3Uri(mm.constraintsUri);
        const source = { kind: "model_monitor" as const, statisticsUri: mm.statisticsUri, constraintsUri: mm.constraintsUri };
        const record: BaselineRecord = { model, baselineId, status: "building", createdAt: now.toISOString(), createdBy: caller, source, options: {} };
        await startBuilding(record, requestId);
        return c.json({ baselineId, model, status: "building", createdAt: record.createdAt, source }, 202);
      }
      let profile: BaselineProfile;
      let warnings: string[];
      if (mm) {
        ({ profile, warnings } = profileFromModelMonitor({ statistics: mm.statistics, constraints: mm.constraints }, { model, baselineId, createdAt: now.toISOString() }));
      } else {
        checkInlineSize(c, body.records);
        const data = loadRecords(body.records!, { categorical: body.categorical, include: body.features, exclude: body.exclude });
        profile = buildProfile(data.columns, { model, baselineId, createdAt: now.toISOString(), rows: data.rows, source: { kind: "inline" } });
        warnings = data.warnings;
      }
      const rows = profile.rows;
      const source = profile.source;
      const profileUri = await putJson(profileKey(model, baselineId), profile);
      const features = profileKinds(profile);
      const readyAt = new Date().toISOString();
      try {
        await putBaseline({
          model,
          baselineId,
          status: "ready",
          createdAt: now.toISOString(),
          createdBy: caller,
          readyAt,
          source,
          options,
          rows,
          features,
          profileUri,
        });
      } catch (err) {
        // No record, no profile: the refused write leaves nothing behind.
        await removeOrphan(profileKey(model, baselineId), { model, baselineId, requestId });
        throw err;
      }
      const active = await activateIfNone(model, baselineId, caller);
      await recordAudit({
        type: "drift.baseline_created",
        actor: caller,
        model,
        target: `models/${model}/baselines/${baselineId}`,
        after: { baselineId, rows, features, profileUri, active },
        details: { source: source.kind, warnings },
        requestId,
      });
      return c.json({ baselineId, model, status: "ready", active, rows, features, profileUri, source, createdAt: now.toISOString(), readyAt, warnings }, 201);
    },
  );

  routes.openapi(
    driftContract.routes.listBaselines,
    async (c) => {
      const { model } = c.req.valid("param");
      const query = c.req.valid("query");
      const limit = intQuery(query.limit, "limit", 20, 100);
      const [page, activeBaselineId] = await Promise.all([listBaselines(model, limit, query.nextToken), getActiveBaselineId(model)]);
      const items = page.items.map((b) => ({ ...presentBaseline(b), active: b.baselineId === activeBaselineId }));
      return c.json({ items, nextToken: page.nextToken, model, activeBaselineId: activeBaselineId ?? null }, 200);
    },
  );

  routes.openapi(
    driftContract.routes.getBaseline,
    async (c) => {
      const { model, baselineId } = c.req.valid("param");
      const record = await getBaseline(model, baselineId);
      if (!record) throw new NotFoundError(`model "${model}" has no baseline "${baselineId}"`);
      const active = (await getActiveBaselineId(model)) === baselineId;
      const withProfile = c.req.valid("query").profile === "true" && record.status === "ready";
      const profile = withProfile ? JSON.parse(await getText(profileKey(model, baselineId))) : undefined;
      return c.json({ ...presentBaseline(record), active, ...(profile ? { profile } : {}) }, 200);
    },
  );

  routes.openapi(
    driftContract.routes.activateBaseline,
    async (c) => {
      const { model, baselineId } = c.req.valid("param");
      const previous = await activateBaseline(model, baselineId, c.get("caller"));
      await recordAudit({
        type: "drift.baseline_activated",
        actor: c.get("caller"),
        model,
        target: `models/${model}/baselines/${baselineId}`,
        before: { activeBaselineId: previous ?? null },
        after: { activeBaselineId: baselineId },
        requestId: c.get("requestId"),
      });
      return c.json({ model, baselineId, active: true, previousBaselineId: previous ?? null }, 200);
    },
  );

  routes.openapi(
    driftContract.routes.getBaselineStatistics,
    async (c) => {
      const { model, baselineId } = c.req.valid("param");
      const { profile } = await loadBaseline(model, baselineId);
      return c.json(statisticsFromProfile(profile, profile.modelMonitor?.inferredTypes), 200);
    },
  );

  routes.openapi(
    driftContract.routes.getBaselineConstraints,
    async (c) => {
      const { model, baselineId } = c.req.valid("param");
      const { profile } = await loadBaseline(model, baselineId);
      return c.json(constraintsToJson(profile.modelMonitor?.constraints ?? suggestConstraints(profile)), 200);
    },
  );
}

/** Stores a building baseline and starts its worker; the baseline is failed (and the error thrown) when the worker cannot start. */
async function startBuilding(record: BaselineRecord, requestId: string): Promise<void> {
  await putBaseline(record);
  try {
    await dispatchJob({ kind: "baseline", model: record.model, baselineId: record.baselineId, requestId });
  } catch (err) {
    await finishBaseline(record.model, record.baselineId, { status: "failed", error: `could not start the worker: ${failureMessage(err)}` });
    throw err;
  }
}
