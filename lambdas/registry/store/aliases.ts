/**
 * Alias records: a named pointer to a version of a model, with the revision its moves are conditioned on
 * (aliases.ts). Its read and the transaction items that move or remove it.
 */
import { keys } from "../../shared/table.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { tableName } from "./table.js";
import type { TransactItem } from "./transact.js";

/** An alias as stored. */
export interface AliasRecord {
  model: string;
  alias: string;
  version: string;
  updatedAt: string;
  updatedBy: string;
  revision: number;
}

/** Reads an alias (strongly consistent); undefined when the model has none of that name. */
export async function getAlias(model: string, alias: string): Promise<AliasRecord | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(new GetCommand({ TableName: tableName(), Key: keys.alias(model, alias), ConsistentRead: true }));
  if (!res.Item) return undefined;
  const { model: m, alias: a, version, updatedAt, updatedBy, revision } = res.Item;
  return { model: m, alias: a, version, updatedAt, updatedBy, revision: Number(revision) } as AliasRecord;
}

/** The condition that the alias is still as read: the same revision, or still absent. */
function revisionCondition(current: AliasRecord | undefined): { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> } {
  return current ? { ConditionExpression: "revision = :rev", ExpressionAttributeValues: { ":rev": current.revision } } : { ConditionExpression: "attribute_not_exists(pk)" };
}

/** Writes the alias's next record, conditioned on `current` (what was read). */
export function aliasPut(next: AliasRecord, current: AliasRecord | undefined): TransactItem {
  const cond = revisionCondition(current);
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.alias(next.model, next.alias), type: "alias", ...next },
      ConditionExpression: cond.ConditionExpression,
      ExpressionAttributeValues: cond.ExpressionAttributeValues,
    },
  };
}

/** Deletes the alias, conditioned on the revision read. */
export function aliasDelete(current: AliasRecord): TransactItem {
  return { Delete: { TableName: tableName(), Key: keys.alias(current.model, current.alias), ConditionExpression: "revision = :rev", ExpressionAttributeValues: { ":rev": current.revision } } };
}
