/**
 * What the drift record files share: time-sortable ids, the table's name, stripping the key attributes off
 * an item, and one page of a model's items. Ids are time-sortable (`20250102T030405123Z-a1b2c3`), so sort-key
 * order is time order.
 */
import { resourceNames } from "../../shared/env.js";
import { timeSortableId } from "../../shared/time-id.js";
import { keys } from "../../shared/table.js";
import { decodePageToken, encodePageToken, stringKey } from "../../shared/page-token.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";

/** A new time-sortable id: UTC time to the millisecond plus 6 random hex digits. */
export const newId: (now?: Date) => string = timeSortableId;

/** The table's name (read on first use: the environment is set by the host). */
export const table = (): string => resourceNames().table;

/** An item without its key attributes (pk, sk and the index keys). */
export const strip = <T extends Record<string, unknown>>(item: T | undefined): T | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as T;
};

/** One page of a listing: `items` and the token of the next page (null on the last). */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken: string | null;
}

/** One page of a model's items under `prefix`, newest first; the token is bound to the listing and the model. */
export async function queryModelPage(listing: string, model: string, prefix: string, limit: number, nextToken: string | undefined): Promise<Page<Record<string, unknown>>> {
  const { QueryCommand, documentClient } = await loadDynamo();
  const binding = { listing: `drift.${listing}`, scope: { model } };
  const pk = keys.modelPk(model);
  const start = await decodePageToken(nextToken, binding, (k) => stringKey(k) && k.pk === pk && typeof k.sk === "string" && k.sk.startsWith(prefix));
  const out = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": pk, ":prefix": prefix },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  );
  return { items: out.Items ?? [], nextToken: await encodePageToken(out.LastEvaluatedKey, binding) };
}
