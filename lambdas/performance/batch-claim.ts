/**
 * A version's batch summaries and its task claim, written together. The claim item (one per version) fixes
 * the task of the version's batches and counts them (`batchCount`); every batch put and delete changes the
 * count in the same TransactWriteItems as the summary, and the delete of the last batch removes the claim in
 * that same transaction, conditional on the count being exactly one. So the claim exists exactly while the
 * version has batches, and a batch of another task can never be accepted beside existing ones, however
 * POSTs and DELETEs interleave (a read that decided "last batch" is re-checked by the condition).
 *
 * Claims written before the count existed (no `batchCount`) are counted once, on the first write that meets
 * them: every writer here requires the count, so nothing changes the version's batches while it is counted.
 */
import { ConflictError } from "../shared/errors.js";
import type { Task } from "../core/performance/metric-names.js";
import type { StoredBatch } from "./store/batches.js";
import { batchSummaryDelete, batchSummaryPut, claimCountDown, claimCountUp, claimRelease, countLegacyClaim, readClaim, transactClaim as transact, type Claim } from "./store/task-claims.js";

/** How often a write whose condition lost a race is re-decided before answering 409 "retry". */
const maxAttempts = 6;

/** A hook between reading a claim and writing on that reading; tests use it to force an interleaving. */
let afterClaimRead: ((op: "delete", model: string, version: string) => Promise<void>) | undefined;

/** Sets the hook run after a claim is read and before the write decided on it (tests only). */
export function setClaimReadHook(hook: typeof afterClaimRead): void {
  afterClaimRead = hook;
}

function taskConflict(model: string, version: string, claim: Claim, task: Task): ConflictError {
  return new ConflictError(
    `version ${version} of model ${model} records ${claim.task} batches (fixed by its first batch, ${claim.firstBatchId}); this batch is ${task}: ` +
      `record it on another version, or delete the mistaken ${claim.task} batches first (DELETE /models/${model}/versions/${version}/batches/{batchId})`,
  );
}

/**
 * Refuses a batch of another task than the version's before anything is written (the transaction in
 * {@link putBatchWithClaim} is what guarantees it; this only spares the raw write of a doomed batch).
 * @throws ConflictError naming both tasks
 */
export async function checkVersionTask(model: string, version: string, task: Task): Promise<void> {
  const claim = await readClaim(model, version);
  if (claim && claim.task !== task) throw taskConflict(model, version, claim, task);
}

/**
 * Stores a batch summary and counts it on its version's task claim (creating the claim for a first batch),
 * in one transaction: the claim's condition (no claim, or a counted claim of the same task) is checked
 * against the state the write commits on.
 * @throws ConflictError naming both tasks when the version's batches are of another task
 */
export async function putBatchWithClaim(batch: StoredBatch): Promise<void> {
  const { model, version, task, batchId } = batch;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const codes = await transact([claimCountUp(batch), batchSummaryPut(batch)]);
    if (!codes) return;
    if (codes[1] === "ConditionalCheckFailed") throw new ConflictError(`batch id ${batchId} is already used; retry`);
    const claim = await readClaim(model, version);
    if (claim && claim.task !== task) throw taskConflict(model, version, claim, task);
    if (claim && claim.batchCount === undefined) await countLegacyClaim(model, version);
    // Otherwise the claim changed between the condition and this read (released, or a concurrent transaction): decide again.
  }
  throw new ConflictError(`the batches of version ${version} of model ${model} are changing concurrently; retry`);
}

/**
 * Deletes a batch summary and uncounts it; when it is the version's last batch, the claim goes in the same
 * transaction (conditional on the count being one), releasing the task.
 * @returns whether the summary was deleted (false: already gone) and whether the task was released
 */
export async function deleteBatchWithClaim(batch: StoredBatch): Promise<{ deleted: boolean; taskReleased: boolean }> {
  const { model, version, task } = batch;
  const summary = batchSummaryDelete(batch);
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const claim = await readClaim(model, version);
    await afterClaimRead?.("delete", model, version);
    if (claim && claim.task === task && claim.batchCount === undefined) {
      await countLegacyClaim(model, version);
      continue;
    }
    if (!claim || claim.task !== task) {
      // No counted claim covers this batch (written before claims existed): the summary goes alone.
      const codes = await transact([summary]);
      return { deleted: !codes, taskReleased: false };
    }
    const last = claim.batchCount === 1;
    const codes = await transact([summary, last ? claimRelease(model, version, task) : claimCountDown(model, version, task)]);
    if (!codes) return { deleted: true, taskReleased: last };
    if (codes[0] === "ConditionalCheckFailed") return { deleted: false, taskReleased: false };
    // The count moved since it was read (a batch arrived or went): read it again and decide again.
  }
  throw new ConflictError(`the batches of version ${version} of model ${model} are changing concurrently; retry the delete`);
}
