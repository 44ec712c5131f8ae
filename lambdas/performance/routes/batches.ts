/**
 * `POST …/versions/{version}/batches` (a labelled batch, inline or from S3, or an unlabelled one kept for
 * estimation) and `DELETE …/batches/{batchId}`.
 */
import { ValidationError } from "../../shared/errors.js";
import type { Routes } from "../../shared/http.js";
import { checkBatchColumns, withClassScores } from "../../core/performance/batch-columns.js";
import { checkGroups, mergedGroupsWarning } from "../../core/performance/fairness.js";
import { checkLatencies } from "../../core/performance/latency.js";
import { scoresByDayOf } from "../../core/performance/estimation-histogram.js";
import type { PerformanceThresholds } from "../../core/performance/thresholds.js";
import { performanceContract } from "../contract.js";
import { readBatchObject } from "../data-uri.js";
import { deleteBatch } from "../delete-batch.js";
import { checkNotFuture } from "../ground-truth.js";
import { recordBatch } from "../record-batch.js";

/** Adds the batch routes. */
export function addBatchRoutes(routes: Routes): void {
  routes.openapi(
    performanceContract.routes.recordBatch,
    async (c) => {
      const { model, version } = c.req.valid("param");
      const b = c.req.valid("json");
      checkNotFuture(b.timestamp, "body.timestamp");
      if (b.dataUri === undefined && b.actuals === undefined && b.scores !== undefined) {
        // Labels not known yet: kept for performance estimation (unlabelled-batch.ts).
        if (b.features !== undefined) checkFeatures(b.features, b.predictions?.length ?? 0);
        // Estimation loads with its first use: it stays out of the function's cold start (lib/bundles.ts budgets).
        const { recordUnlabelledBatch, unlabelledColumns } = await import("../unlabelled-batch.js");
        const columns = unlabelledColumns(b.predictions ?? [], b.scores, b.classes);
        const raw = { predictions: b.predictions, scores: b.scores, ...(b.classes ? { classes: b.classes } : {}), features: b.features };
        const out = await recordUnlabelledBatch({ model, version, columns, raw, timestamp: b.timestamp, requestId: c.get("requestId"), caller: c.get("caller") });
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
        if (!read.labelled) {
          // Scores without actuals in the object: kept for performance estimation, like an inline one.
          for (const field of ["baseline", "thresholds"] as const) {
            if (b[field] !== undefined) throw new ValidationError(`body.${field}: only for a batch with actuals (${b.dataUri} has no actual column: it is estimated, not judged)`);
          }
          const { recordUnlabelledBatch } = await import("../unlabelled-batch.js");
          const out = await recordUnlabelledBatch({ model, version, columns, raw, timestamp: b.timestamp, requestId: c.get("requestId"), caller: c.get("caller") });
          return c.json(out, 201);
        }
      } else {
        const names = { predictions: "body.predictions", actuals: "body.actuals", scores: "body.scores" };
        columns = b.classes === undefined ? checkBatchColumns(b.task, b.predictions ?? [], b.actuals ?? [], b.scores, names) : withClassScores(b.task, b.predictions ?? [], b.actuals ?? [], b.scores ?? [], b.classes, names);
        if (b.features !== undefined) checkFeatures(b.features, columns.count);
        if (b.groups !== undefined) {
          if (columns.task !== "classification") throw new ValidationError("body.groups: only for task classification (fairness compares who is predicted positive)");
          groups = checkGroups(b.groups, columns, "body.groups");
        }
        if (b.latenciesMs !== undefined) latencies = checkLatencies(b.latenciesMs, columns.count, "body.latenciesMs");
        raw = { predictions: b.predictions, actuals: b.actuals, scores: b.scores, ...(b.classes ? { classes: b.classes } : {}), features: b.features, groups: b.groups, latenciesMs: b.latenciesMs };
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
      const scoresByDay = scoresByDayOf(columns, recorded.timestamp);
      if (scoresByDay) {
        // Labels for rows outside a stored estimation reference: the version's track record learns from them.
        const { recordTrackRecord } = await import("../estimation.js");
        const outcome = await recordTrackRecord(model, { batchId: recorded.batchId, version, source: "batch", timestamp: recorded.timestamp, scoresByDay }, { requestId: c.get("requestId") });
        recorded.warnings.push(...outcome.warnings);
        if (outcome.recorded) return c.json({ ...recorded, trackRecord: { recorded: true, windows: outcome.windows } }, 201);
      }
      return c.json(recorded, 201);
    },
  );

  routes.openapi(
    performanceContract.routes.deleteBatch,
    async (c) => {
      const { model, version, batchId } = c.req.valid("param");
      const out = await deleteBatch(model, version, batchId, { caller: c.get("caller"), requestId: c.get("requestId") });
      return c.json(out, 200);
    },
  );
}

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
