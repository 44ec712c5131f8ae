/**
 * Check summary items in the table (`keys.driftCheck`): written pending or completed, updated as the check
 * runs and finishes, listed newest first. The full report is an object (store/objects.ts).
 */
import type { CheckCost } from "../../core/cost/check-cost.js";
import type { DriftThresholds } from "../../core/drift/index.js";
import { ConflictError, NotFoundError } from "../../shared/errors.js";
import type { IncompleteStep } from "../../shared/finishing-steps.js";
import { keys } from "../../shared/table.js";
import { sendConditional } from "../../shared/conditional-write.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { queryModelPage, strip, table, type Page } from "./items.js";

/** Lifecycle of a check. */
export type CheckStatus = "pending" | "running" | "completed" | "failed";

/** Where a check's data came from. */
export type CheckSource = "inline" | "s3" | "monitor";

/** A drifted feature as summarised in the table. */
export interface DriftedFeature {
  readonly name: string;
  readonly severity: string;
  readonly psi?: number;
  readonly pValue?: number;
}

/** A check's summary item. */
export interface CheckRecord {
  readonly model: string;
  readonly checkId: string;
  readonly status: CheckStatus;
  readonly source: CheckSource;
  readonly baselineId: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly dataUri?: string;
  readonly thresholds?: Partial<DriftThresholds>;
  readonly startedAt?: string;
  readonly completedAt?: string;
  readonly rows?: number;
  readonly objects?: number;
  readonly driftDetected?: boolean;
  readonly driftShare?: number;
  readonly severity?: string;
  readonly featureCount?: number;
  readonly driftedFeatures?: DriftedFeature[];
  readonly reportUri?: string;
  /** The HTML page of the report, next to the JSON. */
  readonly reportHtmlUri?: string;
  readonly metricsPublished?: number;
  readonly metricsError?: string;
  readonly alert?: { sent: boolean; alertId?: string; occurrences?: number; messageId?: string; suppressedUntil?: string; error?: string };
  /** The `mlwatch Drift Detected` event (checks that found drift): sent, or the error that stopped it. */
  readonly event?: { type: string; sent: boolean; eventId?: string; error?: string; at: string };
  /** The retraining request the check caused under the model's policy (requested, suppressed or failed). */
  readonly retraining?: { requestId: string; status: string; suppressedUntil?: string; error?: string };
  /** Model Monitor constraint violations per constraint_check_type (constraint_violations.json beside the report). */
  readonly violationCounts?: Record<string, number>;
  /** What the check cost, measured from its own run (lambdas/core/cost/check-cost.ts). */
  readonly cost?: CheckCost;
  readonly warnings?: string[];
  /** The finishing steps that did not complete (lambdas/shared/finishing.ts); absent when all did. */
  readonly incomplete?: IncompleteStep[];
  readonly error?: string;
  readonly durationMs?: number;
}

/** Writes a new check item. */
export async function putCheck(record: CheckRecord): Promise<void> {
  const { PutCommand } = await loadDynamo();
  await sendConditional(
    new PutCommand({ TableName: table(), Item: { ...keys.driftCheck(record.model, record.checkId), ...record }, ConditionExpression: "attribute_not_exists(pk)" }),
    { onConditionFailed: (cause) => new ConflictError(`drift check ${record.checkId} of model ${record.model} already exists`, { cause }) },
  );
}

/** Sets fields of an existing check. */
export async function updateCheck(model: string, checkId: string, fields: Partial<CheckRecord>): Promise<void> {
  const { UpdateCommand } = await loadDynamo();
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || k === "model" || k === "checkId") continue;
    names[`#${k}`] = k;
    values[`:${k}`] = v;
    sets.push(`#${k} = :${k}`);
  }
  if (sets.length === 0) return;
  await sendConditional(
    new UpdateCommand({
      TableName: table(),
      Key: keys.driftCheck(model, checkId),
      UpdateExpression: `SET ${sets.join(", ")}`,
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
    { onConditionFailed: (cause) => new NotFoundError(`drift check ${checkId} of model ${model} was deleted`, { cause }) },
  );
}
/**
 * Marks a check failed unless it already finished (still `pending` or `running`). Used when the worker died
 * without recording the outcome (its asynchronous retries exhausted, or the event expired in the queue), and
 * by the monitor for a fan-out it could not start.
 * @returns false when the item is missing or already finished (nothing changed)
 */
export async function failOpenCheck(model: string, checkId: string, error: string, now = new Date()): Promise<boolean> {
  const { UpdateCommand } = await loadDynamo();
  const written = await sendConditional(
    new UpdateCommand({
      TableName: table(),
      Key: keys.driftCheck(model, checkId),
      UpdateExpression: "SET #s = :failed, #e = :e, completedAt = :t",
      ConditionExpression: "attribute_exists(pk) AND #s IN (:o0, :o1)",
      ExpressionAttributeNames: { "#s": "status", "#e": "error" },
      ExpressionAttributeValues: { ":failed": "failed", ":e": error, ":t": now.toISOString(), ":o0": "pending", ":o1": "running" },
    }),
  );
  return written !== undefined;
}

/** A check item, or undefined. */
export async function getCheck(model: string, checkId: string): Promise<CheckRecord | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const out = await documentClient().send(new GetCommand({ TableName: table(), Key: keys.driftCheck(model, checkId), ConsistentRead: true }));
  return strip(out.Item) as CheckRecord | undefined;
}

/** A model's checks, newest first. */
export async function listChecks(model: string, limit: number, nextToken?: string): Promise<Page<CheckRecord>> {
  const page = await queryModelPage("checks", model, keys.checkSkPrefix, limit, nextToken);
  return { items: page.items.map((i) => strip(i) as unknown as CheckRecord), nextToken: page.nextToken };
}
