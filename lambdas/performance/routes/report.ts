/**
 * `GET /models/{model}/performance` (the report over a window, with the estimated section for a
 * classification version) and `GET …/performance/compare` (versions side by side).
 */
import { UnprocessableError, ValidationError } from "../../shared/errors.js";
import { intQuery, type Routes } from "../../shared/http.js";
import { semverPattern } from "../../core/lifecycle/semver.js";
import { mergeThresholds } from "../../core/performance/thresholds.js";
import { buildPerformanceReport, compareVersions, type ReportBatch } from "../../core/performance/report.js";
import { metricDirection, type Task } from "../../core/performance/metric-names.js";
import { requireRegistered, requireRegisteredVersions } from "../../registry/index.js";
import { performanceContract } from "../contract.js";
import { choosePrimaryMetric, resolveBaseline } from "../record-batch.js";
import { queryBatches, type StoredBatch } from "../store/batches.js";
import { getStoredThresholds } from "../store/thresholds.js";

const dayMs = 86_400_000;

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

/** Adds the report and comparison routes. */
export function addReportRoutes(routes: Routes): void {
  routes.openapi(
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
      const estimated = q.version && task !== "regression" ? await (await import("../estimation.js")).estimatedSection(model, q.version, from.toISOString(), to.toISOString(), batches) : null;
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

  routes.openapi(
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
}
