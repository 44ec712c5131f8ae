/**
 * The per-model count of unresolved alerts (`ADD openCount`), changed in the same transaction as the alert
 * that opens or resolves, read for the OpenAlerts gauge.
 */
import { resourceNames } from "../../shared/env.js";
import { keys } from "../../shared/table.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";

const table = (): string => resourceNames().table;

/** The transaction item that adds `delta` (+1 opened, -1 resolved) to a model's count. */
export function countChange(model: string, delta: 1 | -1): { Update: { TableName: string; Key: Record<string, string>; UpdateExpression: string; ExpressionAttributeValues: Record<string, number> } } {
  return delta === 1
    ? { Update: { TableName: table(), Key: keys.alertCount(model), UpdateExpression: "ADD openCount :one", ExpressionAttributeValues: { ":one": 1 } } }
    : { Update: { TableName: table(), Key: keys.alertCount(model), UpdateExpression: "ADD openCount :minus", ExpressionAttributeValues: { ":minus": -1 } } };
}

/** A model's number of unresolved alerts. */
export async function unresolvedCount(model: string): Promise<number> {
  const { GetCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(new GetCommand({ TableName: table(), Key: keys.alertCount(model), ConsistentRead: true }));
  return Math.max(0, Number(res.Item?.openCount ?? 0));
}
