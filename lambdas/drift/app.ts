/**
 * The drift service's routes: baselines, on-demand checks (inline → synchronous, S3 → asynchronous),
 * check history, and scheduled monitoring settings.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { buildDriftReport } from "../core/drift/index.js";
import { type DriftThresholdName, type DriftThresholdSpec, driftThresholdSpecs } from "../core/drift/thresholds.js";
import { recordAudit } from "../shared/audit.js";
import { ConflictError, NotFoundError, PayloadTooLargeError } from "../shared/errors.js";
import { createRoutes, hostApp, intQuery } from "../shared/http.js";
import { parseS3Uri } from "../shared/readers/s3-source.js";
import { errorSchema, nameSchema } from "../shared/schemas.js";
import { completeCheck } from "./check.js";
import { dispatchJob } from "./dispatch.js";
import { loadRecords } from "./ingest.js";
import { buildProfile, profileKinds } from "./profile.js";
import {
  activateBaseline,
  activateIfNone,
  getActiveBaselineId,
  getBaseline,
  getCheck,
  getMonitoring,
  getText,
  listBaselines,
  listChecks,
  loadBaseline,
  newId,
  profileKey,
  putBaseline,
  putCheck,
  putJson,
  putMonitoring,
  reportHtmlKey,
  reportKey,
  finishBaseline,
  updateCheck,
  type BaselineRecord,
} from "./store.js";
import { baselineListSchema, baselineSchema, driftCheckListSchema, driftCheckSchema } from "./schemas.js";
import { failureMessage } from "./worker.js";

/** The drift service's route collection (mounted by the Lambda host below and by the local server). */
export const driftRoutes = createRoutes();

/** Largest inline `records` payload (serialized JSON). */
export const maxInlineBytes = 5 * 1024 * 1024;

const s3UriSchema = z.string().max(1024).regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, "must be an s3://bucket/key URI");
const recordsSchema = z
  .array(z.record(z.string(), z.unknown()))
  .min(1)
  .max(500_000)
  .describe("inline rows: objects of feature → value (≤ 5 MB of JSON)");
const featureList = z.array(nameSchema).max(1000);
const thresholdsSchema = z
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

const modelParams = z.object({ model: nameSchema });
const baselineParams = z.object({ model: nameSchema, baselineId: z.string().regex(/^[0-9TZ]+-[0-9a-f]{6}$/, "must be a baseline id") });
const checkParams = z.object({ model: nameSchema, checkId: z.string().regex(/^[0-9TZ]+-[0-9a-f]{6}$/, "must be a check id") });

export const baselineBody = z
  .object({
    dataUri: s3UriSchema.optional(),
    records: recordsSchema.optional(),
    categorical: featureList.optional().describe("features to treat as categorical (others are inferred)"),
    features: featureList.optional().describe("only these features; for header-less data capture, the column names in order"),
    exclude: featureList.optional().describe("never these features (ids, labels, timestamps)"),
  })
  .strict()
  .refine((b) => (b.dataUri === undefined) !== (b.records === undefined), { message: "give exactly one of dataUri or records" });

export const checkBody = z
  .object({
    records: recordsSchema.optional(),
    dataUri: s3UriSchema.optional(),
    baselineId: z.string().regex(/^[0-9TZ]+-[0-9a-f]{6}$/, "must be a baseline id").optional(),
    thresholds: thresholdsSchema.optional(),
  })
  .strict()
  .refine((b) => (b.dataUri === undefined) !== (b.records === undefined), { message: "give exactly one of dataUri or records" });

