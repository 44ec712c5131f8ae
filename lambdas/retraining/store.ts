/**
 * The retraining service's items in the table (key design in lambdas/shared/table.ts): the policy, the
 * rate limit's state (`RETRAINING#LAST`, claimed with a conditional write so concurrent checks request
 * once) and the request log.
 */
import { resourceNames } from "../shared/env.js";
import { decodePageToken, encodePageToken } from "../shared/page-token.js";
import { NotFoundError } from "../shared/errors.js";
import { keys, TableKeys } from "../shared/table.js";
import type { RetrainingPolicy, RetrainingRequest } from "./contract.js";
import { loadDynamo } from "../shared/sdk/dynamodb.js";

const table = (): string => resourceNames().table;

/** Throws a 404 unless the model is registered. */
export async function requireModel(model: string): Promise<void> {
  const { GetCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(new GetCommand({ TableName: table(), Key: keys.model(model), ProjectionExpression: "pk" }));
  if (!res.Item) throw new NotFoundError(`model ${model} does not exist`);
}

/** The policy of a model with every trigger off, for a model that has none. */
export function emptyPolicy(model: string): RetrainingPolicy {
  return { model, onDriftPsiAbove: null, onPerformanceDegradationPercent: null, schedule: null, minHoursBetween: 24, nextScheduledAt: null, updatedAt: "", updatedBy: "" };
}

function toPolicy(item: Record<string, unknown>): RetrainingPolicy {
  return {
    model: item.model as string,
    onDriftPsiAbove: (item.onDriftPsiAbove as number | undefined) ?? null,
    onPerformanceDegradationPercent: (item.onPerformanceDegradationPercent as number | undefined) ?? null,
    schedule: (item.schedule as { everyHours: number } | undefined) ?? null,
    minHoursBetween: item.minHoursBetween as number,
    nextScheduledAt: (item.nextScheduledAt as string | undefined) ?? null,
    updatedAt: item.updatedAt as string,
    updatedBy: item.updatedBy as string,
  };
}

/** The model's policy; undefined when none was set. */
export async function getPolicy(model: string): Promise<RetrainingPolicy | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(new GetCommand({ TableName: table(), Key: keys.retrainingPolicy(model) }));
  return res.Item ? toPolicy(res.Item) : undefined;
}

/** Stores a policy; one with a schedule is also placed in the sparse schedule index. */
export async function putPolicy(policy: RetrainingPolicy): Promise<void> {
  const { PutCommand, documentClient } = await loadDynamo();
  const item: Record<string, unknown> = { ...keys.retrainingPolicy(policy.model), type: "retraining-policy", ...policy };
  for (const k of ["onDriftPsiAbove", "onPerformanceDegradationPercent", "schedule", "nextScheduledAt"]) if (item[k] === null) delete item[k];
  if (policy.schedule) {
    item[TableKeys.gsi1PartitionKey] = keys.retrainingSchedulesGsi;
    item[TableKeys.gsi1SortKey] = policy.model;
  }
  await documentClient().send(new PutCommand({ TableName: table(), Item: item }));
}

/** Policies that have a schedule (the scheduler's pass), all pages. */
export async function scheduledPolicies(): Promise<RetrainingPolicy[]> {
  const { QueryCommand, documentClient } = await loadDynamo();
  const out: RetrainingPolicy[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        IndexName: TableKeys.gsi1Name,
        KeyConditionExpression: "#p = :p",
        ExpressionAttributeNames: { "#p": TableKeys.gsi1PartitionKey },
        ExpressionAttributeValues: { ":p": keys.retrainingSchedulesGsi },
        ExclusiveStartKey: start,
      }),
    );
    out.push(...(res.Items ?? []).map(toPolicy));
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
}

/**
 * Moves a schedule's next due time forward, conditioned on the due time read: of several concurrent
 * scheduler runs, one wins the slot. The policy must still have that due time (a PUT in between wins).
 * @returns true when this call won the slot
 */
