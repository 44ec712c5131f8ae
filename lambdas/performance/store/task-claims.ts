/**
 * Task claims: one item per version that fixes the task of its batches and counts them (`batchCount`),
 * written in the same transaction as each batch summary put or delete (batch-claim.ts decides which items
 * and what a failed condition means). Its read, the legacy count, the transaction items and the transaction.
 */
import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { resourceNames } from "../../shared/env.js";
import { keys } from "../../shared/table.js";
import { padSemver } from "../../core/lifecycle/semver.js";
import type { Task } from "../../core/performance/metric-names.js";
import { sendConditional } from "../../shared/conditional-write.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { queryCount } from "../../shared/query-pages.js";
import type { StoredBatch } from "./batches.js";

/** One item of a claim's transaction. */
export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** A version's task claim as stored. */
export interface Claim {
  readonly task: Task;
  readonly firstBatchId: string;
  /** Absent on claims written before batches were counted. */
  readonly batchCount?: number;
}

const claimKey = (model: string, version: string) => keys.performanceTask(model, padSemver(version));

/** A version's claim (strongly consistent); undefined when it has none. */
export async function readClaim(model: string, version: string): Promise<Claim | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(new GetCommand({ TableName: resourceNames().table, Key: claimKey(model, version), ConsistentRead: true }));
  return res.Item as Claim | undefined;
}

/**
 * Runs a claim's transaction; the per-item cancellation codes when a condition failed or a concurrent
 * transaction touched the same items, anything else thrown.
 */
export async function transactClaim(items: TransactItem[]): Promise<string[] | undefined> {
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
  return queryCount({
    TableName: resourceNames().table,
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    FilterExpression: "#v = :v",
    ExpressionAttributeNames: { "#v": "version" },
    ExpressionAttributeValues: { ":pk": keys.modelPk(model), ":prefix": keys.batchSkPrefix, ":v": version },
    Select: "COUNT",
    ConsistentRead: true,
  });
}

/** Gives a claim written before batches were counted its count (or removes it when no batch is left). */
export async function countLegacyClaim(model: string, version: string): Promise<void> {
  const { DeleteCommand, UpdateCommand } = await loadDynamo();
  const n = await countBatches(model, version);
  const common = { TableName: resourceNames().table, Key: claimKey(model, version), ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(batchCount)" };
  // A failed condition: another request counted it first (same count), nothing to do.
  if (n === 0) await sendConditional(new DeleteCommand(common));
  else await sendConditional(new UpdateCommand({ ...common, UpdateExpression: "SET batchCount = :n", ExpressionAttributeValues: { ":n": n } }));
}

/** Counts `batch` on its version's claim, creating the claim for a first batch; fails on a claim of another task or an uncounted one. */
export function claimCountUp(batch: StoredBatch): TransactItem {
  const { model, version, task, batchId } = batch;
  return {
    Update: {
      TableName: resourceNames().table,
      Key: claimKey(model, version),
      UpdateExpression:
        "SET #type = :type, #model = :model, #version = :version, #task = if_not_exists(#task, :task), firstBatchId = if_not_exists(firstBatchId, :id), fixedAt = if_not_exists(fixedAt, :now) ADD batchCount :one",
      ConditionExpression: "attribute_not_exists(pk) OR (#task = :task AND attribute_exists(batchCount))",
      ExpressionAttributeNames: { "#type": "type", "#model": "model", "#version": "version", "#task": "task" },
      ExpressionAttributeValues: { ":type": "performance-task", ":model": model, ":version": version, ":task": task, ":id": batchId, ":now": batch.receivedAt, ":one": 1 },
    },
  };
}

/** Uncounts one batch of `task` from the version's claim, which must count more than one. */
export function claimCountDown(model: string, version: string, task: Task): TransactItem {
  return {
    Update: {
      TableName: resourceNames().table,
      Key: claimKey(model, version),
      UpdateExpression: "ADD batchCount :minus",
      ConditionExpression: "#task = :task AND batchCount > :one",
      ExpressionAttributeNames: { "#task": "task" },
      ExpressionAttributeValues: { ":task": task, ":one": 1, ":minus": -1 },
    },
  };
}

/** Removes the version's claim of `task`, which must count exactly one batch (the one deleted with it). */
export function claimRelease(model: string, version: string, task: Task): TransactItem {
  return {
    Delete: {
      TableName: resourceNames().table,
      Key: claimKey(model, version),
      ConditionExpression: "#task = :task AND batchCount = :one",
      ExpressionAttributeNames: { "#task": "task" },
      ExpressionAttributeValues: { ":task": task, ":one": 1 },
    },
  };
}

/** Writes a batch summary; its condition fails when the batch id is taken. */
export function batchSummaryPut(batch: StoredBatch): TransactItem {
  return {
    Put: {
      TableName: resourceNames().table,
      // Numbers of any magnitude are stored exactly by the document client (shared/dynamo-number.ts).
      Item: { ...keys.performanceBatch(batch.model, batch.timestamp, batch.batchId), type: "performance-batch", ...batch },
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
}

/** Deletes a batch summary; its condition fails when it is already gone. */
export function batchSummaryDelete(batch: StoredBatch): TransactItem {
  return { Delete: { TableName: resourceNames().table, Key: keys.performanceBatch(batch.model, batch.timestamp, batch.batchId), ConditionExpression: "attribute_exists(pk)" } };
}
