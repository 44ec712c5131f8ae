/**
 * The performance service's reads and writes: raw batches in S3 (`batches/…`), batch summaries, per-model
 * thresholds and logged predictions in the table. Batch summaries are written with their version's task
 * claim (batch-claim.ts); what the registry knows is asked through its front door (registry/index.ts).
 */
import { resourceNames } from "../shared/env.js";
import { keys } from "../shared/table.js";
import { BucketPrefix, bucketKeys } from "../shared/buckets.js";
import type { BatchStats } from "../core/performance/sufficient-stats.js";
import type { FairnessStats } from "../core/performance/fairness.js";
import type { LatencySketch } from "../core/performance/latency.js";
import type { ScoreHistogram } from "../core/performance/estimation-histogram.js";
import type { PerformanceThresholds } from "../core/performance/thresholds.js";
import type { Task } from "../core/performance/metric-names.js";
import { NotFoundError } from "../shared/errors.js";
import { sendConditional } from "../shared/conditional-write.js";
import { loadDynamo } from "../shared/sdk/dynamodb.js";
import { loadS3 } from "../shared/sdk/s3.js";

/** Prefix of raw batches in the data bucket (lifecycle rule `expire-raw-batches`). */
export const batchesPrefix = BucketPrefix.batches;

/** Logged predictions expire this many days after logging (TTL), joined or not. */
export const predictionRetentionDays = 90;

/** Most batch summaries one report reads (a window holding more is reported as truncated). */
export const maxWindowBatches = 20_000;

/** The S3 key of a raw batch: `batches/{model}/{version}/{date}/{batchId}.json`. */
export function rawBatchKey(model: string, version: string, date: string, batchId: string): string {
  return bucketKeys.rawBatch(model, version, date, batchId);
}

/** Writes a raw request or batch as JSON; returns its s3:// URI. Failures propagate (the caller answers 500). */
export async function putRawObject(key: string, body: unknown): Promise<string> {
  const { PutObjectCommand, s3Client } = await loadS3();
  const { bucket } = resourceNames();
  await s3Client().send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(body), ContentType: "application/json", ServerSideEncryption: "AES256" }),
  );
  return `s3://${bucket}/${key}`;
}

/**
 * Deletes a raw object written by {@link putRawObject} (a batch whose summary could not be stored). The
 * bucket is versioned: the object disappears at once, its noncurrent version expires with the `batches/`
 * lifecycle rule (7 days).
 */
export async function deleteRawObject(key: string): Promise<void> {
  const { DeleteObjectCommand, s3Client } = await loadS3();
  await s3Client().send(new DeleteObjectCommand({ Bucket: resourceNames().bucket, Key: key }));
}

/** What every batch record says about its batch: stored in the table and answered to the caller alike. */
export interface BatchRecord {
  readonly batchId: string;
  readonly model: string;
  readonly version: string;
  readonly task: Task;
  readonly source: "batch" | "ground_truth";
  readonly timestamp: string;
  readonly receivedAt: string;
  readonly count: number;
  readonly metrics: Record<string, unknown>;
  readonly baseline: { source: string; metrics: Record<string, number> } | null;
  readonly rawUri: string;
}

/** The fields of {@link BatchRecord}, taken from a stored batch. */
export function batchRecordOf(b: BatchRecord): BatchRecord {
  const { batchId, model, version, task, source, timestamp, receivedAt, count, metrics, baseline, rawUri } = b;
  return { batchId, model, version, task, source, timestamp, receivedAt, count, metrics, baseline, rawUri };
}

/** A batch summary as stored (and as reports read it). */
export interface StoredBatch extends BatchRecord {
  readonly stats: BatchStats;
  /** Per-group counts (batches with `groups`). */
  readonly fairness?: FairnessStats | null;
  /** Latency sketch (batches with `latenciesMs`). */
  readonly latency?: LatencySketch | null;
  /** Score histograms by UTC day of prediction (scored binary batches: performance estimation). */
  readonly scoresByDay?: Record<string, ScoreHistogram> | null;
  readonly primaryMetric: string;
  readonly performanceDrift: Record<string, unknown> | null;
  readonly degradation: Record<string, unknown>;
  readonly requestId?: string;
  readonly caller?: string;
}

