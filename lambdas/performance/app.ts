/**
 * The performance service's app: the handlers of prediction batches, delayed ground truth, per-model
 * thresholds, the performance report (window metrics, per-day aggregates, trend, worst batches) and
 * version comparison, bound to its contract (contract.ts).
 */
import { createRoutes, hostApp, intQuery } from "../shared/http.js";
import { recordAudit } from "../shared/audit.js";
import { UnprocessableError, ValidationError } from "../shared/errors.js";
import { semverPattern } from "../core/lifecycle/semver.js";
import { checkBatchColumns } from "../core/performance/batch-columns.js";
import { checkGroups, mergedGroupsWarning } from "../core/performance/fairness.js";
import { checkLatencies } from "../core/performance/latency.js";
import { defaultPerformanceThresholds, mergeThresholds, type PerformanceThresholds } from "../core/performance/thresholds.js";
import { buildPerformanceReport, compareVersions, type ReportBatch } from "../core/performance/report.js";
import { metricDirection, type Task } from "../core/performance/metric-names.js";
import { choosePrimaryMetric, recordBatch, resolveBaseline } from "./record-batch.js";
import { checkNotFuture, joinGroundTruth, logPredictions } from "./ground-truth.js";
import { joinModelMonitorGroundTruth } from "./model-monitor-ground-truth.js";
import { readBatchObject } from "./data-uri.js";
import { deleteBatch } from "./delete-batch.js";
import { getStoredThresholds, putStoredThresholds, queryBatches, type StoredBatch } from "./store.js";
import { requireRegistered, requireRegisteredVersions } from "../registry/index.js";
import { performanceContract } from "./contract.js";
import { bindEstimationRoutes } from "./estimation-routes.js";

/** The performance service's route collection (mounted by the Lambda host below and by the local server). */
export const performanceRoutes = createRoutes();

const dayMs = 86_400_000;

performanceRoutes.openapi(
  performanceContract.routes.recordBatch,
  async (c) => {
    const { model, version } = c.req.valid("param");
    const b = c.req.valid("json");
    checkNotFuture(b.timestamp, "body.timestamp");
    if (b.dataUri === undefined && b.actuals === undefined && b.scores !== undefined) {
      // Labels not known yet: kept for performance estimation (unlabelled-batch.ts).
      if (b.features !== undefined) checkFeatures(b.features, b.predictions?.length ?? 0);
      // Estimation loads with its first use: it stays out of the function's cold start (lib/bundles.ts budgets).
      const { recordUnlabelledBatch } = await import("./unlabelled-batch.js");
      const out = await recordUnlabelledBatch({ model, version, predictions: b.predictions ?? [], scores: b.scores, features: b.features, timestamp: b.timestamp, requestId: c.get("requestId"), caller: c.get("caller") });
      return c.json(out, 201);
    }
    let columns;
    let raw: Record<string, unknown>;
    let groups: string[] | undefined;
    let latencies: Float64Array | undefined;
    if (b.dataUri !== undefined) {
      const read = await readBatchObject(b.dataUri, b.task, b.format, b.columns);
      columns = read.columns;
      raw = { dataUri: b.dataUri, format: read.format, columns: read.columnNames, rows: read.rows, objects: read.objects };
    } else {
      columns = checkBatchColumns(b.task, b.predictions ?? [], b.actuals ?? [], b.scores, { predictions: "body.predictions", actuals: "body.actuals", scores: "body.scores" });
      if (b.features !== undefined) checkFeatures(b.features, columns.count);
      if (b.groups !== undefined) {
        if (columns.task !== "classification") throw new ValidationError("body.groups: only for task classification (fairness compares who is predicted positive)");
        groups = checkGroups(b.groups, columns, "body.groups");
      }
      if (b.latenciesMs !== undefined) latencies = checkLatencies(b.latenciesMs, columns.count, "body.latenciesMs");
      raw = { predictions: b.predictions, actuals: b.actuals, scores: b.scores, features: b.features, groups: b.groups, latenciesMs: b.latenciesMs };
    }
    const recorded = await recordBatch({
      model,
      version,
      source: "batch",
      columns,
      timestamp: b.timestamp,
      raw,
      baseline: b.baseline,
      thresholds: b.thresholds as Partial<PerformanceThresholds> | undefined,
      groups,
      latencies,
      requestId: c.get("requestId"),
      caller: c.get("caller"),
    });
    const merged = b.groups === undefined ? undefined : mergedGroupsWarning(b.groups, "body.groups");
    if (merged !== undefined) recorded.warnings.push(merged);
    return c.json(recorded, 201);
  },
);