export async function advanceSchedule(model: string, dueAt: string, nextAt: string): Promise<boolean> {
  const { ConditionalCheckFailedException, UpdateCommand, documentClient } = await loadDynamo();
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.retrainingPolicy(model),
        UpdateExpression: "SET nextScheduledAt = :next",
        ConditionExpression: "nextScheduledAt = :due",
        ExpressionAttributeValues: { ":next": nextAt, ":due": dueAt },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/** The outcome of claiming the rate limit's window. */
export type Claim = { readonly claimed: true; readonly previous?: string } | { readonly claimed: false; readonly lastAt: string };

/**
 * Claims the window for an automatic request at `nowIso`: succeeds when no request went out in the last
 * `minHours` hours (ISO times of one format compare as strings). Race-safe: one conditional write.
 */
export async function claimWindow(model: string, requestId: string, nowIso: string, minHours: number): Promise<Claim> {
  const { ConditionalCheckFailedException, GetCommand, UpdateCommand, documentClient } = await loadDynamo();
  const cutoff = new Date(Date.parse(nowIso) - minHours * 3_600_000).toISOString();
  try {
    const res = await documentClient().send(
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
    return { claimed: true, previous: res.Attributes?.lastRetrainingRequestedAt as string | undefined };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    const again = await documentClient().send(new GetCommand({ TableName: table(), Key: keys.retrainingLast(model), ConsistentRead: true }));
    return { claimed: false, lastAt: (again.Item?.lastRetrainingRequestedAt as string | undefined) ?? nowIso };
  }
}

/**
 * Gives a claim back after the event could not be sent, so the next check may request again: restores the
 * previous time, conditioned on the claim still being this request's.
 */
export async function releaseWindow(model: string, requestId: string, previous: string | undefined): Promise<void> {
  const { ConditionalCheckFailedException, UpdateCommand, documentClient } = await loadDynamo();
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.retrainingLast(model),
        UpdateExpression: previous ? "SET lastRetrainingRequestedAt = :prev REMOVE lastRequestId" : "REMOVE lastRetrainingRequestedAt, lastRequestId",
        ConditionExpression: "lastRequestId = :id",
        ExpressionAttributeValues: previous ? { ":id": requestId, ":prev": previous } : { ":id": requestId },
      }),
    );
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
}

/** Marks a manual request as the latest one, unless a later request is already recorded. */
export async function markRequested(model: string, requestId: string, nowIso: string): Promise<void> {
  const { ConditionalCheckFailedException, UpdateCommand, documentClient } = await loadDynamo();
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.retrainingLast(model),
        UpdateExpression: "SET lastRetrainingRequestedAt = :now, lastRequestId = :id, #t = :type",
        ConditionExpression: "attribute_not_exists(lastRetrainingRequestedAt) OR lastRetrainingRequestedAt < :now",
        ExpressionAttributeNames: { "#t": "type" },
        ExpressionAttributeValues: { ":now": nowIso, ":id": requestId, ":type": "retraining-last" },
      }),
    );
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
}

/** Records a request (whatever its status). */
export async function putRequest(request: RetrainingRequest): Promise<void> {
  const { PutCommand, documentClient } = await loadDynamo();
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: { ...keys.retrainingRequest(request.model, request.requestedAt, request.requestId), type: "retraining-request", ...request },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
}

/** A model's requests, newest first. */
export async function listRequests(model: string, limit: number, nextToken?: string): Promise<{ items: RetrainingRequest[]; nextToken: string | null }> {
  const { QueryCommand, documentClient } = await loadDynamo();
  const binding = { listing: "retraining.requests", scope: { model } };
  const start = await decodePageToken(nextToken, binding, (k) => Object.keys(k).length === 2 && k.pk === keys.modelPk(model) && typeof k.sk === "string" && k.sk.startsWith(keys.retrainingRequestSkPrefix));
  const res = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: "pk = :p AND begins_with(sk, :s)",
      ExpressionAttributeValues: { ":p": keys.modelPk(model), ":s": keys.retrainingRequestSkPrefix },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  );
  const items = (res.Items ?? []).map((i) => {
    const { pk: _pk, sk: _sk, type: _type, ...rest } = i;
    return rest as RetrainingRequest;
  });
  const last = res.LastEvaluatedKey;
  return { items, nextToken: await encodePageToken(last ? { pk: last.pk, sk: last.sk } : undefined, binding) };
}
