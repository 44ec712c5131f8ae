/**
 * The reads and writes of performance estimation: unlabelled scored rows as score histograms by UTC day
 * (`SCORES#{time}#{id}` items: a batch posted with scores and no actuals, or a log of predictions awaiting
 * ground truth — the latter expire with the predictions, 90 days), and a version's estimation reference.
 */
import { resourceNames } from "../../shared/env.js";
import { keys } from "../../shared/table.js";
import { padSemver } from "../../core/lifecycle/semver.js";
import type { EstimationHistogram } from "../../core/performance/estimation-histogram.js";
import type { CalibrationMethod } from "../../core/performance/estimation-calibration.js";
import { ConflictError } from "../../shared/errors.js";
import { sendConditional } from "../../shared/conditional-write.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { queryFirst, queryItems } from "../../shared/query-pages.js";
import { maxWindowBatches } from "./batches.js";

/** Unlabelled scored rows of one post, as stored. */
export interface StoredScores {
  readonly id: string;
  readonly model: string;
  readonly version: string;
  readonly source: "batch" | "predictions";
  /** When the post was received (the item's place in time). */
  readonly timestamp: string;
  readonly count: number;
  readonly byDay: Record<string, EstimationHistogram>;
  readonly rawUri: string;
  readonly caller: string;
  readonly requestId: string;
  /** TTL (epoch seconds) for prediction logs. */
  readonly expiresAt?: number;
}

/** Stores unlabelled scored rows; the key holds a fresh id, the condition guards against a collision. */
export async function putScores(item: StoredScores): Promise<void> {
  const { PutCommand } = await loadDynamo();
  await sendConditional(
    new PutCommand({
      TableName: resourceNames().table,
      Item: { ...keys.performanceScores(item.model, item.timestamp, item.id), type: "performance-scores", ...item },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
    { onConditionFailed: (cause) => new ConflictError(`scores ${item.id} are already stored; send the request again`, { cause }) },
  );
}

/** Unlabelled scored rows of a version placed in [fromIso, toIso], oldest first (at most 20,000 items). */
export async function queryScores(model: string, version: string, fromIso: string, toIso: string): Promise<{ items: StoredScores[]; truncated: boolean }> {
  const { items, truncated } = await queryItems(
    {
      TableName: resourceNames().table,
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
      FilterExpression: "#v = :v",
      ExpressionAttributeNames: { "#v": "version" },
      ExpressionAttributeValues: { ":pk": keys.modelPk(model), ":from": `${keys.scoresSkPrefix}${fromIso}`, ":to": `${keys.scoresSkPrefix}${toIso}~`, ":v": version },
    },
    { cap: maxWindowBatches },
  );
  return { items: items as unknown as StoredScores[], truncated };
}

/** The unlabelled batch `id` of a version (source `batch`), or undefined. */
export async function findUnlabelledBatch(model: string, version: string, id: string): Promise<StoredScores | undefined> {
  const found = await queryFirst({
    TableName: resourceNames().table,
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    FilterExpression: "id = :id AND #v = :v AND #s = :batch",
    ExpressionAttributeNames: { "#v": "version", "#s": "source" },
    ExpressionAttributeValues: { ":pk": keys.modelPk(model), ":prefix": keys.scoresSkPrefix, ":id": id, ":v": version, ":batch": "batch" },
  });
  return found as unknown as StoredScores | undefined;
}

/** Deletes stored scored rows; false when they were already gone (a concurrent deletion). */
export async function deleteScores(item: Pick<StoredScores, "model" | "timestamp" | "id">): Promise<boolean> {
  const { DeleteCommand } = await loadDynamo();
  const done = await sendConditional(
    new DeleteCommand({ TableName: resourceNames().table, Key: keys.performanceScores(item.model, item.timestamp, item.id), ConditionExpression: "attribute_exists(pk)" }),
  );
  return done !== undefined;
}

/** A version's stored estimation reference. */
export interface EstimationReferenceSetting {
  readonly model: string;
  readonly version: string;
  /** The labelled batches placed in [from, to] are the reference. */
  readonly from: string;
  readonly to: string;
  readonly method: CalibrationMethod | "auto";
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** The stored reference of a version, or undefined. */
export async function getEstimationReference(model: string, version: string): Promise<EstimationReferenceSetting | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(new GetCommand({ TableName: resourceNames().table, Key: keys.estimationReference(model, padSemver(version)), ConsistentRead: true }));
  if (!res.Item) return undefined;
  const { from, to, method, updatedAt, updatedBy } = res.Item as Record<string, string>;
  return { model, version, from, to, method: method as EstimationReferenceSetting["method"], updatedAt, updatedBy };
}

/** Replaces a version's reference; returns the previous one. */
export async function putEstimationReference(setting: EstimationReferenceSetting): Promise<EstimationReferenceSetting | undefined> {
  const { PutCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(
    new PutCommand({
      TableName: resourceNames().table,
      Item: { ...keys.estimationReference(setting.model, padSemver(setting.version)), type: "estimation-reference", ...setting },
      ReturnValues: "ALL_OLD",
    }),
  );
  if (!res.Attributes) return undefined;
  const { from, to, method, updatedAt, updatedBy } = res.Attributes as Record<string, string>;
  return { model: setting.model, version: setting.version, from, to, method: method as EstimationReferenceSetting["method"], updatedAt, updatedBy };
}
