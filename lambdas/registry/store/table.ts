/**
 * The registry's table and bucket, read at call time, and what every record mapper strips from an item
 * (its keys). Each record type's reads, mappers and writes live in their own file of this folder (the
 * transaction items too: `stageUpdate`, `openRequestItems`, `historyPut`, …); an operation (registration.ts,
 * lifecycle.ts, deployments.ts, …) decides which items go into its one transaction (transact.ts) and what a
 * failed condition means.
 */
import { resourceNames } from "../../shared/env.js";
import { TableKeys } from "../../shared/table.js";

/** The table name, read at call time. */
export const tableName = (): string => resourceNames().table;

/** The data bucket, read at call time. */
export const dataBucket = (): string => resourceNames().bucket;

/** Item attributes that are keys, not part of a record. */
const keyAttributes = new Set<string>([TableKeys.partitionKey, TableKeys.sortKey, TableKeys.gsi1PartitionKey, TableKeys.gsi1SortKey, "type", TableKeys.ttlAttribute]);

/** A stored item without its key attributes. */
export function stripKeys(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !keyAttributes.has(k)));
}
