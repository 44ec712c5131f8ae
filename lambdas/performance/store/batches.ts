/**
 * Batch summaries in the table: written with their version's task claim (batch-claim.ts), read by
 * window for the report and the comparison, found by id for deletion.
 */
import { resourceNames } from "../../shared/env.js";
import { keys } from "../../shared/table.js";
import type { BatchStats } from "../../core/performance/sufficient-stats.js";
import type { FairnessStats } from "../../core/performance/fairness.js";
import type { LatencySketch } from "../../core/performance/latency.js";
import type { EstimationHistogram } from "../../core/performance/estimation-histogram.js";
import type { Task } from "../../core/performance/metric-names.js";
import { NotFoundError } from "../../shared/errors.js";
import { sendConditional } from "../../shared/conditional-write.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { queryFirst, queryItems } from "../../shared/query-pages.js";

/** Most batch summaries one report reads (a window holding more is reported as truncated). */
export const maxWindowBatches = 20_000;

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
  readonly scoresByDay?: Record<string, EstimationHistogram> | null;
  readonly primaryMetric: string;
  readonly performanceDrift: Record<string, unknown> | null;
  readonly degradation: Record<string, unknown>;
  readonly requestId?: string;
  readonly caller?: string;
}

/** Adds what happened after a batch was stored (its event, its retraining request, the steps that did not complete) to its summary. */
export async function updateBatchOutcome(batch: Pick<StoredBatch, "model" | "timestamp" | "batchId">, fields: { event?: unknown; retraining?: unknown; incomplete?: unknown }): Promise<void> {
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
  const { items, truncated } = await queryItems(
    {
      TableName: resourceNames().table,
      KeyConditionExpression: "#pk = :pk AND #sk BETWEEN :from AND :to",
      FilterExpression: filter,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
    { cap: maxWindowBatches },
  );
  return { batches: items as unknown as StoredBatch[], truncated };
}

/**
 * The first batch summary of a version (with id `batchId` when given): a query of the model's batches,
 * filtered, page after page until one matches.
 */
async function firstBatchOf(model: string, version: string, batchId?: string): Promise<StoredBatch | undefined> {
  const found = await queryFirst({
    TableName: resourceNames().table,
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    FilterExpression: batchId === undefined ? "#v = :v" : "batchId = :id AND #v = :v",
    ExpressionAttributeNames: { "#v": "version" },
    ExpressionAttributeValues: { ":pk": keys.modelPk(model), ":prefix": keys.batchSkPrefix, ":v": version, ...(batchId === undefined ? {} : { ":id": batchId }) },
  });
  return found as unknown as StoredBatch | undefined;
}

/** Finds a batch summary of a version by id. */
export function findBatch(model: string, version: string, batchId: string): Promise<StoredBatch | undefined> {
  return firstBatchOf(model, version, batchId);
}
