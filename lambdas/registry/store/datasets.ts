/**
 * Dataset version records: their reads, the conditional write of a new one, and the listing by
 * registration time. A reference is `name@id` (or a bare id within a dataset).
 */
import type { ColumnSchema } from "../../core/lifecycle/dataset-diff.js";
import { NotFoundError, UnprocessableError } from "../../shared/errors.js";
import { keys, TableKeys } from "../../shared/table.js";
import { sendConditional } from "../../shared/conditional-write.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import type { DatasetFormat } from "../dataset-schema.js";
import { queryPage, type Page } from "./page.js";
import { tableName } from "./table.js";

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

/** Writes a dataset version unless one of that id exists; false when it does. */
export async function putDatasetVersion(record: DatasetVersionRecord): Promise<boolean> {
  const { PutCommand } = await loadDynamo();
  const written = await sendConditional(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.datasetVersion(record.name, record.version),
        [TableKeys.gsi1PartitionKey]: keys.datasetTimeGsi(record.name),
        [TableKeys.gsi1SortKey]: `${record.createdAt}#${record.version}`,
        type: "dataset-version",
        ...record,
      },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
  return written !== undefined;
}

/** Dataset versions of a name, newest registration first. */
export async function listDatasetVersions(name: string, limit: number, nextToken?: string): Promise<Page<DatasetVersionRecord>> {
  const page = await queryPage({ listing: "dataset-versions", index: TableKeys.gsi1Name, partitionAttr: TableKeys.gsi1PartitionKey, partition: keys.datasetTimeGsi(name), newestFirst: true, limit, nextToken });
  return { items: page.items.map(toRecord), nextToken: page.nextToken };
}
