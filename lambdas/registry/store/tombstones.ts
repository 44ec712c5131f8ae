/**
 * Version tombstones: what a deleted version leaves behind, so its number is never registered again.
 * Written in the delete's transaction; a registration checks, in its own, that none exists.
 */
import { padSemver } from "../../core/lifecycle/semver.js";
import { keys } from "../../shared/table.js";
import { tableName } from "./table.js";
import type { TransactItem } from "./transact.js";

/** A deleted version's tombstone. */
export interface VersionTombstone {
  model: string;
  version: string;
  deletedAt: string;
  deletedBy: string;
  /** When the deleted version was registered. */
  createdAt: string;
}

/** Writes a tombstone in the delete's transaction. */
export function tombstonePut(tombstone: VersionTombstone): TransactItem {
  return { Put: { TableName: tableName(), Item: { ...keys.versionTombstone(tombstone.model, padSemver(tombstone.version)), type: "version-tombstone", ...tombstone } } };
}

/** A check, in a transaction, that the number was never deleted. */
export function noTombstoneCheck(model: string, version: string): TransactItem {
  return { ConditionCheck: { TableName: tableName(), Key: keys.versionTombstone(model, padSemver(version)), ConditionExpression: "attribute_not_exists(pk)" } };
}