const monitoringBody = z
  .object({
    dataCapturePrefix: s3UriSchema,
    schedule: z.enum(["hourly", "daily"]),
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

function checkInlineSize(c: { req: { header(name: string): string | undefined } }, records: unknown): void {
  const declared = Number(c.req.header("content-length") ?? "0");
  const size = declared > 0 ? declared : Buffer.byteLength(JSON.stringify(records));
  if (size > maxInlineBytes) throw new PayloadTooLargeError(`inline records exceed ${maxInlineBytes / (1024 * 1024)} MB; put the data in S3 and pass dataUri`);
}

// The worker's limit is 15 minutes (plus one retry after a crash); a job still open well after that died
// without recording it (timeout, out of memory). It is shown as failed rather than pending for ever.
const staleAfterMs = 35 * 60_000;
const staleMessage = "the drift worker did not finish (timeout or out of memory); see the worker's log";

function presentCheck<T extends { status: string; createdAt: string; error?: string }>(record: T, now = Date.now()): T {
  if ((record.status === "pending" || record.status === "running") && now - Date.parse(record.createdAt) > staleAfterMs) {
    return { ...record, status: "failed", error: staleMessage };
  }
  return record;
}

function presentBaseline<T extends { status: string; createdAt: string; error?: string }>(record: T, now = Date.now()): T {
  if (record.status === "building" && now - Date.parse(record.createdAt) > staleAfterMs) return { ...record, status: "failed", error: staleMessage };
  return record;
}

function validateThresholds(thresholds: Record<string, number | undefined> | undefined): void {
  // The core resolves (and validates) thresholds before comparing anything; an empty report costs nothing.
  if (thresholds) buildDriftReport({}, thresholds);
}

// ------------------------------------------------------------------------------------------------ baselines

driftRoutes.openapi(
  createRoute({
    method: "post",
    path: "/models/{model}/baselines",
    summary: "Create a baseline profile from inline records (ready at once) or S3 data (built asynchronously)",
    request: { params: modelParams, body: { required: true, content: { "application/json": { schema: baselineBody } } } },
    responses: { 201: json(baselineSchema, "baseline ready"), 202: json(baselineSchema, "baseline building"), ...errors, 413: json(errorSchema, "too large") },
  }),
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
      await putBaseline(record);
      try {
        await dispatchJob({ kind: "baseline", model, baselineId, requestId });
      } catch (err) {
        await finishBaseline(model, baselineId, { status: "failed", error: `could not start the worker: ${failureMessage(err)}` });
        throw err;
      }
      return c.json({ baselineId, model, status: "building", createdAt: record.createdAt, source: record.source }, 202);
    }
    checkInlineSize(c, body.records);
    const data = loadRecords(body.records!, { categorical: body.categorical, include: body.features, exclude: body.exclude });
    const profile = buildProfile(data.columns, { model, baselineId, createdAt: now.toISOString(), rows: data.rows, source: { kind: "inline" } });
    const profileUri = await putJson(profileKey(model, baselineId), profile);
    const features = profileKinds(profile);
    const readyAt = new Date().toISOString();
    await putBaseline({
      model,
      baselineId,
      status: "ready",
      createdAt: now.toISOString(),
      createdBy: caller,
      readyAt,
      source: { kind: "inline" },
      options,
      rows: data.rows,
      features,
      profileUri,
    });
    const active = await activateIfNone(model, baselineId, caller);
    await recordAudit({
      type: "drift.baseline_created",
      actor: caller,
      model,
      target: `models/${model}/baselines/${baselineId}`,
      after: { baselineId, rows: data.rows, features, profileUri, active },
      details: { source: "inline", warnings: data.warnings },
      requestId,
    });
    return c.json({ baselineId, model, status: "ready", active, rows: data.rows, features, profileUri, createdAt: now.toISOString(), readyAt, warnings: data.warnings }, 201);
  },
);

driftRoutes.openapi(
  createRoute({
    method: "get",
    path: "/models/{model}/baselines",
    summary: "List a model's baselines, newest first, with the active one marked",
    request: { params: modelParams },
    responses: { 200: json(baselineListSchema, "the baselines"), ...errors },
  }),
  async (c) => {
    const { model } = c.req.valid("param");
    const [baselines, activeBaselineId] = await Promise.all([listBaselines(model), getActiveBaselineId(model)]);
    return c.json({ model, activeBaselineId: activeBaselineId ?? null, baselines: baselines.map((b) => ({ ...presentBaseline(b), active: b.baselineId === activeBaselineId })) }, 200);
  },
);

