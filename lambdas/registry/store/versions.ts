/**
 * Version records: a model version and its artifact, their mapping to and from an item, reads and the
 * listing of a model's versions (by stage, by tag).
 */
import { keys, TableKeys } from "../../shared/table.js";
import { NotFoundError } from "../../shared/errors.js";
import { padSemver } from "../../core/lifecycle/semver.js";
import type { Stage } from "../../core/lifecycle/stages.js";
import type { GateResult } from "../../core/lifecycle/gate.js";
import type { PolicyGateResult } from "../../core/lifecycle/policy.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { getModel } from "./models.js";
import { queryPage, type Page } from "./page.js";
import { stripKeys, tableName } from "./table.js";
import type { TransactItem } from "./transact.js";
import { sendConditional } from "../../shared/conditional-write.js";
import type { EventOutcome } from "../../shared/events-bus.js";

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

/** Maps a stored version item to its record. */
export function toVersionRecord(item: Record<string, unknown>): VersionRecord {
  const { aliases, tagsRevision: _t, ...rest } = stripKeys(item);
  const list = aliases instanceof Set ? [...(aliases as Set<string>)].sort() : [];
  return { ...(rest as VersionRecord), aliases: list };
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

/** The stored version item as it is (its tag revision included); undefined when it does not exist. */
export async function getVersionItem(model: string, version: string): Promise<Record<string, unknown> | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(new GetCommand({ TableName: tableName(), Key: keys.modelVersion(model, padSemver(version)), ConsistentRead: true }));
  return res.Item;
}

/** Writes a new version's item ({@link versionItem}); its condition fails when the number exists. */
export function versionPut(item: Record<string, unknown>): TransactItem {
  return { Put: { TableName: tableName(), Item: item, ConditionExpression: "attribute_not_exists(pk)" } };
}

/**
 * Moves a version to a new stage: updates stage, stage index key and timestamps (and `extra` attributes),
 * conditioned on the stage read — and with `unaliased`, on the version holding no alias.
 */
export function stageUpdate(model: string, version: string, from: Stage, to: Stage, now: string, extra: Record<string, unknown> = {}, unaliased = false): TransactItem {
  const sets = ["stage = :to", "#gpk = :gpk", "stageChangedAt = :now"];
  const values: Record<string, unknown> = { ":to": to, ":from": from, ":gpk": keys.stageGsi(model, to), ":now": now };
  for (const [name, value] of Object.entries(extra)) {
    sets.push(`${name} = :${name}`);
    values[`:${name}`] = value;
  }
  return {
    Update: {
      TableName: tableName(),
      Key: keys.modelVersion(model, padSemver(version)),
      UpdateExpression: `SET ${sets.join(", ")}`,
      ConditionExpression: unaliased ? "stage = :from AND attribute_not_exists(aliases)" : "stage = :from",
      ExpressionAttributeNames: { "#gpk": TableKeys.gsi1PartitionKey },
      ExpressionAttributeValues: values,
    },
  };
}

/** A check, in a transaction, that the version is still in `from`. */
export function stageCheck(model: string, version: string, from: Stage): TransactItem {
  return {
    ConditionCheck: {
      TableName: tableName(),
      Key: keys.modelVersion(model, padSemver(version)),
      ConditionExpression: "stage = :from",
      ExpressionAttributeValues: { ":from": from },
    },
  };
}

/** Deletes a version's item, only if it exists, is not in `production` and holds no alias. */
export function versionDelete(model: string, version: string, production: Stage): TransactItem {
  return {
    Delete: {
      TableName: tableName(),
      Key: keys.modelVersion(model, padSemver(version)),
      ConditionExpression: "attribute_exists(pk) AND stage <> :p AND attribute_not_exists(aliases)",
      ExpressionAttributeValues: { ":p": production },
    },
  };
}

/** Records a verified artifact, only if the version exists and its artifact is still pending its upload. */
export function artifactVerifiedUpdate(model: string, version: string, artifact: Artifact): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.modelVersion(model, padSemver(version)),
      UpdateExpression: "SET artifact = :a",
      ConditionExpression: "attribute_exists(pk) AND artifact.#st = :pending",
      ExpressionAttributeNames: { "#st": "status" },
      ExpressionAttributeValues: { ":a": artifact, ":pending": "pending_upload" },
    },
  };
}

/** Replaces a version's tags, conditioned on the tag revision read (0: none written yet). */
export function tagsUpdate(model: string, version: string, tags: Record<string, string>, revision: number): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.modelVersion(model, padSemver(version)),
      UpdateExpression: "SET tags = :t, tagsRevision = :next",
      ConditionExpression: revision === 0 ? "attribute_exists(pk) AND attribute_not_exists(tagsRevision)" : "tagsRevision = :rev",
      ExpressionAttributeValues: revision === 0 ? { ":t": tags, ":next": 1 } : { ":t": tags, ":next": revision + 1, ":rev": revision },
    },
  };
}

/** Sets a version's `lastDeployment` (its condition also proves the version exists). */
export function lastDeploymentUpdate(model: string, version: string, deployment: NonNullable<VersionRecord["lastDeployment"]>): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.modelVersion(model, padSemver(version)),
      UpdateExpression: "SET lastDeployment = :d",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":d": deployment },
    },
  };
}

/** Adds an alias to, or removes it from, a version's `aliases` set (the version must exist). */
export function aliasSetUpdate(model: string, version: string, op: "ADD" | "DELETE", alias: string): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.modelVersion(model, padSemver(version)),
      UpdateExpression: `${op} aliases :a`,
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":a": new Set([alias]) },
    },
  };
}

/** Stores a lifecycle event's outcome on the version (`event`); a version deleted meanwhile fails the condition. */
export async function putEventOutcome(model: string, version: string, event: EventOutcome): Promise<void> {
  const { UpdateCommand } = await loadDynamo();
  await sendConditional(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.modelVersion(model, padSemver(version)),
      UpdateExpression: "SET #e = :e",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeNames: { "#e": "event" },
      ExpressionAttributeValues: { ":e": event },
    }),
  );
}
