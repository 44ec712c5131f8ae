/**
 * Model records: the model as answered and as stored (rollback stack, lifecycle revision, version-number
 * allocation), their mapping from an item, reads and the listing of every model.
 */
import { keys, TableKeys } from "../../shared/table.js";
import { NotFoundError } from "../../shared/errors.js";
import { padSemver } from "../../core/lifecycle/semver.js";
import type { Direction } from "../../core/lifecycle/gate.js";
import { sendConditional } from "../../shared/conditional-write.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { queryPage, type Page } from "./page.js";
import { tableName } from "./table.js";
import type { TransactItem } from "./transact.js";

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

/** A check, in a transaction, that the model exists. */
export function modelExistsCheck(model: string): TransactItem {
  return { ConditionCheck: { TableName: tableName(), Key: keys.model(model), ConditionExpression: "attribute_exists(pk)" } };
}

/** Sets the production version and rollback stack, conditioned on the lifecycle revision read. */
export function modelLifecycleUpdate(state: ModelState, production: string, history: string[], now: string): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.model(state.model),
      UpdateExpression: "SET productionVersion = :v, productionHistory = :h, lifecycleRevision = :next, updatedAt = :now DELETE stagingVersions :vs",
      ConditionExpression: "lifecycleRevision = :rev",
      ExpressionAttributeValues: { ":v": production, ":h": history, ":next": state.lifecycleRevision + 1, ":rev": state.lifecycleRevision, ":now": now, ":vs": new Set([production]) },
    },
  };
}

/** Adds a version to, or removes it from, the model's set of staging versions. */
export function stagingSetUpdate(model: string, version: string, op: "ADD" | "DELETE" | undefined, now: string): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.model(model),
      UpdateExpression: op ? `SET updatedAt = :now ${op} stagingVersions :vs` : "SET updatedAt = :now",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: op ? { ":now": now, ":vs": new Set([version]) } : { ":now": now },
    },
  };
}

/** Counts a deleted version out of the model (version count, staging set). */
export function versionRemovedUpdate(model: string, version: string, now: string): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.model(model),
      UpdateExpression: "SET updatedAt = :now, versionCount = versionCount - :one DELETE stagingVersions :vs",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":now": now, ":one": 1, ":vs": new Set([version]) },
    },
  };
}

/**
 * Advances the model's allocation counter by one (`allocated = if_not_exists(allocated, seed) + 1`) in one
 * atomic UpdateItem and answers the new value.
 * @param onConditionFailed the error when the model is gone
 */
export async function advanceAllocation(model: string, seed: number, onConditionFailed: (cause: unknown) => Error): Promise<number> {
  const { UpdateCommand } = await loadDynamo();
  const res = await sendConditional(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.model(model),
      UpdateExpression: "SET allocated = if_not_exists(allocated, :seed) + :one",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":seed": seed, ":one": 1 },
      ReturnValues: "UPDATED_NEW",
    }),
    { onConditionFailed },
  );
  return Number(res?.Attributes?.allocated);
}

/** Raises `highestCounted` to `allocation` (a failed condition, a higher value already there, does nothing). */
export async function raiseHighestCounted(model: string, allocation: number): Promise<void> {
  const { UpdateCommand } = await loadDynamo();
  await sendConditional(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.model(model),
      UpdateExpression: "SET highestCounted = :a",
      ConditionExpression: "attribute_exists(pk) AND (attribute_not_exists(highestCounted) OR highestCounted < :a)",
      ExpressionAttributeValues: { ":a": allocation },
    }),
  );
}

/** What a registration writes on the model item. */
export interface RegistrationChange {
  readonly model: string;
  /** The model as read (undefined: the first registration creates it). */
  readonly existing: ModelState | undefined;
  readonly version: string;
  /** The registration moves the stored highest version and the counter (an explicit or first version above them). */
  readonly advances: boolean;
  /** The version is registered into staging. */
  readonly staged: boolean;
  readonly primaryMetric: string | undefined;
  readonly direction: Direction | undefined;
  readonly now: string;
  readonly actor: string;
}

/**
 * Creates or updates the model item for a registration: created with its metric and direction the first time,
 * counted, and — when the registration advances — the highest version and the counter moved, conditioned on
 * what was read, so a concurrent explicit registration or counter advance fails it.
 */
export function registrationUpdate(change: RegistrationChange): TransactItem {
  const { model, existing, version, advances, now } = change;
  const names: Record<string, string> = { "#gpk": TableKeys.gsi1PartitionKey, "#gsk": TableKeys.gsi1SortKey };
  const values: Record<string, unknown> = {
    ":model": model,
    ":all": keys.allModelsGsi,
    ":now": now,
    ":actor": change.actor,
    ":one": 1,
    ":zero": 0,
    ":countedSeed": existing?.allocated ?? 0,
    ":pm": existing?.primaryMetric ?? change.primaryMetric,
    ":dir": existing?.direction ?? change.direction,
  };
  let modelCondition = "attribute_exists(pk)";
  if (!existing) modelCondition = "attribute_not_exists(pk)";
  else if (advances) {
    modelCondition = `${existing.highestStored === null ? "attribute_not_exists(highestVersion)" : "highestVersion = :seen"} AND (attribute_not_exists(allocated) OR allocated <= :allocated)`;
    if (existing.highestStored !== null) values[":seen"] = existing.highestStored;
  }
  let update =
    "SET #gpk = :all, #gsk = :model, model = :model, primaryMetric = if_not_exists(primaryMetric, :pm), direction = if_not_exists(direction, :dir), " +
    "createdAt = if_not_exists(createdAt, :now), createdBy = if_not_exists(createdBy, :actor), updatedAt = :now, " +
    "lifecycleRevision = if_not_exists(lifecycleRevision, :zero), versionCount = if_not_exists(versionCount, :zero) + :one, " +
    // Marks the model as one whose counted numbers are shown only once registered (registration.ts's
    // markCounted); a model from before carries its counter over.
    "highestCounted = if_not_exists(highestCounted, :countedSeed)";
  if (advances) {
    update += ", highestVersion = :version, allocated = :allocated";
    values[":version"] = version;
    values[":allocated"] = allocationOf(version);
  }
  if (change.staged) {
    update += " ADD stagingVersions :staged";
    values[":staged"] = new Set([version]);
  }
  return { Update: { TableName: tableName(), Key: keys.model(model), UpdateExpression: update, ConditionExpression: modelCondition, ExpressionAttributeNames: names, ExpressionAttributeValues: values } };
}