driftRoutes.openapi(
  createRoute({
    method: "get",
    path: "/models/{model}/baselines/{baselineId}",
    summary: "One baseline: status, features, and its profile when ready",
    request: { params: baselineParams, query: z.object({ profile: z.enum(["true", "false"]).optional() }) },
    responses: { 200: json(baselineSchema, "the baseline (with `profile` when asked)"), ...errors },
  }),
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

driftRoutes.openapi(
  createRoute({
    method: "put",
    path: "/models/{model}/baselines/{baselineId}/activate",
    summary: "Make a ready baseline the model's active one",
    request: { params: baselineParams },
    responses: { 200: json(anyObject, "activated"), ...errors },
  }),
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

// --------------------------------------------------------------------------------------------------- checks

driftRoutes.openapi(
  createRoute({
    method: "post",
    path: "/models/{model}/drift-checks",
    summary: "Check data for drift: inline records answer with the report; S3 data answers 202 and runs asynchronously",
    request: { params: modelParams, body: { required: true, content: { "application/json": { schema: checkBody } } } },
    responses: { 201: json(driftCheckSchema, "check completed (inline records), with the report"), 202: json(driftCheckSchema, "check accepted (S3 data)"), ...errors, 413: json(errorSchema, "too large") },
  }),
  async (c) => {
    const { model } = c.req.valid("param");
    const body = c.req.valid("json");
    validateThresholds(body.thresholds);
    const caller = c.get("caller");
    const requestId = c.get("requestId");
    const now = new Date();
    const checkId = newId(now);
    if (body.dataUri !== undefined) {
      // Resolve the baseline now: a missing or unready baseline is the caller's error, answered at once.
      const { record } = await loadBaseline(model, body.baselineId);
      await putCheck({
        model,
        checkId,
        status: "pending",
        source: "s3",
        baselineId: record.baselineId,
        createdAt: now.toISOString(),
        createdBy: caller,
        dataUri: body.dataUri,
        thresholds: body.thresholds,
      });
      try {
        await dispatchJob({ kind: "check", model, checkId, requestId });
      } catch (err) {
        await updateCheck(model, checkId, { status: "failed", error: `could not start the worker: ${failureMessage(err)}` });
        throw err;
      }
      c.header("location", `/models/${model}/drift-checks/${checkId}`);
      return c.json({ checkId, model, status: "pending", baselineId: record.baselineId, dataUri: body.dataUri, createdAt: now.toISOString() }, 202);
    }
    checkInlineSize(c, body.records);
    const { record: baseline, profile } = await loadBaseline(model, body.baselineId);
    const data = loadRecords(body.records!, { kinds: profileKinds(profile), onlyKnown: true });
    const { record, stored } = await completeCheck(
      { model, checkId, source: "inline", baselineId: baseline.baselineId, createdAt: now.toISOString(), createdBy: caller, thresholds: body.thresholds, requestId },
      profile,
      data,
      false,
    );
    return c.json({ ...record, report: stored.report }, 201);
  },
);

driftRoutes.openapi(
  createRoute({
    method: "get",
    path: "/models/{model}/drift-checks",
    summary: "A model's drift checks, newest first (summaries)",
    request: { params: modelParams, query: z.object({ limit: z.string().optional() }) },
    responses: { 200: json(driftCheckListSchema, "the checks"), ...errors },
  }),
  async (c) => {
    const { model } = c.req.valid("param");
    const limit = intQuery(c.req.valid("query").limit, "limit", 20, 100);
    return c.json({ model, checks: (await listChecks(model, limit)).map((r) => presentCheck(r)) }, 200);
  },
);

driftRoutes.openapi(
  createRoute({
    method: "get",
    path: "/models/{model}/drift-checks/{checkId}",
    summary: "One check: its status, summary and, once completed, the full report",
    request: { params: checkParams },
    responses: { 200: json(driftCheckSchema, "the check"), ...errors },
  }),
  async (c) => {
    const { model, checkId } = c.req.valid("param");
    const record = await getCheck(model, checkId);
    if (!record) throw new NotFoundError(`model "${model}" has no drift check "${checkId}"`);
    if (record.status !== "completed") return c.json(presentCheck(record), 200);
    const stored = JSON.parse(await getText(reportKey(model, checkId))) as { report: unknown };
    return c.json({ ...record, report: stored.report }, 200);
  },
);

driftRoutes.openapi(
  createRoute({
    method: "get",
    path: "/models/{model}/drift-checks/{checkId}/report.html",
    summary: "A completed check's report as one self-contained HTML page: summary first, then per-feature histograms",
    request: { params: checkParams },
    responses: {
      200: { description: "the page (inline CSS and SVG, no script)", content: { "text/html": { schema: z.string() } } },
      ...errors,
    },
  }),
  async (c) => {
    const { model, checkId } = c.req.valid("param");
    const record = await getCheck(model, checkId);
    if (!record) throw new NotFoundError(`model "${model}" has no drift check "${checkId}"`);
    const shown = presentCheck(record);
    if (shown.status !== "completed") throw new ConflictError(`drift check "${checkId}" is ${shown.status}; its report exists once it is completed`);
    if (!record.reportHtmlUri) throw new NotFoundError(`drift check "${checkId}" was completed before HTML reports existed; its JSON report is at ${record.reportUri}`);
    const html = await getText(reportHtmlKey(model, checkId));
    // The page needs nothing from elsewhere; the policy keeps it that way in the browser.
    c.header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    c.header("content-type", "text/html; charset=utf-8");
    return c.body(html, 200);
  },
);

// ----------------------------------------------------------------------------------------------- monitoring

driftRoutes.openapi(
  createRoute({
    method: "put",
    path: "/models/{model}/monitoring",
    summary: "Set scheduled drift monitoring of a model's SageMaker data capture",
    request: { params: modelParams, body: { required: true, content: { "application/json": { schema: monitoringBody } } } },
    responses: { 200: json(anyObject, "the settings"), ...errors },
  }),
  async (c) => {
    const { model } = c.req.valid("param");
    const body = c.req.valid("json");
    validateThresholds(body.thresholds);
    parseS3Uri(body.dataCapturePrefix);
    const before = await getMonitoring(model);
    const saved = await putMonitoring({ model, ...body, updatedAt: new Date().toISOString(), updatedBy: c.get("caller") });
    await recordAudit({
      type: "drift.monitoring_updated",
      actor: c.get("caller"),
      model,
      target: `models/${model}/monitoring`,
      before: before ?? null,
      after: saved,
      requestId: c.get("requestId"),
    });
    return c.json(saved, 200);
  },
);

driftRoutes.openapi(
  createRoute({
    method: "get",
    path: "/models/{model}/monitoring",
    summary: "A model's drift monitoring settings and last run",
    request: { params: modelParams },
    responses: { 200: json(anyObject, "the settings"), ...errors },
  }),
  async (c) => {
    const { model } = c.req.valid("param");
    const settings = await getMonitoring(model);
    if (!settings) throw new NotFoundError(`model "${model}" has no drift monitoring settings`);
    return c.json(settings, 200);
  },
);

/** The drift Lambda's app. */
export const app = hostApp("drift", driftRoutes);
