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
  const { QueryCommand, documentClient } = await loadDynamo();
  const entries: TrackRecordEntry[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(
      new QueryCommand({
        TableName: resourceNames().table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": keys.modelPk(model), ":prefix": `${keys.estimationRecordSkPrefix}${padSemver(version)}#` },
        ScanIndexForward: false,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of res.Items ?? []) {
      const { batchId, version: v, source, recordedAt, method, referenceCount, windows } = item as unknown as TrackRecordEntry;
      entries.push({ batchId, version: v, source, recordedAt, method, referenceCount, windows });
    }
    start = res.LastEvaluatedKey;
    if (entries.length >= maxRecordEntries) return { entries: entries.slice(0, maxRecordEntries), truncated: true };
  } while (start);
  return { entries, truncated: false };
}

/** Deletes a batch's entry (nothing when it has none). */
export async function deleteRecordEntry(model: string, version: string, batchId: string): Promise<void> {
  const { DeleteCommand, documentClient } = await loadDynamo();
  await documentClient().send(new DeleteCommand({ TableName: resourceNames().table, Key: keys.estimationRecord(model, padSemver(version), batchId) }));
}
