/**
 * Model records: the model as answered and as stored (rollback stack, lifecycle revision, version-number
 * allocation), their mapping from an item, reads and the listing of every model.
 */
import { keys, TableKeys } from "../../shared/table.js";
import { NotFoundError } from "../../shared/errors.js";
import { padSemver } from "../../core/lifecycle/semver.js";
import type { Direction } from "../../core/lifecycle/gate.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { queryPage, type Page } from "./page.js";
import { tableName } from "./table.js";

/** A model as the API returns it. */
export type ModelRecord = {
  model: string;
  primaryMetric: string;
  direction: Direction;
  productionVersion: string | null;
  stagingVersions: string[];
  highestVersion: string | null;
  versionCount: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
};

/**
 * A model as stored: adds the rollback stack and the lifecycle revision used by conditions, and the two
 * halves of `highestVersion` — the attribute explicit registrations set (`highestStored`, the value their
 * conditions compare) and the allocation counter automatic registrations advance (`allocated`, see
 * {@link versionFromAllocation}).
 */
export type ModelState = ModelRecord & {
  productionHistory: string[];
  lifecycleRevision: number;
  highestStored: string | null;
  allocated: number | null;
  /** The higher of the stored highest and the counter: the number registrations compare with (burnt numbers included). */
  highestTaken: string | null;
};

/** The allocation counter's encoding of a version's major and minor: `major × 1,000,000 + minor`. */
export const allocationBase = 1_000_000;

/** The counter value of a version (its patch is not counted: automatic versions are `major.minor.0`). */
export function allocationOf(version: string): number {
  const [major, minor] = version.split(".").map(Number);
  return major * allocationBase + minor;
}

/** The version a counter value names. */
export function versionFromAllocation(allocated: number): string {
  return `${Math.floor(allocated / allocationBase)}.${allocated % allocationBase}.0`;
}

/** Maps a stored model item to its state. */
export function toModelState(item: Record<string, unknown>): ModelState {
  const staging = item.stagingVersions instanceof Set ? [...(item.stagingVersions as Set<string>)] : [];
  return {
    model: item.model as string,
    primaryMetric: item.primaryMetric as string,
    direction: item.direction as Direction,
    productionVersion: (item.productionVersion as string | undefined) ?? null,
    stagingVersions: staging.sort((a, b) => padSemver(b).localeCompare(padSemver(a))),
    // Only numbers whose registration committed: a number the counter handed to a registration that then
    // failed is burnt, never shown. Models from before `highestCounted` existed fall back to the counter.
    highestVersion: highestOf(item.highestVersion as string | undefined, typeof item.highestCounted === "number" ? item.highestCounted || undefined : typeof item.allocated === "number" ? item.allocated : undefined),
    versionCount: Number(item.versionCount ?? 0),
    createdAt: item.createdAt as string,
    createdBy: item.createdBy as string,
    updatedAt: item.updatedAt as string,
    productionHistory: (item.productionHistory as string[] | undefined) ?? [],
    lifecycleRevision: Number(item.lifecycleRevision ?? 0),
    highestStored: (item.highestVersion as string | undefined) ?? null,
    allocated: typeof item.allocated === "number" ? item.allocated : null,
    highestTaken: highestOf(item.highestVersion as string | undefined, typeof item.allocated === "number" ? item.allocated : undefined),
  };
}

/** The higher of the stored highest version and the counter's last allocation. */
function highestOf(stored: string | undefined, allocated: number | undefined): string | null {
  const counted = allocated === undefined ? undefined : versionFromAllocation(allocated);
  if (stored === undefined) return counted ?? null;
  if (counted === undefined) return stored;
  return padSemver(counted) > padSemver(stored) ? counted : stored;
}

/** The public view of a model. */
export function toModelRecord(state: ModelState): ModelRecord {
  const { productionHistory: _h, lifecycleRevision: _r, highestStored: _s, allocated: _a, highestTaken: _t, ...record } = state;
  return record;
}

/** Reads a model; undefined when it does not exist. */
export async function getModel(model: string): Promise<ModelState | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(new GetCommand({ TableName: tableName(), Key: keys.model(model), ConsistentRead: true }));
  return res.Item ? toModelState(res.Item) : undefined;
}

/** Whether the model's item exists (a key-only read, not consistent). */
export async function modelExists(model: string): Promise<boolean> {
  const { GetCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(new GetCommand({ TableName: tableName(), Key: keys.model(model), ProjectionExpression: "pk" }));
  return res.Item !== undefined;
}

/** Reads a model. @throws NotFoundError naming it. */
export async function requireModel(model: string): Promise<ModelState> {
  const found = await getModel(model);
  if (!found) throw new NotFoundError(`model ${model} does not exist`);
  return found;
}

/** All models by name. */
export async function listModels(limit: number, nextToken?: string): Promise<Page<ModelRecord>> {
  const page = await queryPage({ listing: "models", index: TableKeys.gsi1Name, partitionAttr: TableKeys.gsi1PartitionKey, partition: keys.allModelsGsi, newestFirst: false, limit, nextToken });
  return { items: page.items.map((i) => toModelRecord(toModelState(i))), nextToken: page.nextToken };
}
