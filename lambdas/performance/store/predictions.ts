/**
 * Logged predictions awaiting ground truth, and the join of an actual onto one (conditional, undone
 * when the batch it went into is deleted).
 */
import { resourceNames } from "../../shared/env.js";
import { keys } from "../../shared/table.js";
import type { Task } from "../../core/performance/metric-names.js";
import { sendConditional } from "../../shared/conditional-write.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";

/** Logged predictions expire this many days after logging (TTL), joined or not. */
export const predictionRetentionDays = 90;

/** A logged prediction as stored. */
export interface StoredPrediction {
  readonly id: string;
  readonly model: string;
  readonly version: string;
  readonly task: Task;
  readonly prediction: string | number;
  readonly score?: number;
  readonly timestamp: string;
  readonly loggedAt: string;
  readonly actual?: string | number;
  readonly joinId?: string;
  readonly joinedAt?: string;
}

/** Logs one prediction unless its id is already logged for the model. @returns false for a duplicate id */
export async function putPrediction(p: StoredPrediction): Promise<boolean> {
  const { PutCommand } = await loadDynamo();
  const expiresAt = Math.floor(Date.parse(p.loggedAt) / 1000) + predictionRetentionDays * 86_400;
  const written = await sendConditional(
    new PutCommand({
      TableName: resourceNames().table,
      Item: { ...keys.prediction(p.model, p.id), type: "prediction", ...p, expiresAt },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
  return written !== undefined;
}

/** The outcome of joining one actual. */
export type JoinOutcome =
  | { readonly status: "joined"; readonly prediction: StoredPrediction }
  | { readonly status: "unknown" }
  | { readonly status: "alreadyJoined" }
  | { readonly status: "taskMismatch"; readonly task: Task };

/**
 * Joins an actual to a logged prediction, once: the update is conditional on the prediction existing, having
 * no actual yet and (when the actual's type allows only one task) being of that task — so concurrent
 * ground-truth posts cannot count a record twice.
 * @param onlyTask the task the actual's type requires, if it requires one
 */
export async function joinActual(model: string, id: string, actual: string | number, joinId: string, joinedAt: string, onlyTask?: Task): Promise<JoinOutcome> {
  const { GetCommand, UpdateCommand, documentClient } = await loadDynamo();
  const table = resourceNames().table;
  const key = keys.prediction(model, id);
  const res = await sendConditional(
    new UpdateCommand({
      TableName: table,
      Key: key,
      UpdateExpression: "SET #a = :a, joinId = :j, joinedAt = :t",
      ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(#a)${onlyTask ? " AND #task = :task" : ""}`,
      ExpressionAttributeNames: { "#a": "actual", ...(onlyTask ? { "#task": "task" } : {}) },
      ExpressionAttributeValues: { ":a": actual, ":j": joinId, ":t": joinedAt, ...(onlyTask ? { ":task": onlyTask } : {}) },
      ReturnValues: "ALL_NEW",
    }),
  );
  if (res) return { status: "joined", prediction: res.Attributes as unknown as StoredPrediction };
  const current = (await documentClient().send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
  if (!current) return { status: "unknown" };
  if (current.actual !== undefined) return { status: "alreadyJoined" };
  return { status: "taskMismatch", task: current.task as Task };
}

/** Undoes a join made by `joinId` (when recording its batch failed), so a retry can join the record again. */
export async function undoJoin(model: string, id: string, joinId: string): Promise<void> {
  const { UpdateCommand } = await loadDynamo();
  // A failed condition: the join is no longer this one's, nothing to undo.
  await sendConditional(
    new UpdateCommand({
      TableName: resourceNames().table,
      Key: keys.prediction(model, id),
      UpdateExpression: "REMOVE #a, joinId, joinedAt",
      ConditionExpression: "joinId = :j",
      ExpressionAttributeNames: { "#a": "actual" },
      ExpressionAttributeValues: { ":j": joinId },
    }),
  );
}
