/**
 * The estimation track record in the table: one item per labelled batch that checked estimates
 * (`ESTRECORD#{padded version}#{batchId}`, lambdas/core/performance/estimation-track-record.ts). Written once
 * (a conditional put: recording the same batch again changes nothing), read by version for the report,
 * deleted with its batch.
 */
import { resourceNames } from "../../shared/env.js";
import { keys } from "../../shared/table.js";
import { padSemver } from "../../core/lifecycle/semver.js";
import type { TrackRecordEntry } from "../../core/performance/estimation-track-record.js";
import { sendConditional } from "../../shared/conditional-write.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { queryItems } from "../../shared/query-pages.js";

/** Most entries a report reads (the newest are kept when a version has more). */
export const maxRecordEntries = 5000;

/** Stores an entry; false when the batch is already in the record. */
export async function putRecordEntry(model: string, entry: TrackRecordEntry): Promise<boolean> {
  const { PutCommand } = await loadDynamo();
  const written = await sendConditional(
    new PutCommand({
      TableName: resourceNames().table,
      Item: { ...keys.estimationRecord(model, padSemver(entry.version), entry.batchId), type: "estimation-record", model, ...entry },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
  return written !== undefined;
}

/** The entries of a version, newest batch first (at most {@link maxRecordEntries}). */
export async function queryRecordEntries(model: string, version: string): Promise<{ entries: TrackRecordEntry[]; truncated: boolean }> {
  const { items, truncated } = await queryItems(
    {
      TableName: resourceNames().table,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": keys.modelPk(model), ":prefix": `${keys.estimationRecordSkPrefix}${padSemver(version)}#` },
      ScanIndexForward: false,
    },
    { cap: maxRecordEntries },
  );
  const entries = items.map((item): TrackRecordEntry => {
    const { batchId, version: v, source, recordedAt, method, referenceCount, windows } = item as unknown as TrackRecordEntry;
    return { batchId, version: v, source, recordedAt, method, referenceCount, windows };
  });
  return { entries, truncated };
}

/** Deletes a batch's entry (nothing when it has none). */
export async function deleteRecordEntry(model: string, version: string, batchId: string): Promise<void> {
  const { DeleteCommand, documentClient } = await loadDynamo();
  await documentClient().send(new DeleteCommand({ TableName: resourceNames().table, Key: keys.estimationRecord(model, padSemver(version), batchId) }));
}
