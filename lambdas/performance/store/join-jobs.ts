/**
 * Ground-truth joins run in the worker (inputs above the size bound, join-job.ts): one item per job with its
 * request, its state (`pending` → `running` → `completed` | `failed`) and, once done, its result or error.
 * An item leaves with DynamoDB's TTL 30 days after it was created (the batch it recorded stays).
 */
import { resourceNames } from "../../shared/env.js";
import { keys, TableKeys } from "../../shared/table.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import type { ModelMonitorJoinSpec } from "../model-monitor-ground-truth.js";

/** The states of a join job. */
export const JoinJobStatus = { pending: "pending", running: "running", completed: "completed", failed: "failed" } as const;
export type JoinJobStatus = (typeof JoinJobStatus)[keyof typeof JoinJobStatus];

/** Days a job's item is kept. */
export const joinJobRetentionDays = 30;

/** Which objects of a URI a job reads (ISO times; see ListOptions in shared/readers/s3-source.ts). */
export interface ListWindow {
  readonly modifiedAfter?: string;
  readonly modifiedAtOrBefore?: string;
  readonly startAfter?: string;
  readonly maxObjects?: number;
}

/** What a job joins: the join's spec and, for a scheduled run, the windows of objects the run claimed. */
export interface JoinJobSpec extends ModelMonitorJoinSpec {
  readonly groundTruthWindow?: ListWindow;
  readonly captureWindow?: ListWindow;
}

/** A stored join job. */
export interface JoinJobRecord {
  readonly model: string;
  readonly jobId: string;
  readonly status: JoinJobStatus;
  readonly format: "model_monitor";
  /** `request`: `POST /models/{model}/ground-truth`; `schedule`: a run of the model's ground-truth schedule. */
  readonly origin: "request" | "schedule";
  readonly spec: JoinJobSpec;
  /** Objects and bytes of both inputs when the job was accepted. */
  readonly objects: number;
  readonly bytes: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly requestId: string;
  readonly startedAt?: string;
  readonly completedAt?: string;
  /** The join's answer, as the on-demand join gives it (`join`, `batch`). */
  readonly result?: Record<string, unknown>;
  /** A failed job's join counts, when the files were read (nothing matched). */
  readonly join?: Record<string, unknown>;
  readonly error?: string;
}

const table = (): string => resourceNames().table;

/** Writes a new job (never over an existing one). */
export async function putJoinJob(job: JoinJobRecord): Promise<void> {
  const { PutCommand, documentClient } = await loadDynamo();
  const expiresAt = Math.floor(Date.parse(job.createdAt) / 1000) + joinJobRetentionDays * 86_400;
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: { ...keys.groundTruthJoinJob(job.model, job.jobId), type: "ground-truth-join-job", ...job, [TableKeys.ttlAttribute]: expiresAt },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
}

/** A job, or undefined. */
export async function getJoinJob(model: string, jobId: string): Promise<JoinJobRecord | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const out = await documentClient().send(new GetCommand({ TableName: table(), Key: keys.groundTruthJoinJob(model, jobId), ConsistentRead: true }));
  if (!out.Item) return undefined;
  const { pk: _pk, sk: _sk, type: _t, [TableKeys.ttlAttribute]: _e, ...rest } = out.Item;
  return rest as unknown as JoinJobRecord;
}

/**
 * Moves a job on from one of `from`: to `running` when a worker takes it (so a second delivery of the same
 * event does not run it again), to `completed` or `failed` when it ends.
 * @returns false when the job was not in one of `from`
 */
export async function advanceJoinJob(
  model: string,
  jobId: string,
  from: readonly JoinJobStatus[],
  to: JoinJobStatus,
  fields: Partial<Pick<JoinJobRecord, "startedAt" | "completedAt" | "result" | "join" | "error">> = {},
): Promise<boolean> {
  const { ConditionalCheckFailedException, UpdateCommand, documentClient } = await loadDynamo();
  const names = Object.keys(fields).filter((k) => fields[k as keyof typeof fields] !== undefined) as (keyof typeof fields)[];
  const values: Record<string, unknown> = { ":to": to, ...Object.fromEntries(from.map((s, i) => [`:from${i}`, s])), ...Object.fromEntries(names.map((n) => [`:${n}`, fields[n]])) };
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.groundTruthJoinJob(model, jobId),
        // Names through placeholders: `join`, `result` and `error` are DynamoDB reserved words.
        UpdateExpression: `SET #status = :to${names.map((n) => `, #${n} = :${n}`).join("")}`,
        ConditionExpression: `attribute_exists(pk) AND #status IN (${from.map((_, i) => `:from${i}`).join(", ")})`,
        ExpressionAttributeNames: { "#status": "status", ...Object.fromEntries(names.map((n) => [`#${n}`, n])) },
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}
