/**
 * The retraining request log: one item per request, newest first by its sort key.
 */
import { resourceNames } from "../../shared/env.js";
import { decodePageToken, encodePageToken } from "../../shared/page-token.js";
import { keys } from "../../shared/table.js";
import type { RetrainingRequest } from "../contract.js";
import { ConflictError } from "../../shared/errors.js";
import { sendConditional } from "../../shared/conditional-write.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";

const table = (): string => resourceNames().table;

/** Records a request (whatever its status). */
export async function putRequest(request: RetrainingRequest): Promise<void> {
  const { PutCommand } = await loadDynamo();
  await sendConditional(
    new PutCommand({
      TableName: table(),
      Item: { ...keys.retrainingRequest(request.model, request.requestedAt, request.requestId), type: "retraining-request", ...request },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
    { onConditionFailed: (cause) => new ConflictError(`retraining request ${request.requestId} is already recorded`, { cause }) },
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
