/**
 * Baseline items in the table (`keys.driftBaseline`): written building or ready, finished by the worker,
 * listed newest first. The profile is an object (store/objects.ts); store/active-baseline.ts loads both.
 */
import { ConflictError, NotFoundError } from "../../shared/errors.js";
import { keys } from "../../shared/table.js";
import { sendConditional } from "../../shared/conditional-write.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import type { ProfileSource } from "../profile.js";
import { queryModelPage, strip, table, type Page } from "./items.js";

/** Lifecycle of a baseline: inline data is ready at once, S3 data is profiled by the worker. */
export type BaselineStatus = "building" | "ready" | "failed";

/** What the caller asked a baseline to contain. */
export interface BaselineOptions {
  readonly categorical?: string[];
  readonly features?: string[];
  readonly exclude?: string[];
}

/** A baseline's item in the table. */
export interface BaselineRecord {
  readonly model: string;
  readonly baselineId: string;
  readonly status: BaselineStatus;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly readyAt?: string;
  readonly source: ProfileSource;
  readonly options: BaselineOptions;
  readonly rows?: number;
  /** Feature name → type. */
  readonly features?: Record<string, "numerical" | "categorical">;
  readonly profileUri?: string;
  readonly error?: string;
}

/** Writes a new baseline item (refuses to overwrite an id). */
export async function putBaseline(record: BaselineRecord): Promise<void> {
  const { PutCommand } = await loadDynamo();
  await sendConditional(
    new PutCommand({
      TableName: table(),
      Item: { ...keys.driftBaseline(record.model, record.baselineId), ...record },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
    { onConditionFailed: (cause) => new ConflictError(`baseline ${record.baselineId} of model ${record.model} already exists`, { cause }) },
  );
}

/** Marks a building baseline ready (with its profile) or failed. */
export async function finishBaseline(
  model: string,
  baselineId: string,
  result: { status: "ready"; rows: number; features: Record<string, "numerical" | "categorical">; profileUri: string; readyAt: string } | { status: "failed"; error: string },
): Promise<void> {
  const { UpdateCommand } = await loadDynamo();
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  for (const [k, v] of Object.entries(result)) {
    names[`#${k}`] = k;
    values[`:${k}`] = v;
    sets.push(`#${k} = :${k}`);
  }
  await sendConditional(
    new UpdateCommand({
      TableName: table(),
      Key: keys.driftBaseline(model, baselineId),
      UpdateExpression: `SET ${sets.join(", ")}`,
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
    { onConditionFailed: (cause) => new NotFoundError(`baseline ${baselineId} of model ${model} was deleted`, { cause }) },
  );
}

/** A baseline item, or undefined. */
export async function getBaseline(model: string, baselineId: string): Promise<BaselineRecord | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const out = await documentClient().send(new GetCommand({ TableName: table(), Key: keys.driftBaseline(model, baselineId), ConsistentRead: true }));
  return strip(out.Item) as BaselineRecord | undefined;
}

/** One page of a model's baselines, newest first. */
export async function listBaselines(model: string, limit: number, nextToken?: string): Promise<Page<BaselineRecord>> {
  const page = await queryModelPage("baselines", model, keys.baselineSkPrefix, limit, nextToken);
  return { items: page.items.map((i) => strip(i) as unknown as BaselineRecord), nextToken: page.nextToken };
}

/**
 * Marks a baseline failed unless it already finished (still `building`). Used when the worker died without
 * recording the outcome (its asynchronous retries exhausted, or the event expired in the queue).
 * @returns false when the item is missing or already finished (nothing changed)
 */
export async function failOpenBaseline(model: string, baselineId: string, error: string): Promise<boolean> {
  const { UpdateCommand } = await loadDynamo();
  const written = await sendConditional(
    new UpdateCommand({
      TableName: table(),
      Key: keys.driftBaseline(model, baselineId),
      UpdateExpression: "SET #s = :failed, #e = :e",
      ConditionExpression: "attribute_exists(pk) AND #s = :building",
      ExpressionAttributeNames: { "#s": "status", "#e": "error" },
      ExpressionAttributeValues: { ":failed": "failed", ":e": error, ":building": "building" },
    }),
  );
  return written !== undefined;
}
