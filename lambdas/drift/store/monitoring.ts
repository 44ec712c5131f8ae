/**
 * A model's scheduled monitoring settings and state (`keys.driftMonitoring`): the data capture prefix, the
 * period, the watermark of data already checked, and a fan-out check still pending. Enabled items are indexed
 * (gsi1, sparse) for the monitor's pass.
 */
import type { DriftThresholds } from "../../core/drift/index.js";
import { keys } from "../../shared/table.js";
import { sendConditional } from "../../shared/conditional-write.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { queryItems } from "../../shared/query-pages.js";
import { strip, table } from "./items.js";

/** A model's scheduled monitoring settings and state. */
export interface MonitoringRecord {
  readonly model: string;
  readonly dataCapturePrefix: string;
  readonly schedule: "hourly" | "daily";
  /** Minutes between checks when set (5, 10, 15, 30 or 60), instead of the schedule's period. */
  readonly everyMinutes?: number;
  readonly thresholds?: Partial<DriftThresholds>;
  readonly enabled: boolean;
  readonly updatedAt: string;
  readonly updatedBy: string;
  /** Captured objects modified at or before this time were already checked. */
  readonly watermark?: string;
  readonly lastRunAt?: string;
  readonly lastCheckId?: string;
  readonly lastOutcome?: string;
  /**
   * A fanned-out scheduled check still running (`monitor.ts`): while set, no run checks this model's data
   * again; the check's completion moves the watermark to `pendingThrough`, its failure leaves it.
   */
  readonly pendingCheckId?: string;
  /** The watermark the pending check sets when it completes (the newest LastModified it covers). */
  readonly pendingThrough?: string;
  /** When the pending check was handed to the fan-out path (real time). */
  readonly pendingSince?: string;
  /** Newer objects the pending check's run left for the next run (the per-run cap). */
  readonly pendingDeferred?: number;
  /** Failed fan-outs in a row over the data after the watermark (reset when the watermark moves). */
  readonly failedFanOuts?: number;
}

/** Writes a model's monitoring settings, keeping its watermark and run state. Enabled items are indexed for the monitor. */
export async function putMonitoring(record: Omit<MonitoringRecord, "watermark" | "lastRunAt" | "lastCheckId" | "lastOutcome">, now = new Date()): Promise<MonitoringRecord> {
  const { PutCommand, documentClient } = await loadDynamo();
  const existing = await getMonitoring(record.model);
  // A new configuration starts from now: data captured before monitoring was set up is not "new".
  // S3's LastModified is whole seconds: start just before this second so data landing right after the set-up counts.
  const watermark = existing?.watermark ?? new Date(Math.floor(now.getTime() / 1000) * 1000 - 1).toISOString();
  const item: MonitoringRecord = { ...existing, ...record, watermark };
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: {
        ...keys.driftMonitoring(record.model),
        ...item,
        ...(record.enabled ? { gsi1pk: keys.driftMonitorsGsi, gsi1sk: record.model } : {}),
      },
    }),
  );
  return item;
}

/** A model's monitoring settings, or undefined. */
export async function getMonitoring(model: string): Promise<MonitoringRecord | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const out = await documentClient().send(new GetCommand({ TableName: table(), Key: keys.driftMonitoring(model), ConsistentRead: true }));
  return strip(out.Item) as MonitoringRecord | undefined;
}

/** Every enabled monitoring configuration (sparse index). */
export async function listEnabledMonitoring(): Promise<MonitoringRecord[]> {
  const { items } = await queryItems({
    TableName: table(),
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :pk",
    ExpressionAttributeValues: { ":pk": keys.driftMonitorsGsi },
  });
  return items.map((i) => strip(i) as unknown as MonitoringRecord).filter((m) => m.enabled);
}

/**
 * Records a monitor run: advances the watermark only from the value this run started with, so two
 * overlapping runs cannot both check the same captured data.
 * @returns false when another run moved the watermark first
 */