/** Adds what happened after a batch was stored (its event, its retraining request) to its summary. */
export async function updateBatchOutcome(batch: Pick<StoredBatch, "model" | "timestamp" | "batchId">, fields: { event?: unknown; retraining?: unknown }): Promise<void> {
  const { UpdateCommand } = await loadDynamo();
  const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return;
  await sendConditional(
    new UpdateCommand({
      TableName: resourceNames().table,
      Key: keys.performanceBatch(batch.model, batch.timestamp, batch.batchId),
      UpdateExpression: `SET ${entries.map(([k]) => `#${k} = :${k}`).join(", ")}`,
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeNames: Object.fromEntries(entries.map(([k]) => [`#${k}`, k])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v])),
    }),
    { onConditionFailed: (cause) => new NotFoundError(`batch ${batch.batchId} of model ${batch.model} was deleted while it was being recorded`, { cause }) },
  );
}

/**
 * Batch summaries of a model placed in [fromIso, toIso], oldest first, optionally of some versions only and
 * only those received at or after `recordedSince` (a version's registration: batches recorded before it are
 * not that version's). Stops after {@link maxWindowBatches} and says so.
 */
export async function queryBatches(
  model: string,
  fromIso: string,
  toIso: string,
  versions?: readonly string[],
  recordedSince?: string,
): Promise<{ batches: StoredBatch[]; truncated: boolean }> {
  const { QueryCommand, documentClient } = await loadDynamo();
  const batches: StoredBatch[] = [];
  let start: Record<string, unknown> | undefined;
  const names: Record<string, string> = { "#pk": "pk", "#sk": "sk" };
  const values: Record<string, unknown> = {
    ":pk": keys.modelPk(model),
    ":from": `${keys.batchSkPrefix}${fromIso}`,
    ":to": `${keys.batchSkPrefix}${toIso}~`,
  };
  const filters: string[] = [];
  if (versions && versions.length > 0) {
    names["#v"] = "version";
    filters.push(`#v IN (${versions.map((v, i) => {
      values[`:v${i}`] = v;
      return `:v${i}`;
    }).join(", ")})`);
  }
  if (recordedSince !== undefined) {
    names["#received"] = "receivedAt";
    values[":since"] = recordedSince;
    filters.push("#received >= :since");
  }
  const filter = filters.length > 0 ? filters.join(" AND ") : undefined;
  do {
    const res = await documentClient().send(
      new QueryCommand({
        TableName: resourceNames().table,
        KeyConditionExpression: "#pk = :pk AND #sk BETWEEN :from AND :to",
        FilterExpression: filter,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of res.Items ?? []) batches.push(item as unknown as StoredBatch);
    start = res.LastEvaluatedKey;
    if (batches.length >= maxWindowBatches) return { batches: batches.slice(0, maxWindowBatches), truncated: start !== undefined || batches.length > maxWindowBatches };
  } while (start);
  return { batches, truncated: false };
}

/** A model's stored thresholds (partial: only what was set), or undefined. */
export async function getStoredThresholds(model: string): Promise<{ thresholds: Partial<PerformanceThresholds>; updatedAt: string; updatedBy: string } | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(new GetCommand({ TableName: resourceNames().table, Key: keys.performanceThresholds(model), ConsistentRead: true }));
  if (!res.Item) return undefined;
  return { thresholds: res.Item.thresholds as Partial<PerformanceThresholds>, updatedAt: res.Item.updatedAt as string, updatedBy: res.Item.updatedBy as string };
}

/** Replaces a model's thresholds; returns the previous ones. */
export async function putStoredThresholds(model: string, thresholds: Partial<PerformanceThresholds>, actor: string): Promise<Partial<PerformanceThresholds> | undefined> {
  const { PutCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(
    new PutCommand({
      TableName: resourceNames().table,
      Item: { ...keys.performanceThresholds(model), type: "performance-thresholds", model, thresholds, updatedAt: new Date().toISOString(), updatedBy: actor },
      ReturnValues: "ALL_OLD",
    }),
  );
  return res.Attributes?.thresholds as Partial<PerformanceThresholds> | undefined;
}

/** A logged prediction as stored. */
export interface StoredPrediction {
  readonly id: string;
  readonly model: string;
  readonly version: string;
  readonly task: Task;
  readonly prediction: string | number;
  readonly score?: number;
  readonly timestamp: string;
  readonly loggedAt: string;
  readonly actual?: string | number;
  readonly joinId?: string;
  readonly joinedAt?: string;
}

/** Logs one prediction unless its id is already logged for the model. @returns false for a duplicate id */
export async function putPrediction(p: StoredPrediction): Promise<boolean> {
  const { PutCommand } = await loadDynamo();
  const expiresAt = Math.floor(Date.parse(p.loggedAt) / 1000) + predictionRetentionDays * 86_400;
  const written = await sendConditional(
    new PutCommand({
      TableName: resourceNames().table,
      Item: { ...keys.prediction(p.model, p.id), type: "prediction", ...p, expiresAt },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
  return written !== undefined;
}

/** The outcome of joining one actual. */
export type JoinOutcome =
  | { readonly status: "joined"; readonly prediction: StoredPrediction }
  | { readonly status: "unknown" }
  | { readonly status: "alreadyJoined" }
  | { readonly status: "taskMismatch"; readonly task: Task };

/**
 * Joins an actual to a logged prediction, once: the update is conditional on the prediction existing, having
 * no actual yet and (when the actual's type allows only one task) being of that task — so concurrent
 * ground-truth posts cannot count a record twice.
 * @param onlyTask the task the actual's type requires, if it requires one
 */
export async function joinActual(model: string, id: string, actual: string | number, joinId: string, joinedAt: string, onlyTask?: Task): Promise<JoinOutcome> {
  const { GetCommand, UpdateCommand, documentClient } = await loadDynamo();
  const table = resourceNames().table;
  const key = keys.prediction(model, id);
  const res = await sendConditional(
    new UpdateCommand({
      TableName: table,
      Key: key,
      UpdateExpression: "SET #a = :a, joinId = :j, joinedAt = :t",
      ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(#a)${onlyTask ? " AND #task = :task" : ""}`,
      ExpressionAttributeNames: { "#a": "actual", ...(onlyTask ? { "#task": "task" } : {}) },
      ExpressionAttributeValues: { ":a": actual, ":j": joinId, ":t": joinedAt, ...(onlyTask ? { ":task": onlyTask } : {}) },
      ReturnValues: "ALL_NEW",
    }),
  );
  if (res) return { status: "joined", prediction: res.Attributes as unknown as StoredPrediction };
  const current = (await documentClient().send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
  if (!current) return { status: "unknown" };
  if (current.actual !== undefined) return { status: "alreadyJoined" };
  return { status: "taskMismatch", task: current.task as Task };
}

/** Undoes a join made by `joinId` (when recording its batch failed), so a retry can join the record again. */
export async function undoJoin(model: string, id: string, joinId: string): Promise<void> {
  const { UpdateCommand } = await loadDynamo();
  // A failed condition: the join is no longer this one's, nothing to undo.
  await sendConditional(
    new UpdateCommand({
      TableName: resourceNames().table,
      Key: keys.prediction(model, id),
      UpdateExpression: "REMOVE #a, joinId, joinedAt",
      ConditionExpression: "joinId = :j",
      ExpressionAttributeNames: { "#a": "actual" },
      ExpressionAttributeValues: { ":j": joinId },
    }),
  );
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The first batch summary of a version (with id `batchId` when given): a query of the model's batches,
 * filtered, page after page until one matches.
 */
async function firstBatchOf(model: string, version: string, batchId?: string): Promise<StoredBatch | undefined> {
  const { QueryCommand, documentClient } = await loadDynamo();
  let start: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(
      new QueryCommand({
        TableName: resourceNames().table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        FilterExpression: batchId === undefined ? "#v = :v" : "batchId = :id AND #v = :v",
        ExpressionAttributeNames: { "#v": "version" },
        ExpressionAttributeValues: { ":pk": keys.modelPk(model), ":prefix": keys.batchSkPrefix, ":v": version, ...(batchId === undefined ? {} : { ":id": batchId }) },
        ExclusiveStartKey: start,
      }),
    );
    const found = res.Items?.[0];
    if (found) return found as unknown as StoredBatch;
    start = res.LastEvaluatedKey;
  } while (start);
  return undefined;
}

/** Finds a batch summary of a version by id. */
export function findBatch(model: string, version: string, batchId: string): Promise<StoredBatch | undefined> {
  return firstBatchOf(model, version, batchId);
}

/** Reads a raw object written by {@link putRawObject}; undefined when it is gone. */
export async function getRawObject(key: string): Promise<Record<string, unknown> | undefined> {
  const { GetObjectCommand, s3Client } = await loadS3();
  try {
    const out = await s3Client().send(new GetObjectCommand({ Bucket: resourceNames().bucket, Key: key }));
    return JSON.parse((await out.Body?.transformToString("utf-8")) ?? "null") as Record<string, unknown>;
  } catch (err) {
    if ((err as { name?: string }).name === "NoSuchKey") return undefined;
    throw err;
  }
}
