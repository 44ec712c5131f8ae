/**
 * A batch posted with `scores` and no `actuals`: predictions whose labels are not known yet (binary, or
 * multiclass with per-class scores and `classes`). It has
 * no realized metrics; its rows are kept raw in S3 like any batch and as a score histogram for performance
 * estimation (estimation-store.ts), and its day is estimated at once (estimation.ts: alert, event, metric,
 * retraining on an estimated drop). The version's task is fixed (classification) as by any batch.
 */
import { recordAudit } from "../shared/audit.js";
import { checkBatchColumns, withClassScores, type CheckedColumns } from "../core/performance/batch-columns.js";
import { scoreHistogram } from "../core/performance/estimation-histogram.js";
import { ValidationError } from "../shared/errors.js";
import { putRawObject, rawBatchKey, deleteRawObject } from "./store/raw.js";
import { checkVersionTask } from "./batch-claim.js";
import { requireRegistered } from "../registry/index.js";
import { putScores } from "./store/estimation.js";
import { checkEstimatedDays } from "./estimation.js";
import { newBatchId } from "./record-batch.js";

/** What to record. */
export interface UnlabelledBatchInput {
  readonly model: string;
  readonly version: string;
  /** Checked columns (`unlabelledColumns`, or a `dataUri` object without an actual column). */
  readonly columns: CheckedColumns;
  /** What the raw record in S3 keeps besides the batch's identity: the inline rows, or the object's URI. */
  readonly raw: Record<string, unknown>;
  readonly timestamp?: string;
  readonly requestId: string;
  readonly caller: string;
}

/**
 * The checks of an inline unlabelled batch: a labelled batch's, the predictions standing in for the missing
 * actuals; with `classes`, the per-class scores' (`withClassScores`), kept unlabelled.
 */
export function unlabelledColumns(predictions: readonly unknown[], scores: readonly unknown[], classes?: readonly string[]): CheckedColumns {
  const names = { predictions: "body.predictions", actuals: "body.predictions", scores: "body.scores" };
  if (classes === undefined) return checkBatchColumns("classification", predictions, predictions, scores, names);
  return withClassScores("classification", predictions, undefined, scores, classes, names);
}

/** Records an unlabelled scored batch and estimates its day. */
export async function recordUnlabelledBatch(input: UnlabelledBatchInput) {
  const { model, version, columns } = input;
  if (columns.task !== "classification" || (!columns.scores && !columns.multiclass)) throw new ValidationError("body.scores: required for a batch without actuals");
  const received = new Date();
  const receivedAt = received.toISOString();
  const timestamp = input.timestamp ? new Date(input.timestamp).toISOString() : receivedAt;
  const batchId = newBatchId(received);
  const day = timestamp.slice(0, 10);
  const histogram = columns.multiclass ?? scoreHistogram(columns.scores as Float64Array, columns.predicted);

  await requireRegistered(model, version);
  await checkVersionTask(model, version, "classification");
  const rawKey = rawBatchKey(model, version, day, batchId);
  let rawUri: string;
  try {
    rawUri = await putRawObject(rawKey, {
      batchId, model, version, task: "classification", source: "batch", labelled: false, timestamp, receivedAt,
      requestId: input.requestId, caller: input.caller, ...input.raw,
    });
    await putScores({ id: batchId, model, version, source: "batch", timestamp, count: columns.count, byDay: { [day]: histogram }, rawUri, caller: input.caller, requestId: input.requestId });
  } catch (err) {
    // Nothing half-written: the raw rows go (when they were written) and the task claim is released.
    await deleteRawObject(rawKey).catch(() => undefined);
    throw err;
  }
  const estimation = await checkEstimatedDays(model, version, [day], { id: batchId, description: `unlabelled batch ${batchId} (${columns.count} rows)` }, input);
  await recordAudit({
    type: "performance.unlabelled_batch_recorded",
    actor: input.caller,
    model,
    version,
    target: `models/${model}/versions/${version}/batches/${batchId}`,
    after: { batchId, count: columns.count, timestamp, rawUri, labelled: false },
    details: { estimation: { checked: estimation.checked, reason: estimation.reason ?? null, drop: estimation.drop, alert: estimation.alert, event: estimation.event, retraining: estimation.retraining } },
    requestId: input.requestId,
  });
  return { batchId, model, version, task: "classification" as const, source: "batch" as const, labelled: false, timestamp, receivedAt, count: columns.count, rawUri, estimation, warnings: estimation.warnings };
}