/** Feature columns (or rows) must match the batch's length. */
function checkFeatures(features: Record<string, unknown[]> | Array<Record<string, unknown>>, n: number): void {
  if (Array.isArray(features)) {
    if (features.length !== n) throw new ValidationError(`body.features has ${features.length} rows but body.predictions has ${n}`);
    return;
  }
  const names = Object.keys(features);
  if (names.length > 500) throw new ValidationError("body.features: at most 500 features");
  for (const name of names) {
    if (features[name].length !== n) throw new ValidationError(`body.features.${name} has ${features[name].length} rows but body.predictions has ${n}`);
  }
}

performanceRoutes.openapi(
  performanceContract.routes.deleteBatch,
  async (c) => {
    const { model, version, batchId } = c.req.valid("param");
    const out = await deleteBatch(model, version, batchId, { caller: c.get("caller"), requestId: c.get("requestId") });
    return c.json(out, 200);
  },
);

performanceRoutes.openapi(
  performanceContract.routes.logPredictions,
  async (c) => {
    const { model, version } = c.req.valid("param");
    await requireRegistered(model, version);
    const out = await logPredictions(model, version, c.req.valid("json"), { requestId: c.get("requestId"), caller: c.get("caller") });
    return c.json(out, 201);
  },
);

performanceRoutes.openapi(
  performanceContract.routes.recordGroundTruth,
  async (c) => {
    const { model } = c.req.valid("param");
    await requireRegistered(model);
    const body = c.req.valid("json");
    const ctx = { requestId: c.get("requestId"), caller: c.get("caller") };
    if (body.format === "model_monitor") return c.json(await joinModelMonitorGroundTruth(model, body, ctx), 200);
    const out = await joinGroundTruth(model, { ...body, records: body.records ?? [] }, ctx);
    return c.json(out, 200);
  },
);

performanceRoutes.openapi(
  performanceContract.routes.getPerformanceThresholds,
  async (c) => {
    const { model } = c.req.valid("param");
    await requireRegistered(model);
    const stored = await getStoredThresholds(model);
    return c.json(
      {
        model,
        thresholds: mergeThresholds(stored?.thresholds),
        stored: stored?.thresholds ?? null,
        defaults: defaultPerformanceThresholds,
        updatedAt: stored?.updatedAt ?? null,
        updatedBy: stored?.updatedBy ?? null,
      },
      200,
    );
  },
);

performanceRoutes.openapi(
  performanceContract.routes.setPerformanceThresholds,
  async (c) => {
    const { model } = c.req.valid("param");
    const given = c.req.valid("json") as Partial<PerformanceThresholds>;
    const effective = mergeThresholds(given);
    await requireRegistered(model);
    const before = await putStoredThresholds(model, given, c.get("caller"));
    await recordAudit({
      type: "performance.thresholds_updated",
      actor: c.get("caller"),
      model,
      target: `models/${model}/performance/thresholds`,
      before: before ?? null,
      after: given,
      requestId: c.get("requestId"),
    });
    return c.json({ model, thresholds: effective, stored: given }, 200);
  },
);

