/**
 * A model's stored performance thresholds (the defaults fill in what is not stored).
 */
import { resourceNames } from "../../shared/env.js";
import { keys } from "../../shared/table.js";
import type { PerformanceThresholds } from "../../core/performance/thresholds.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";

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
