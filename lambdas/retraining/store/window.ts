/**
 * The rate limit's state (`RETRAINING#LAST`): when the last request went out, claimed with a conditional
 * write so concurrent checks request once.
 */
import { resourceNames } from "../../shared/env.js";
import { keys } from "../../shared/table.js";
import { sendConditional } from "../../shared/conditional-write.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";

const table = (): string => resourceNames().table;

/** The outcome of claiming the rate limit's window. */
export type Claim = { readonly claimed: true; readonly previous?: string } | { readonly claimed: false; readonly lastAt: string };

/**
 * Claims the window for an automatic request at `nowIso`: succeeds when no request went out in the last
 * `minHours` hours (ISO times of one format compare as strings). Race-safe: one conditional write.
 */
export async function claimWindow(model: string, requestId: string, nowIso: string, minHours: number): Promise<Claim> {
  const { GetCommand, UpdateCommand, documentClient } = await loadDynamo();
  const cutoff = new Date(Date.parse(nowIso) - minHours * 3_600_000).toISOString();
  const res = await sendConditional(
    new UpdateCommand({
      TableName: table(),
      Key: keys.retrainingLast(model),
      UpdateExpression: "SET lastRetrainingRequestedAt = :now, lastRequestId = :id, #t = :type",
      ConditionExpression: "attribute_not_exists(lastRetrainingRequestedAt) OR lastRetrainingRequestedAt <= :cutoff",
      ExpressionAttributeNames: { "#t": "type" },
      ExpressionAttributeValues: { ":now": nowIso, ":id": requestId, ":cutoff": cutoff, ":type": "retraining-last" },
      ReturnValues: "ALL_OLD",
    }),
  );
  if (res) return { claimed: true, previous: res.Attributes?.lastRetrainingRequestedAt as string | undefined };
  const again = await documentClient().send(new GetCommand({ TableName: table(), Key: keys.retrainingLast(model), ConsistentRead: true }));
  return { claimed: false, lastAt: (again.Item?.lastRetrainingRequestedAt as string | undefined) ?? nowIso };
}

/**
 * Gives a claim back after the event could not be sent, so the next check may request again: restores the
 * previous time, conditioned on the claim still being this request's.
 */
export async function releaseWindow(model: string, requestId: string, previous: string | undefined): Promise<void> {
  const { UpdateCommand } = await loadDynamo();
  // A failed condition: a later request holds the window now, nothing to give back.
  await sendConditional(
    new UpdateCommand({
      TableName: table(),
      Key: keys.retrainingLast(model),
      UpdateExpression: previous ? "SET lastRetrainingRequestedAt = :prev REMOVE lastRequestId" : "REMOVE lastRetrainingRequestedAt, lastRequestId",
      ConditionExpression: "lastRequestId = :id",
      ExpressionAttributeValues: previous ? { ":id": requestId, ":prev": previous } : { ":id": requestId },
    }),
  );
}

/** Marks a manual request as the latest one, unless a later request is already recorded. */
export async function markRequested(model: string, requestId: string, nowIso: string): Promise<void> {
  const { UpdateCommand } = await loadDynamo();
  // A failed condition: a later request is already recorded, nothing to do.
  await sendConditional(
    new UpdateCommand({
      TableName: table(),
      Key: keys.retrainingLast(model),
      UpdateExpression: "SET lastRetrainingRequestedAt = :now, lastRequestId = :id, #t = :type",
      ConditionExpression: "attribute_not_exists(lastRetrainingRequestedAt) OR lastRetrainingRequestedAt < :now",
      ExpressionAttributeNames: { "#t": "type" },
      ExpressionAttributeValues: { ":now": nowIso, ":id": requestId, ":type": "retraining-last" },
    }),
  );
}