export async function recordMonitorRun(
  model: string,
  previousWatermark: string | undefined,
  state: { watermark: string; lastRunAt: string; lastCheckId?: string; lastOutcome: string },
): Promise<boolean> {
  const values: Record<string, unknown> = { ":w": state.watermark, ":r": state.lastRunAt, ":o": state.lastOutcome };
  let update = "SET watermark = :w, lastRunAt = :r, lastOutcome = :o";
  if (state.lastCheckId) {
    update += ", lastCheckId = :c";
    values[":c"] = state.lastCheckId;
  }
  // A pending fan-out owns the data after the watermark until it settles (settleMonitorFanOut).
  let condition = "attribute_exists(pk) AND attribute_not_exists(pendingCheckId) AND attribute_not_exists(watermark)";
  if (previousWatermark !== undefined) {
    condition = "attribute_exists(pk) AND attribute_not_exists(pendingCheckId) AND watermark = :prev";
    values[":prev"] = previousWatermark;
  }
  // The watermark moved: earlier failed fan-outs were over other data.
  if (state.watermark !== previousWatermark) update += " REMOVE failedFanOuts";
  return conditionalMonitoringUpdate(model, update, condition, values);
}

async function conditionalMonitoringUpdate(model: string, update: string, condition: string, values: Record<string, unknown>): Promise<boolean> {
  const { UpdateCommand } = await loadDynamo();
  const written = await sendConditional(
    new UpdateCommand({ TableName: table(), Key: keys.driftMonitoring(model), UpdateExpression: update, ConditionExpression: condition, ExpressionAttributeValues: values }),
  );
  return written !== undefined;
}

/**
 * Hands the data after the watermark to a fan-out check: marks the check pending on the settings, the
 * watermark unchanged (it moves when the check completes). Conditional on the watermark this run started
 * from and on no other pending check, so overlapping runs cannot both take the same data.
 * @returns false when another run got there first
 */
export async function claimMonitorFanOut(
  model: string,
  previousWatermark: string,
  state: { checkId: string; through: string; lastRunAt: string; since: string; deferred?: number },
): Promise<boolean> {
  return conditionalMonitoringUpdate(
    model,
    "SET pendingCheckId = :c, pendingThrough = :t, pendingSince = :s, pendingDeferred = :d, lastCheckId = :c, lastRunAt = :r, lastOutcome = :o",
    "attribute_exists(pk) AND attribute_not_exists(pendingCheckId) AND watermark = :prev",
    { ":c": state.checkId, ":t": state.through, ":s": state.since, ":d": state.deferred ?? 0, ":r": state.lastRunAt, ":o": "fanning out", ":prev": previousWatermark },
  );
}

/** How a pending fan-out settled on the settings. */
export type FanOutSettlement = "advanced" | "kept" | "gave-up" | "not-pending";

/**
 * Settles a pending fan-out check on the settings (idempotent: only while `checkId` is still pending).
 * Completed: the watermark moves to `pendingThrough`. Failed: the watermark stays, so the next run checks
 * the same data again — unless this was failure number `maxFailures` in a row over that data, when the
 * watermark moves on and `lastOutcome` says which data was given up (a permanently unreadable object must
 * not stop monitoring for ever).
 */
export async function settleMonitorFanOut(model: string, checkId: string, result: { completed: boolean; lastOutcome: string; maxFailures: number }): Promise<FanOutSettlement> {
  const current = await getMonitoring(model);
  if (!current || current.pendingCheckId !== checkId || current.pendingThrough === undefined) return "not-pending";
  const deferred = current.pendingDeferred ?? 0;
  const waiting = result.completed && deferred > 0 ? `; ${deferred} newer object(s) wait for the next run (per-run cap)` : "";
  const values: Record<string, unknown> = { ":c": checkId, ":o": `${result.lastOutcome}${waiting}` };
  const clear = "REMOVE pendingCheckId, pendingThrough, pendingSince, pendingDeferred";
  let settlement: FanOutSettlement;
  let update: string;
  const failures = (current.failedFanOuts ?? 0) + 1;
  if (result.completed || failures >= result.maxFailures) {
    settlement = result.completed ? "advanced" : "gave-up";
    values[":w"] = current.pendingThrough;
    if (!result.completed) values[":o"] = `${result.lastOutcome} (failed ${failures} times in a row: data modified through ${current.pendingThrough} is not checked again)`.slice(0, 1200);
    update = `SET watermark = :w, lastOutcome = :o ${clear}, failedFanOuts`;
  } else {
    settlement = "kept";
    values[":f"] = failures;
    update = `SET lastOutcome = :o, failedFanOuts = :f ${clear}`;
  }
  return (await conditionalMonitoringUpdate(model, update, "pendingCheckId = :c", values)) ? settlement : "not-pending";
}
