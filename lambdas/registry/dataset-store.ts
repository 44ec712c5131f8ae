/**
 * Dataset versions for lineage. A version's id is the first 16 hex digits of its content's sha256, so
 * the same bytes registered twice are the same version (the second registration returns the first
 * record). Each version may name a parent (in the same dataset, or `name@id` in another), which makes
 * the lineage chain; parents must exist first, so the chain has no cycles.
 */
import { diffDatasetSchemas, type ColumnSchema, type DatasetDiff } from "../core/lifecycle/dataset-diff.js";
import { ConflictError, NotFoundError, UnprocessableError } from "../shared/errors.js";
import { keys, TableKeys } from "../shared/table.js";
import { recordAudit } from "../shared/audit.js";
import { parseS3Uri } from "./artifacts.js";
import { fingerprintDataset, type DatasetFormat } from "./dataset-schema.js";
import type { Actor } from "./registration.js";
import { queryPage, tableName, type Page } from "./store.js";
import { sendConditional } from "../shared/conditional-write.js";
import { loadDynamo } from "../shared/sdk/dynamodb.js";

/** A dataset version as the API returns it. */
export type DatasetVersionRecord = {
  name: string;
  version: string;
  /** `name@version`, the form a model version's `datasetVersion` uses. */
  ref: string;
  dataUri: string;
  description?: string;
  parentVersion?: string;
  format: DatasetFormat;
  compression: "gzip" | "none";
  sha256: string;
  sizeBytes: number;
  etag: string;
  rowCount: number;
  columns: ColumnSchema[];
  createdAt: string;
  createdBy: string;
};

/** Longest lineage chain followed. */
export const maxLineageDepth = 100;

/** Splits a reference `name@id` (or a bare `id` within `defaultName`). */
export function parseDatasetRef(ref: string, defaultName?: string): { name: string; version: string } {
  const at = ref.lastIndexOf("@");
  if (at < 0) {
    if (!defaultName) throw new UnprocessableError(`dataset reference ${ref} must be name@versionId`);
    return { name: defaultName, version: ref };
  }
  return { name: ref.slice(0, at), version: ref.slice(at + 1) };
}

function toRecord(item: Record<string, unknown>): DatasetVersionRecord {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, type: _t, ...rest } = item;
  return rest as DatasetVersionRecord;
}

/** Reads a dataset version; undefined when absent. */
export async function getDatasetVersion(name: string, version: string): Promise<DatasetVersionRecord | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(new GetCommand({ TableName: tableName(), Key: keys.datasetVersion(name, version), ConsistentRead: true }));
  return res.Item ? toRecord(res.Item) : undefined;
}

/** Reads a dataset version. @throws NotFoundError naming it. */
export async function requireDatasetVersion(name: string, version: string): Promise<DatasetVersionRecord> {
  const found = await getDatasetVersion(name, version);
  if (!found) throw new NotFoundError(`dataset version ${name}@${version} does not exist`);
  return found;
}

/** True when the reference `name@id` names a registered dataset version. */
export async function datasetExists(ref: string): Promise<boolean> {
  const { name, version } = parseDatasetRef(ref);
  return (await getDatasetVersion(name, version)) !== undefined;
}

/** Registers a dataset version; `created` is false when the same content was already registered. */
export async function registerDatasetVersion(
  name: string,
  input: { dataUri: string; description?: string; parentVersion?: string; format?: DatasetFormat },
  actor: Actor,
): Promise<{ record: DatasetVersionRecord; created: boolean }> {
  const { PutCommand } = await loadDynamo();
  let parentRef: string | undefined;
  if (input.parentVersion) {
    const parent = parseDatasetRef(input.parentVersion, name);
    if (!(await getDatasetVersion(parent.name, parent.version))) {
      throw new UnprocessableError(`parentVersion ${parent.name}@${parent.version} does not exist; register the parent first`);
    }
    parentRef = `${parent.name}@${parent.version}`;
  }
  const facts = await fingerprintDataset(parseS3Uri(input.dataUri), input.format);
  const version = facts.sha256.slice(0, 16);
  if (parentRef === `${name}@${version}`) throw new UnprocessableError(`dataset version ${parentRef} cannot be its own parent`);
  const now = new Date().toISOString();
  const record: DatasetVersionRecord = {
    name,
    version,
    ref: `${name}@${version}`,
    dataUri: input.dataUri,
    description: input.description,
    parentVersion: parentRef,
    ...facts,
    createdAt: now,
    createdBy: actor.caller,
  };
  const written = await sendConditional(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.datasetVersion(name, version),
        [TableKeys.gsi1PartitionKey]: keys.datasetTimeGsi(name),
        [TableKeys.gsi1SortKey]: `${now}#${version}`,
        type: "dataset-version",
        ...record,
      },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
  if (!written) {
    const existing = await requireDatasetVersion(name, version);
    if (existing.sha256 !== facts.sha256) {
      throw new ConflictError(`dataset ${name} already has a version ${version} with different content (hash prefix collision)`);
    }
    return { record: existing, created: false };
  }
  await recordAudit({ type: "dataset.registered", actor: actor.caller, target: `datasets/${name}/versions/${version}`, after: record, requestId: actor.requestId });
  return { record, created: true };
}

/** Dataset versions of a name, newest registration first. */
export async function listDatasetVersions(name: string, limit: number, nextToken?: string): Promise<Page<DatasetVersionRecord>> {
  const page = await queryPage({ listing: "dataset-versions", index: TableKeys.gsi1Name, partitionAttr: TableKeys.gsi1PartitionKey, partition: keys.datasetTimeGsi(name), newestFirst: true, limit, nextToken });
  return { items: page.items.map(toRecord), nextToken: page.nextToken };
}

/** The lineage of a version: itself, its parent, its parent's parent, … up to the root. */
export async function datasetLineage(name: string, version: string): Promise<{ chain: DatasetVersionRecord[]; truncated: boolean }> {
  const chain = [await requireDatasetVersion(name, version)];
  while (chain.length < maxLineageDepth) {
    const parentRef = chain[chain.length - 1].parentVersion;
    if (!parentRef) return { chain, truncated: false };
    const parent = parseDatasetRef(parentRef);
    const found = await getDatasetVersion(parent.name, parent.version);
    if (!found) return { chain, truncated: true };
    chain.push(found);
  }
  return { chain, truncated: chain[chain.length - 1].parentVersion !== undefined };
}

/** Compares two dataset versions (`to` may be `name@id` of another dataset). */
export async function compareDatasetVersions(name: string, from: string, to: string): Promise<DatasetDiff & { fromRef: string; toRef: string }> {
  const a = parseDatasetRef(from, name);
  const b = parseDatasetRef(to, name);
  const [x, y] = await Promise.all([requireDatasetVersion(a.name, a.version), requireDatasetVersion(b.name, b.version)]);
  return { ...diffDatasetSchemas(x, y), fromRef: x.ref, toRef: y.ref };
}
