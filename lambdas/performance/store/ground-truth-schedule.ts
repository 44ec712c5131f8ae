/**
 * A model's scheduled ground-truth join: its settings (where Model Monitor's ground truth and the data
 * capture are, which version, how to read predictions) and its state (the watermark: ground-truth objects
 * modified at or before it were taken by a run; the last run's outcome, join report and batch).
 */
import { resourceNames } from "../../shared/env.js";
import { keys } from "../../shared/table.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { queryItems } from "../../shared/query-pages.js";

/** The settings a schedule is given (`PUT /models/{model}/performance/ground-truth-schedule`). */
export interface GroundTruthScheduleSettings {
  readonly format: "model_monitor";
  readonly dataUri: string;
  readonly captureUri: string;
  readonly version: string;
  readonly task?: "classification" | "regression";
  readonly probabilityThreshold?: number;
  /** How far before the oldest new ground-truth object captured predictions are looked for. */
  readonly captureLookbackHours: number;
  readonly enabled: boolean;
}

/** What one run found: the join's counts and the first unmatched ids of each side. */
export type ScheduledJoinReport = Record<string, unknown>;

/** A stored schedule: settings and state. */
export interface GroundTruthScheduleRecord extends GroundTruthScheduleSettings {
  readonly model: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  /** Ground-truth objects modified at or before this time were taken by a run (joined, or reported unmatched). */
  readonly watermark: string;
  readonly lastRunAt?: string;
  readonly lastOutcome?: string;
  readonly lastBatchId?: string;
  /** Ground-truth objects the last run with new data read. */
  readonly lastObjects?: number;
  readonly lastJoin?: ScheduledJoinReport;
  /** The worker's job of the last run above the size bound (performance/join-job.ts). */
  readonly lastJobId?: string;
}

/**
 * The newest LastModified a run may take at `now`: just before the current whole second, never past the
 * real clock (S3's LastModified is whole seconds). A new schedule's watermark starts here.
 */
export function joinCutoff(now: Date): Date {
  const t = Math.min(now.getTime(), Date.now());
  return new Date(Math.floor(t / 1000) * 1000 - 1);
}

const table = (): string => resourceNames().table;

const toRecord = (item: Record<string, unknown> | undefined): GroundTruthScheduleRecord | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, type: _t, ...rest } = item;
  return rest as unknown as GroundTruthScheduleRecord;
};

/** A model's schedule, or undefined. */
export async function getGroundTruthSchedule(model: string): Promise<GroundTruthScheduleRecord | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const out = await documentClient().send(new GetCommand({ TableName: table(), Key: keys.groundTruthSchedule(model), ConsistentRead: true }));
  return toRecord(out.Item);
}

/**
 * Writes a model's settings, keeping its state; the watermark is `since` when given, else the stored one,
 * else `defaultWatermark` (a new schedule starts from now).
 */
export async function putGroundTruthSchedule(
  model: string,
  settings: GroundTruthScheduleSettings,
  meta: { readonly actor: string; readonly since?: string; readonly defaultWatermark: string },
): Promise<{ record: GroundTruthScheduleRecord; before?: GroundTruthScheduleRecord }> {
  const { PutCommand, documentClient } = await loadDynamo();
  const before = await getGroundTruthSchedule(model);
  const record: GroundTruthScheduleRecord = {
    ...before,
    ...settings,
    model,
    updatedAt: new Date().toISOString(),
    updatedBy: meta.actor,
    watermark: meta.since ?? before?.watermark ?? meta.defaultWatermark,
  };
  // Settings left out this time (an optional task or threshold) do not linger from the previous ones.
  const item: Record<string, unknown> = { ...record };
  if (settings.task === undefined) delete item.task;
  if (settings.probabilityThreshold === undefined) delete item.probabilityThreshold;
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: { ...keys.groundTruthSchedule(model), type: "ground-truth-schedule", ...item, ...(settings.enabled ? { gsi1pk: keys.groundTruthSchedulesGsi, gsi1sk: model } : {}) },
    }),
  );
  return { record: item as unknown as GroundTruthScheduleRecord, before };
}

/** Every enabled schedule (sparse index). */
export async function listEnabledGroundTruthSchedules(): Promise<GroundTruthScheduleRecord[]> {
  const { items } = await queryItems({ TableName: table(), IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": keys.groundTruthSchedulesGsi } });
  return items.map(toRecord).filter((r): r is GroundTruthScheduleRecord => r?.enabled === true);
}

/**
 * Takes the ground truth between `previous` and `next` for one run: moves the watermark only from the value
 * the run started with, so two overlapping runs cannot both join the same files.
 * @returns false when another run (or a new `since`) moved it first
 */
export async function claimGroundTruthRun(model: string, previous: string, next: string, runAt: string): Promise<boolean> {
  const { ConditionalCheckFailedException, UpdateCommand, documentClient } = await loadDynamo();
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.groundTruthSchedule(model),
        UpdateExpression: "SET watermark = :next, lastRunAt = :at, lastOutcome = :joining",
        ConditionExpression: "watermark = :previous",
        ExpressionAttributeValues: { ":next": next, ":previous": previous, ":at": runAt, ":joining": "joining" },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/**
 * Notes a run's outcome (and, when there was one, its join report and batch) on an existing schedule. With
 * `jobId` (a run the worker finished) only while the schedule still names that job as its last.
 * @returns false when the schedule is gone, or names another job
 */
export async function noteGroundTruthRun(
  model: string,
  note: {
    readonly lastRunAt: string;
    readonly lastOutcome: string;
    readonly lastBatchId?: string;
    readonly lastObjects?: number;
    readonly lastJoin?: ScheduledJoinReport;
    readonly lastJobId?: string;
  },
  jobId?: string,
): Promise<boolean> {
  const { ConditionalCheckFailedException, UpdateCommand, documentClient } = await loadDynamo();
  const names = Object.keys(note).filter((k) => note[k as keyof typeof note] !== undefined) as (keyof typeof note)[];
  return documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: keys.groundTruthSchedule(model),
      UpdateExpression: `SET ${names.map((n) => `${n} = :${n}`).join(", ")}`,
      ConditionExpression: jobId === undefined ? "attribute_exists(pk)" : "attribute_exists(pk) AND lastJobId = :job",
      ExpressionAttributeValues: { ...Object.fromEntries(names.map((n) => [`:${n}`, note[n]])), ...(jobId === undefined ? {} : { ":job": jobId }) },
    }),
  ).then(
    () => true,
    (err: unknown) => {
      if (jobId !== undefined && err instanceof ConditionalCheckFailedException) return false;
      throw err;
    },
  );
}
