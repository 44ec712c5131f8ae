/**
 * One paginated query of one partition, with page tokens signed for the listing, partition and filter.
 */
import { decodePageToken, encodePageToken, stringKey } from "../../shared/page-token.js";
import { TableKeys } from "../../shared/table.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { tableName } from "./table.js";

/** One page of a listing. */
export interface Page<T> {
  items: T[];
  nextToken: string | null;
}

/** Runs a paginated query of one partition. */
export async function queryPage(options: {
  /** The listing's name: its tokens are signed for it, this partition and this filter only. */
  listing: string;
  /** Filters applied after the query that a token must also be bound to. */
  scope?: Record<string, string | undefined>;
  index?: string;
  partitionAttr: string;
  partition: string;
  skPrefix?: string;
  newestFirst: boolean;
  limit: number;
  nextToken?: string;
  /** Strongly consistent (base table only): for reads that decide, not for listings. */
  consistent?: boolean;
  /** A filter applied to each page (names and values must not clash with `#p`, `#s`, `:p`, `:s`). */
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
}): Promise<Page<Record<string, unknown>>> {
  const { QueryCommand, documentClient } = await loadDynamo();
  const skAttr = options.index ? TableKeys.gsi1SortKey : TableKeys.sortKey;
  const names: Record<string, string> = options.skPrefix ? { "#p": options.partitionAttr, "#s": skAttr } : { "#p": options.partitionAttr };
  const values: Record<string, unknown> = options.skPrefix ? { ":p": options.partition, ":s": options.skPrefix } : { ":p": options.partition };
  const binding = {
    listing: `registry.${options.listing}`,
    scope: { ...options.scope, partition: options.partition, index: options.index, skPrefix: options.skPrefix, filter: options.filter ? JSON.stringify([options.filter.expression, options.filter.values]) : undefined },
  };
  const start = await decodePageToken(options.nextToken, binding, (k) => stringKey(k) && k[options.partitionAttr] === options.partition);
  const res = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: options.index,
      KeyConditionExpression: options.skPrefix ? "#p = :p AND begins_with(#s, :s)" : "#p = :p",
      FilterExpression: options.filter?.expression,
      ExpressionAttributeNames: { ...names, ...options.filter?.names },
      ExpressionAttributeValues: { ...values, ...options.filter?.values },
      ScanIndexForward: !options.newestFirst,
      ConsistentRead: options.consistent,
      Limit: options.limit,
      ExclusiveStartKey: start,
    }),
  );
  return { items: res.Items ?? [], nextToken: await encodePageToken(res.LastEvaluatedKey, binding) };
}
