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
import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { ConflictError } from "../shared/errors.js";
import { resourceNames } from "../shared/env.js";
import { keys } from "../shared/table.js";
import { padSemver } from "../core/lifecycle/semver.js";
import type { Task } from "../core/performance/metric-names.js";
import { sendConditional } from "../shared/conditional-write.js";
import { loadDynamo } from "../shared/sdk/dynamodb.js";
import type { StoredBatch } from "./store/batches.js";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** A version's task claim as stored. */
interface Claim {
  readonly task: Task;
  readonly firstBatchId: string;
  /** Absent on claims written before batches were counted. */
  readonly batchCount?: number;
}

/** How often a write whose condition lost a race is re-decided before answering 409 "retry". */
const maxAttempts = 6;

/** A hook between reading a claim and writing on that reading; tests use it to force an interleaving. */
let afterClaimRead: ((op: "delete", model: string, version: string) => Promise<void>) | undefined;

/** Sets the hook run after a claim is read and before the write decided on it (tests only). */
export function setClaimReadHook(hook: typeof afterClaimRead): void {
  afterClaimRead = hook;
}

const claimKey = (model: string, version: string) => keys.performanceTask(model, padSemver(version));

async function readClaim(model: string, version: string): Promise<Claim | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(new GetCommand({ TableName: resourceNames().table, Key: claimKey(model, version), ConsistentRead: true }));
  return res.Item as Claim | undefined;
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

/** Runs a transaction; the per-item cancellation codes when a condition failed, anything else thrown. */
async function transact(items: TransactItem[]): Promise<string[] | undefined> {
  const { TransactWriteCommand, TransactionCanceledException, documentClient } = await loadDynamo();
  try {
    await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
    return undefined;
  } catch (err) {
    if (!(err instanceof TransactionCanceledException)) throw err;
    const codes = (err.CancellationReasons ?? []).map((r) => r.Code ?? "None");
    // Only a failed condition or a concurrent transaction on the same items is re-decided; anything else is not a conflict.
    if (!codes.some((c) => c === "ConditionalCheckFailed" || c === "TransactionConflict")) throw err;
    return codes;
  }
}

/** Counts a version's batches (a query of the model's batch summaries, filtered by version). */
async function countBatches(model: string, version: string): Promise<number> {
  const { QueryCommand, documentClient } = await loadDynamo();
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(
      new QueryCommand({
        TableName: resourceNames().table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        FilterExpression: "#v = :v",
        ExpressionAttributeNames: { "#v": "version" },
        ExpressionAttributeValues: { ":pk": keys.modelPk(model), ":prefix": keys.batchSkPrefix, ":v": version },
        Select: "COUNT",
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    count += res.Count ?? 0;
    start = res.LastEvaluatedKey;
  } while (start);
  return count;
}

/** Gives a claim written before batches were counted its count (or removes it when no batch is left). */
async function countLegacyClaim(model: string, version: string): Promise<void> {
  const { DeleteCommand, UpdateCommand } = await loadDynamo();
  const n = await countBatches(model, version);
  const common = { TableName: resourceNames().table, Key: claimKey(model, version), ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(batchCount)" };
  // A failed condition: another request counted it first (same count), nothing to do.
  if (n === 0) await sendConditional(new DeleteCommand(common));
  else await sendConditional(new UpdateCommand({ ...common, UpdateExpression: "SET batchCount = :n", ExpressionAttributeValues: { ":n": n } }));
}

/**
 * Stores a batch summary and counts it on its version's task claim (creating the claim for a first batch),
 * in one transaction: the claim's condition (no claim, or a counted claim of the same task) is checked
 * against the state the write commits on.
 * @throws ConflictError naming both tasks when the version's batches are of another task
 */
export async function putBatchWithClaim(batch: StoredBatch): Promise<void> {
  const { model, version, task, batchId } = batch;
  const table = resourceNames().table;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const codes = await transact([
      {
        Update: {
          TableName: table,
          Key: claimKey(model, version),
          UpdateExpression:
            "SET #type = :type, #model = :model, #version = :version, #task = if_not_exists(#task, :task), firstBatchId = if_not_exists(firstBatchId, :id), fixedAt = if_not_exists(fixedAt, :now) ADD batchCount :one",
          ConditionExpression: "attribute_not_exists(pk) OR (#task = :task AND attribute_exists(batchCount))",
          ExpressionAttributeNames: { "#type": "type", "#model": "model", "#version": "version", "#task": "task" },
          ExpressionAttributeValues: { ":type": "performance-task", ":model": model, ":version": version, ":task": task, ":id": batchId, ":now": batch.receivedAt, ":one": 1 },
        },
      },
      {
        Put: {
          TableName: table,
          // Numbers of any magnitude are stored exactly by the document client (shared/dynamo-number.ts).
          Item: { ...keys.performanceBatch(model, batch.timestamp, batchId), type: "performance-batch", ...batch },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
    ]);
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
  const table = resourceNames().table;
  const summary: TransactItem = { Delete: { TableName: table, Key: keys.performanceBatch(model, batch.timestamp, batch.batchId), ConditionExpression: "attribute_exists(pk)" } };
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
    const names = { "#task": "task" };
    const codes = await transact([
      summary,
      last
        ? { Delete: { TableName: table, Key: claimKey(model, version), ConditionExpression: "#task = :task AND batchCount = :one", ExpressionAttributeNames: names, ExpressionAttributeValues: { ":task": task, ":one": 1 } } }
        : {
            Update: {
              TableName: table,
              Key: claimKey(model, version),
              UpdateExpression: "ADD batchCount :minus",
              ConditionExpression: "#task = :task AND batchCount > :one",
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: { ":task": task, ":one": 1, ":minus": -1 },
            },
          },
    ]);
    if (!codes) return { deleted: true, taskReleased: last };
    if (codes[0] === "ConditionalCheckFailed") return { deleted: false, taskReleased: false };
    // The count moved since it was read (a batch arrived or went): read it again and decide again.
  }
  throw new ConflictError(`the batches of version ${version} of model ${model} are changing concurrently; retry the delete`);
}