/** The task of a window's batches. @throws UnprocessableError when they mix regression and classification */
function taskOf(batches: readonly StoredBatch[], hint: string): Task | undefined {
  const tasks = new Set(batches.map((b) => b.task));
  if (tasks.size > 1) {
    const counts = [...tasks].map((t) => `${t}: ${batches.filter((b) => b.task === t).length}`).join(", ");
    throw new UnprocessableError(`the window holds batches of more than one task (${counts}); ${hint}`);
  }
  return batches[0]?.task;
}

const toReportBatch = (b: StoredBatch): ReportBatch => ({
  batchId: b.batchId,
  version: b.version,
  task: b.task,
  source: b.source,
  timestamp: b.timestamp,
  count: b.count,
  stats: b.stats,
  metrics: b.metrics,
  fairness: b.fairness ?? null,
  latency: b.latency ?? null,
});

performanceRoutes.openapi(
  performanceContract.routes.performanceReport,
  async (c) => {
    const { model } = c.req.valid("param");
    const q = c.req.valid("query");
    const days = intQuery(q.days, "days", 30, 365);
    const to = new Date();
    const from = new Date(to.getTime() - days * dayMs);
    const registered = await requireRegistered(model, q.version);
    const [{ batches, truncated }, stored] = await Promise.all([
      queryBatches(model, from.toISOString(), to.toISOString(), q.version ? [q.version] : undefined),
      getStoredThresholds(model),
    ]);
    const baseline = resolveBaseline(registered, undefined);
    const task = taskOf(batches, "ask for one version with ?version=");
    const thresholds = mergeThresholds(stored?.thresholds);
    const primaryMetric = choosePrimaryMetric(task ?? "regression", thresholds, baseline.registeredPrimary);
    const report = buildPerformanceReport(batches.map(toReportBatch), primaryMetric, from.getTime());
    // Estimation is per version and for classification (a regression version has nothing to estimate).
    const estimated = q.version && task !== "regression" ? await (await import("./estimation.js")).estimatedSection(model, q.version, from.toISOString(), to.toISOString(), batches) : null;
    return c.json(
      {
        model,
        version: q.version ?? null,
        days,
        from: from.toISOString(),
        to: to.toISOString(),
        ...report,
        baseline: baseline.source && baseline.raw ? { source: baseline.source, metrics: baseline.raw } : null,
        estimated,
        truncated,
      },
      200,
    );
  },
);

performanceRoutes.openapi(
  performanceContract.routes.comparePerformance,
  async (c) => {
    const { model } = c.req.valid("param");
    const q = c.req.valid("query");
    const versions = q.versions.split(",").map((v) => v.trim()).filter((v) => v !== "");
    const bad = versions.filter((v) => !semverPattern.test(v));
    if (bad.length > 0) throw new ValidationError(`query.versions: ${bad.slice(0, 3).map((v) => JSON.stringify(v)).join(", ")} is not a semantic version major.minor.patch`);
    if (new Set(versions).size !== versions.length) throw new ValidationError("query.versions: a version is listed twice");
    if (versions.length < 2 || versions.length > 10) throw new ValidationError("query.versions: give two to ten versions, comma-separated");
    const days = intQuery(q.days, "days", 30, 365);
    const to = new Date();
    const from = new Date(to.getTime() - days * dayMs);
    const registered = await requireRegisteredVersions(model, versions);
    const [{ batches, truncated }, stored] = await Promise.all([queryBatches(model, from.toISOString(), to.toISOString(), versions), getStoredThresholds(model)]);
    const task = taskOf(batches, "compare versions of one task");
    const primaryMetric = choosePrimaryMetric(task ?? "regression", mergeThresholds(stored?.thresholds), registered.primaryMetric);
    const comparison = compareVersions(versions, batches.map(toReportBatch), primaryMetric);
    return c.json(
      { model, days, from: from.toISOString(), to: to.toISOString(), task: task ?? null, primaryMetric, better: metricDirection[primaryMetric], ...comparison, truncated },
      200,
    );
  },
);

bindEstimationRoutes(performanceRoutes);

/** The performance Lambda's app. */
export const app = hostApp("performance", performanceRoutes);
