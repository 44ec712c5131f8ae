/**
 * The registry's table access shared by every operation: item shapes, record mappers, reads, paginated
 * queries, and the one translation of a cancelled transaction. Writes that change state live with their
 * operation (registration.ts, lifecycle.ts, deployments.ts, dataset-store.ts), each a single transaction.
 */
import { randomUUID } from "node:crypto";
import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { resourceNames } from "../shared/env.js";
import { decodePageToken, encodePageToken, stringKey } from "../shared/page-token.js";
import { keys, TableKeys } from "../shared/table.js";
import { NotFoundError } from "../shared/errors.js";
import { padSemver } from "../core/lifecycle/semver.js";
import type { Stage } from "../core/lifecycle/stages.js";
import type { Direction, GateResult } from "../core/lifecycle/gate.js";
import type { PolicyGateResult } from "../core/lifecycle/policy.js";
import { loadDynamo } from "../shared/sdk/dynamodb.js";
import { cancellationCodes, transactWrite } from "../shared/transact.js";

/** Where a version's artifact is and what it is. */
export type Artifact = {
  uri: string;
  /** True when the registry created the object (requestUpload) and deletes it with the version. */
  owned: boolean;
  /** `pending_upload` until an uploaded artifact is verified; `available` once its checksum is known. */
  status: "available" | "pending_upload";
  sizeBytes?: number;
  etag?: string;
  sha256?: string;
  verifiedAt?: string;
  /** The registration allowed a 0-byte artifact (`allowEmptyArtifact: true`); otherwise verification refuses one. */
  allowEmpty?: boolean;
};

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

/** A model version as the API returns it. */
export type VersionRecord = {
  model: string;
  version: string;
  stage: Stage;
  artifact: Artifact;
  trainingJobName?: string;
  metrics: Record<string, number>;
  parameters?: Record<string, string | number | boolean | null>;
  tags?: Record<string, string>;
  datasetVersion?: string;
  description?: string;
  createdAt: string;
  createdBy: string;
  stageChangedAt: string;
  promotedAt?: string;
  archivedAt?: string;
  gate?: (GateResult | PolicyGateResult) & { forced: boolean };
  /** The model's aliases that point to this version (stored as a string set). */
  aliases?: string[];
  lastDeployment?: { endpointName: string; environment: string; region: string; deployedAt: string };
};

/** One change in a model's history. */
export type HistoryRecord = {
  id: string;
  time: string;
  event: "register" | "promote" | "rollback" | "deploy" | "delete" | "verify" | "policy" | "request_approval" | "approve" | "reject" | "cancel_approval" | "alias" | "tag" | "retention";
  model: string;
  version: string | null;
  from: string | null;
  to: string | null;
  actor: string;
  reason: string | null;
  details?: Record<string, unknown>;
  requestId?: string;
};

/** The table name, read at call time. */
export const tableName = (): string => resourceNames().table;

/** The data bucket, read at call time. */
export const dataBucket = (): string => resourceNames().bucket;

/** Item attributes that are keys, not part of a record. */
const keyAttributes = new Set<string>([TableKeys.partitionKey, TableKeys.sortKey, TableKeys.gsi1PartitionKey, TableKeys.gsi1SortKey, "type", TableKeys.ttlAttribute]);

function stripKeys(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !keyAttributes.has(k)));
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

/** Maps a stored version item to its record. */
export function toVersionRecord(item: Record<string, unknown>): VersionRecord {
  const { aliases, tagsRevision: _t, ...rest } = stripKeys(item);
  const list = aliases instanceof Set ? [...(aliases as Set<string>)].sort() : [];
  return { ...(rest as VersionRecord), aliases: list };
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

/** Reads a version; undefined when it does not exist. */
export async function getVersion(model: string, version: string): Promise<VersionRecord | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: keys.modelVersion(model, padSemver(version)), ConsistentRead: true }),
  );
  return res.Item ? toVersionRecord(res.Item) : undefined;
}

