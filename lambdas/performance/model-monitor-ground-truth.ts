/**
 * `POST /models/{model}/ground-truth` with `format: "model_monitor"`: ground truth and data capture in
 * SageMaker's files (model-monitor-join.ts) joined and recorded as one batch of the given version, source
 * `ground_truth` — the same metrics, degradation rule, alerts and reports as any batch.
 */
import { recordAudit } from "../shared/audit.js";
import { UnprocessableError } from "../shared/errors.js";
import { checkBatchColumns } from "../core/performance/batch-columns.js";
import type { PerformanceThresholds } from "../core/performance/thresholds.js";
import type { RequestContext } from "./ground-truth.js";
import type { JoinResult } from "./model-monitor-join.js";
import { recordBatch } from "./record-batch.js";

/** What a Model Monitor join is recorded as: the version, task and thresholds, and where the files were. */
export interface ModelMonitorJoinSpec {
  readonly dataUri: string;
  readonly captureUri: string;
  readonly version: string;
  readonly task?: "classification" | "regression";
  readonly probabilityThreshold?: number;
  readonly thresholds?: Partial<PerformanceThresholds>;
}

/**
 * Records a join as one batch of the spec's version (source `ground_truth`) and audits it.
 * @throws {UnprocessableError} when nothing matched, or the joined records cannot be evaluated
 */
export async function recordModelMonitorJoin(model: string, spec: ModelMonitorJoinSpec, join: JoinResult & { scores?: number[] }, ctx: RequestContext) {
  const { dataUri, captureUri, version } = spec;
  const task = spec.task ?? "classification";
  if (join.report.matched === 0) {
    throw new UnprocessableError(
      `no ground truth record matches a captured prediction (${join.report.groundTruthRecords} ground truth, ${join.report.captureRecords} captured; ids are matched by the capture's inferenceId, else its eventId)`,
    );
  }
  const binary = join.actuals.every((a) => a === 0 || a === 1);
  let columns;
  try {
    columns = checkBatchColumns(task, join.predictions, join.actuals, join.scores && binary ? join.scores : undefined);
  } catch (err) {
    throw new UnprocessableError(`the joined records cannot be evaluated: ${(err as Error).message}`, { cause: err });
  }
  const batch = await recordBatch({
    model,
    version,
    source: "ground_truth",
    columns,
    ...(join.latestInferenceTime && Date.parse(join.latestInferenceTime) <= Date.now() + 3_600_000 ? { timestamp: new Date(join.latestInferenceTime).toISOString() } : {}),
    raw: {
      format: "model_monitor",
      dataUri,
      captureUri,
      probabilityThreshold: spec.probabilityThreshold,
      join: join.report,
      records: join.ids.map((id, i) => ({ id, prediction: join.predictions[i], ...(join.scores ? { score: join.scores[i] } : {}), actual: join.actuals[i] })),
    },
    thresholds: spec.thresholds,
    requestId: ctx.requestId,
    caller: ctx.caller,
  });
  await recordAudit({
    type: "performance.ground_truth_joined",
    actor: ctx.caller,
    model,
    version,
    target: `models/${model}/ground-truth`,
    after: { format: "model_monitor", dataUri, captureUri, matched: join.report.matched, unmatchedGroundTruth: join.report.unmatchedGroundTruth.count, unmatchedCaptures: join.report.unmatchedCaptures.count, batchId: batch.batchId },
    requestId: ctx.requestId,
  });
  return { model, version, format: "model_monitor" as const, join: join.report, batch };
}
