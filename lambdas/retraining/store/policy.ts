/**
 * A model's retraining policy in the table (key design in lambdas/shared/table.ts), and the sparse index
 * of the policies that have a schedule.
 */
import { resourceNames } from "../../shared/env.js";
import { keys, TableKeys } from "../../shared/table.js";
import type { RetrainingPolicy } from "../contract.js";
import { sendConditional } from "../../shared/conditional-write.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { queryItems } from "../../shared/query-pages.js";

const table = (): string => resourceNames().table;

/** The policy of a model with every trigger off, for a model that has none. */
export function emptyPolicy(model: string): RetrainingPolicy {
  return { model, onDriftPsiAbove: null, onPerformanceDegradationPercent: null, schedule: null, minHoursBetween: 24, nextScheduledAt: null, updatedAt: "", updatedBy: "" };
}

function toPolicy(item: Record<string, unknown>): RetrainingPolicy {
  return {
    model: item.model as string,
    onDriftPsiAbove: (item.onDriftPsiAbove as number | undefined) ?? null,
    onPerformanceDegradationPercent: (item.onPerformanceDegradationPercent as number | undefined) ?? null,
    schedule: (item.schedule as { everyHours: number } | undefined) ?? null,
    minHoursBetween: item.minHoursBetween as number,
    nextScheduledAt: (item.nextScheduledAt as string | undefined) ?? null,
    updatedAt: item.updatedAt as string,
    updatedBy: item.updatedBy as string,
  };
}

/** The model's policy; undefined when none was set. */
export async function getPolicy(model: string): Promise<RetrainingPolicy | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(new GetCommand({ TableName: table(), Key: keys.retrainingPolicy(model) }));
  return res.Item ? toPolicy(res.Item) : undefined;
}

/** Stores a policy; one with a schedule is also placed in the sparse schedule index. */
export async function putPolicy(policy: RetrainingPolicy): Promise<void> {
  const { PutCommand, documentClient } = await loadDynamo();
  const item: Record<string, unknown> = { ...keys.retrainingPolicy(policy.model), type: "retraining-policy", ...policy };
  for (const k of ["onDriftPsiAbove", "onPerformanceDegradationPercent", "schedule", "nextScheduledAt"]) if (item[k] === null) delete item[k];
  if (policy.schedule) {
    item[TableKeys.gsi1PartitionKey] = keys.retrainingSchedulesGsi;
    item[TableKeys.gsi1SortKey] = policy.model;
  }
  await documentClient().send(new PutCommand({ TableName: table(), Item: item }));
}

/** Policies that have a schedule (the scheduler's pass), all pages. */
export async function scheduledPolicies(): Promise<RetrainingPolicy[]> {
  const { items } = await queryItems({
    TableName: table(),
    IndexName: TableKeys.gsi1Name,
    KeyConditionExpression: "#p = :p",
    ExpressionAttributeNames: { "#p": TableKeys.gsi1PartitionKey },
    ExpressionAttributeValues: { ":p": keys.retrainingSchedulesGsi },
  });
  return items.map(toPolicy);
}

/**
 * Moves a schedule's next due time forward, conditioned on the due time read: of several concurrent
 * scheduler runs, one wins the slot. The policy must still have that due time (a PUT in between wins).
 * @returns true when this call won the slot
 */
export async function advanceSchedule(model: string, dueAt: string, nextAt: string): Promise<boolean> {
  const { UpdateCommand } = await loadDynamo();
  const written = await sendConditional(
    new UpdateCommand({
      TableName: table(),
      Key: keys.retrainingPolicy(model),
      UpdateExpression: "SET nextScheduledAt = :next",
      ConditionExpression: "nextScheduledAt = :due",
      ExpressionAttributeValues: { ":next": nextAt, ":due": dueAt },
    }),
  );
  return written !== undefined;
}

