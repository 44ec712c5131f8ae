/**
 * Deleting a mistaken batch: its summary (so reports recover at once), its raw rows in S3, and — for a
 * batch made by a ground-truth post — the joins of its records, so their actuals can be posted again.
 * When the version has no batch left its task is released — in the transaction that deletes the last
 * summary, conditional on the version's batch count (batch-claim.ts), so a batch arriving meanwhile keeps it.
 * A batch's entry in the estimation track record goes with it. Audited with the batch's summary as `before`. An unlabelled batch (scores without actuals, kept for
 * performance estimation) has no summary and no task claim: its scored rows and its raw rows go, and the
 * days it was in are estimated without it from then on. A batch of an unregistered version that was recorded before
 * performance data required registration can still be deleted; otherwise an unknown model or version is a
 * 404 naming which.
 *
 * Order: the raw rows are read first (a ground-truth batch's record ids live there), then the joins are
 * undone, then the summary goes (the step that makes the batch disappear), then the raw object. A failure
 * before the summary's deletion leaves the batch in place (retry the DELETE); after it, the remaining
 * clean-up failures are logged by key and answered as `warnings`.
 */
import { recordAudit } from "../shared/audit.js";
import { NotFoundError } from "../shared/errors.js";
import { serviceLogger } from "../shared/logger.js";
import { deleteRawObject, getRawObject, rawBatchKey } from "./store/raw.js";
import { findBatch } from "./store/batches.js";
import { mapLimit } from "../shared/map-limit.js";
import { undoJoin } from "./store/predictions.js";
import { deleteBatchWithClaim } from "./batch-claim.js";
import { requireRegistered } from "../registry/index.js";
import { deleteScores, findUnlabelledBatch, type StoredScores } from "./store/estimation.js";
import { deleteRecordEntry } from "./store/estimation-record.js";

const logger = serviceLogger("performance");

/** What a deletion did. */
export interface DeletedBatch {
  readonly model: string;
  readonly version: string;
  readonly batchId: string;
  readonly task: string;
  readonly source: string;
  readonly count: number;
  readonly deleted: true;
  readonly rawDeleted: boolean;
  /** Ground-truth batches: the records whose join was undone (their actuals may be posted again). */
  readonly joinsUndone: number;
  /** True when this was the version's last batch and its task was released. */
  readonly taskReleased: boolean;
  readonly warnings: string[];
}

/** Deletes one batch of a version. @throws NotFoundError when the version has no such batch */
export async function deleteBatch(model: string, version: string, batchId: string, actor: { caller: string; requestId: string }): Promise<DeletedBatch> {
  const batch = await findBatch(model, version, batchId);
  if (!batch) {
    const unlabelled = await findUnlabelledBatch(model, version, batchId);
    if (unlabelled) return deleteUnlabelledBatch(unlabelled, actor);
    await requireRegistered(model, version);
    throw new NotFoundError(`version ${version} of model ${model} has no batch ${batchId}`);
  }
  const rawKey = rawBatchKey(model, version, batch.timestamp.slice(0, 10), batchId);
  const warnings: string[] = [];

  let joinsUndone = 0;
  if (batch.source === "ground_truth") {
    const raw = await getRawObject(rawKey);
    const joinId = typeof raw?.joinId === "string" ? raw.joinId : undefined;
    const ids = Array.isArray(raw?.records) ? (raw.records as Array<{ id?: unknown }>).map((r) => r.id).filter((id): id is string => typeof id === "string") : [];
    if (joinId) {
      await mapLimit(ids, 16, (id) => undoJoin(model, id, joinId));
      joinsUndone = ids.length;
    } else {
      warnings.push("the raw rows of this ground-truth batch are gone; its records stay joined");
    }
  }

  const { deleted, taskReleased } = await deleteBatchWithClaim(batch);
  if (!deleted) throw new NotFoundError(`version ${version} of model ${model} has no batch ${batchId} (deleted concurrently)`);

  try {
    // Its place in the estimation track record goes with it (most batches have none: a no-op).
    await deleteRecordEntry(model, version, batchId);
  } catch (err) {
    logger.error("removing a deleted batch's estimation track record entry failed", { requestId: actor.requestId, batchId, error: err as Error });
    warnings.push("the batch's entry in the estimation track record was not removed");
  }

  return removeRawAndAudit(
    { model, version, batchId, task: batch.task, source: batch.source, count: batch.count, joinsUndone, taskReleased, warnings },
    rawKey,
    { batchId, task: batch.task, source: batch.source, count: batch.count, timestamp: batch.timestamp, rawUri: batch.rawUri, metrics: batch.metrics },
    actor,
  );
}

/** Deletes an unlabelled batch: its scored rows (the step that makes it disappear), then its raw rows. */
async function deleteUnlabelledBatch(item: StoredScores, actor: { caller: string; requestId: string }): Promise<DeletedBatch> {
  const { model, version, id: batchId } = item;
  if (!(await deleteScores(item))) throw new NotFoundError(`version ${version} of model ${model} has no batch ${batchId} (deleted concurrently)`);
  return removeRawAndAudit(
    { model, version, batchId, task: "classification", source: "batch", count: item.count, joinsUndone: 0, taskReleased: false, warnings: [] },
    rawBatchKey(model, version, item.timestamp.slice(0, 10), batchId),
    { batchId, task: "classification", source: item.source, labelled: false, count: item.count, timestamp: item.timestamp, rawUri: item.rawUri },
    actor,
  );
}

/**
 * The last steps of both deletions, once the batch is gone: its raw rows (a failure is logged by key and
 * answered as a warning: they expire anyway), the audit with the batch as `before`, the answer.
 */
async function removeRawAndAudit(
  done: Omit<DeletedBatch, "deleted" | "rawDeleted">,
  rawKey: string,
  before: Record<string, unknown>,
  actor: { caller: string; requestId: string },
): Promise<DeletedBatch> {
  const { model, version, batchId, task, source, count, joinsUndone, taskReleased, warnings } = done;
  let rawDeleted = true;
  try {
    await deleteRawObject(rawKey);
  } catch (err) {
    rawDeleted = false;
    logger.error("removing the raw rows of a deleted batch failed", { requestId: actor.requestId, batchId, rawKey, error: err as Error });
    warnings.push("the raw rows were not removed from S3; they expire with the batches/ lifecycle rule");
  }
  await recordAudit({
    type: "performance.batch_deleted",
    actor: actor.caller,
    model,
    version,
    target: `models/${model}/versions/${version}/batches/${batchId}`,
    before,
    after: null,
    details: { rawDeleted, joinsUndone, taskReleased },
    requestId: actor.requestId,
  });
  return { model, version, batchId, task, source, count, deleted: true, rawDeleted, joinsUndone, taskReleased, warnings };
}