/** Reads a version. @throws NotFoundError naming the model or the version. */
export async function requireVersion(model: string, version: string): Promise<VersionRecord> {
  const found = await getVersion(model, version);
  if (found) return found;
  if (!(await getModel(model))) throw new NotFoundError(`model ${model} does not exist`);
  throw new NotFoundError(`version ${version} of model ${model} does not exist`);
}

/** The stored attributes of a version item (keys included). */
export function versionItem(record: VersionRecord): Record<string, unknown> {
  const padded = padSemver(record.version);
  return {
    ...keys.modelVersion(record.model, padded),
    [TableKeys.gsi1PartitionKey]: keys.stageGsi(record.model, record.stage),
    [TableKeys.gsi1SortKey]: padded,
    type: "version",
    ...record,
  };
}

/** Builds a history entry and its item. `seq` orders entries written in the same instant (higher = newer). */
export function historyEntry(entry: Omit<HistoryRecord, "id" | "time">, time: string, seq = 0): { record: HistoryRecord; item: Record<string, unknown> } {
  const id = `${seq}${randomUUID().replace(/-/g, "").slice(0, 15)}`;
  const record: HistoryRecord = { id, time, ...entry };
  return { record, item: { ...keys.modelHistory(entry.model, time, id), type: "history", ...record } };
}

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

/**
 * Versions of a model, highest first, optionally of one stage and with one tag value. The tag filter
 * applies within each page (a page may hold fewer than `limit` versions and still have a `nextToken`).
 */
export async function listVersions(model: string, stage: Stage | undefined, limit: number, nextToken?: string, tag?: { key: string; value: string }): Promise<Page<VersionRecord>> {
  const filter = tag ? { expression: "#tags.#tagKey = :tagValue", names: { "#tags": "tags", "#tagKey": tag.key }, values: { ":tagValue": tag.value } } : undefined;
  const page = stage
    ? await queryPage({ listing: "versions", index: TableKeys.gsi1Name, partitionAttr: TableKeys.gsi1PartitionKey, partition: keys.stageGsi(model, stage), newestFirst: true, limit, nextToken, filter })
    : await queryPage({ listing: "versions", partitionAttr: TableKeys.partitionKey, partition: keys.modelPk(model), skPrefix: keys.versionSkPrefix, newestFirst: true, limit, nextToken, filter });
  return { items: page.items.map(toVersionRecord), nextToken: page.nextToken };
}

/** All models by name. */
export async function listModels(limit: number, nextToken?: string): Promise<Page<ModelRecord>> {
  const page = await queryPage({ listing: "models", index: TableKeys.gsi1Name, partitionAttr: TableKeys.gsi1PartitionKey, partition: keys.allModelsGsi, newestFirst: false, limit, nextToken });
  return { items: page.items.map((i) => toModelRecord(toModelState(i))), nextToken: page.nextToken };
}

/** A model's history, newest first. */
export async function listHistory(model: string, limit: number, nextToken?: string): Promise<Page<HistoryRecord>> {
  const page = await queryPage({ listing: "history", partitionAttr: TableKeys.partitionKey, partition: keys.modelPk(model), skPrefix: keys.historySkPrefix, newestFirst: true, limit, nextToken });
  return { items: page.items.map((i) => stripKeys(i) as HistoryRecord), nextToken: page.nextToken };
}

/** Why each item of a cancelled transaction failed (`None` when it did not). */
export type CancellationCodes = string[];

/**
 * Runs a transaction (shared/transact.ts); a cancellation caused by failed conditions alone is returned as
 * the per-item codes so the caller can name the conflict. Any other cancellation was retried there and is
 * thrown as a 503 with nothing written.
 */
export async function transact(items: NonNullable<TransactWriteCommandInput["TransactItems"]>): Promise<CancellationCodes | undefined> {
  const { TransactionCanceledException } = await loadDynamo();
  try {
    await transactWrite(items);
    return undefined;
  } catch (err) {
    if (err instanceof TransactionCanceledException) return cancellationCodes(err);
    throw err;
  }
}

/** True when item `index` of a cancelled transaction failed its condition. */
export function failedAt(codes: CancellationCodes, index: number): boolean {
  return codes[index] === "ConditionalCheckFailed";
}
