/**
 * The drift service's reads and writes: baseline, check and monitoring items in the table (keys from
 * lambdas/shared/table.ts), baseline profiles and full reports as JSON objects in the data bucket.
 *
 * Layout in the bucket: `baselines/{model}/{baselineId}.json` (profile), `reports/drift/{model}/{checkId}.json`
 * (full report). Ids are time-sortable (`20250102T030405123Z-a1b2c3`), so sort-key order is time order.
 */
import type { CheckCost } from "../core/cost/check-cost.js";
import { randomBytes } from "node:crypto";
import type { QueryCommandInput, QueryCommandOutput } from "@aws-sdk/lib-dynamodb";
import { resourceNames } from "../shared/env.js";
import { serviceLogger } from "../shared/logger.js";
import { ConflictError, NotFoundError } from "../shared/errors.js";
import { keys } from "../shared/table.js";
import { bucketKeys } from "../shared/buckets.js";
import type { DriftThresholds } from "../core/drift/index.js";
import { parseProfile, type BaselineProfile, type ProfileSource } from "./profile.js";
import { sendConditional } from "../shared/conditional-write.js";
import { loadDynamo } from "../shared/sdk/dynamodb.js";
import { transactWrite } from "../shared/transact.js";
import { decodePageToken, encodePageToken, stringKey } from "../shared/page-token.js";
import { loadS3 } from "../shared/sdk/s3.js";

/** A new time-sortable id: UTC time to the millisecond plus 6 random hex digits. */
export function newId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, "")}-${randomBytes(3).toString("hex")}`;
}

/** The data bucket key of a baseline profile. */
export const profileKey = bucketKeys.baselineProfile;
/** The data bucket key of a full drift report. */
export const reportKey = bucketKeys.driftReport;
/** The data bucket key of a drift report's HTML page, next to the JSON. */
export const reportHtmlKey = bucketKeys.driftReportHtml;
/** The data bucket key of a check's constraint_violations.json, next to the report. */
export const violationsKey = bucketKeys.driftViolations;

const table = (): string => resourceNames().table;
const bucket = (): string => resourceNames().bucket;

// ---------------------------------------------------------------------------------------------- S3 JSON

/** Writes a JSON object to the data bucket; returns its s3:// URI. */
export async function putJson(key: string, value: unknown): Promise<string> {
  const { PutObjectCommand, s3Client } = await loadS3();
  await s3Client().send(
    new PutObjectCommand({ Bucket: bucket(), Key: key, Body: JSON.stringify(value), ContentType: "application/json" }),
  );
  return `s3://${bucket()}/${key}`;
}

/** Writes a text object (an HTML report) to the data bucket; returns its s3:// URI. */
export async function putText(key: string, body: string, contentType: string): Promise<string> {
  const { PutObjectCommand, s3Client } = await loadS3();
  await s3Client().send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: body, ContentType: contentType }));
  return `s3://${bucket()}/${key}`;
}

/**
 * Removes an object this service wrote whose record could not be stored (a baseline profile, a report), so
 * a failed write leaves nothing behind. A clean-up failure is logged by key, never thrown over the cause.
 */
export async function removeOrphan(key: string, context: Record<string, unknown>): Promise<void> {
  const { DeleteObjectCommand, s3Client } = await loadS3();
  try {
    await s3Client().send(new DeleteObjectCommand({ Bucket: bucket(), Key: key }));
  } catch (err) {
    serviceLogger("drift").error("removing an object whose record was not stored failed", { ...context, key, error: err as Error });
  }
}

/** Reads a JSON object's text from the data bucket. */
export async function getText(key: string): Promise<string> {
  const { GetObjectCommand, s3Client } = await loadS3();
  const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
  return (await out.Body?.transformToString("utf-8")) ?? "";
}

// --------------------------------------------------------------------------------------------- baselines

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

const strip = <T extends Record<string, unknown>>(item: T | undefined): T | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as T;
};

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

async function queryAll(params: QueryCommandInput, limit = Infinity): Promise<Record<string, unknown>[]> {
  const { QueryCommand, documentClient } = await loadDynamo();
  const items: Record<string, unknown>[] = [];
  let start: QueryCommandOutput["LastEvaluatedKey"];
  do {
    const out = await documentClient().send(new QueryCommand({ ...params, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start && items.length < limit);
  return items.slice(0, limit);
}

/** One page of a listing: `items` and the token of the next page (null on the last). */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken: string | null;
}

/** One page of a model's items under `prefix`, newest first; the token is bound to the listing and the model. */
async function queryModelPage(listing: string, model: string, prefix: string, limit: number, nextToken: string | undefined): Promise<Page<Record<string, unknown>>> {
  const { QueryCommand, documentClient } = await loadDynamo();
  const binding = { listing: `drift.${listing}`, scope: { model } };
  const pk = keys.modelPk(model);
  const start = await decodePageToken(nextToken, binding, (k) => stringKey(k) && k.pk === pk && typeof k.sk === "string" && k.sk.startsWith(prefix));
  const out = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": pk, ":prefix": prefix },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  );
  return { items: out.Items ?? [], nextToken: await encodePageToken(out.LastEvaluatedKey, binding) };
}

/** One page of a model's baselines, newest first. */
export async function listBaselines(model: string, limit: number, nextToken?: string): Promise<Page<BaselineRecord>> {
  const page = await queryModelPage("baselines", model, keys.baselineSkPrefix, limit, nextToken);
  return { items: page.items.map((i) => strip(i) as unknown as BaselineRecord), nextToken: page.nextToken };
}

/** The active baseline's id, if the model has one. */
export async function getActiveBaselineId(model: string): Promise<string | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const out = await documentClient().send(new GetCommand({ TableName: table(), Key: keys.driftActiveBaseline(model), ConsistentRead: true }));
  return out.Item?.baselineId as string | undefined;
}

/**
 * Makes a ready baseline the active one, atomically with a check that it exists and is ready.
 * @returns the previously active id
 * @throws {NotFoundError} when the baseline does not exist; {ConflictError} when it is not ready.
 */
export async function activateBaseline(model: string, baselineId: string, actor: string, now = new Date()): Promise<string | undefined> {
  const { TransactionCanceledException } = await loadDynamo();
  const previous = await getActiveBaselineId(model);
  try {
    await transactWrite([
          {
            ConditionCheck: {
              TableName: table(),
              Key: keys.driftBaseline(model, baselineId),
              ConditionExpression: "attribute_exists(pk) AND #s = :ready",
              ExpressionAttributeNames: { "#s": "status" },
              ExpressionAttributeValues: { ":ready": "ready" },
            },
          },
          {
            Put: {
              TableName: table(),
              Item: { ...keys.driftActiveBaseline(model), model, baselineId, activatedAt: now.toISOString(), activatedBy: actor },
            },
          },
    ]);
  } catch (err) {
    if (err instanceof TransactionCanceledException) {
      const existing = await getBaseline(model, baselineId);
      if (!existing) throw new NotFoundError(`model "${model}" has no baseline "${baselineId}"`, { cause: err });
      if (existing.status !== "ready") {
        throw new ConflictError(`baseline "${baselineId}" is ${existing.status}; only a ready baseline can be activated`, { cause: err });
      }
    }
    throw err;
  }
  return previous;
}

/** Makes a baseline active only when the model has none yet (the first ready baseline). */
export async function activateIfNone(model: string, baselineId: string, actor: string, now = new Date()): Promise<boolean> {
  const { PutCommand } = await loadDynamo();
  const written = await sendConditional(
    new PutCommand({
      TableName: table(),
      Item: { ...keys.driftActiveBaseline(model), model, baselineId, activatedAt: now.toISOString(), activatedBy: actor },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
  return written !== undefined;
}

/**
 * The profile of a baseline — the given one or the active one.
 * @throws {NotFoundError} when there is no such baseline or no active one; {ConflictError} when not ready.
 */
export async function loadBaseline(model: string, baselineId?: string): Promise<{ record: BaselineRecord; profile: BaselineProfile }> {
  const id = baselineId ?? (await getActiveBaselineId(model));
  if (id === undefined) {
    throw new NotFoundError(`model "${model}" has no active baseline; create one with POST /models/${model}/baselines or name one with baselineId`);
  }
  const record = await getBaseline(model, id);
  if (!record) throw new NotFoundError(`model "${model}" has no baseline "${id}"`);
  if (record.status !== "ready") throw new ConflictError(`baseline "${id}" is ${record.status}${record.error ? `: ${record.error}` : ""}`);
  const profile = parseProfile(await getText(profileKey(model, id)));
  return { record, profile };
}

// ------------------------------------------------------------------------------------------------ checks

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
 * Marks a job's item failed unless it already finished: a check still `pending`/`running`, a baseline
 * still `building`. Used when the worker died without recording the outcome (its asynchronous retries
 * exhausted, or the event expired in the queue).
 * @returns false when the item is missing or already finished (nothing changed)
 */
export async function failOpenJob(kind: "check" | "baseline", model: string, id: string, error: string, now = new Date()): Promise<boolean> {
  const { UpdateCommand } = await loadDynamo();
  const open = kind === "check" ? ["pending", "running"] : ["building"];
  const written = await sendConditional(
    new UpdateCommand({
      TableName: table(),
      Key: kind === "check" ? keys.driftCheck(model, id) : keys.driftBaseline(model, id),
      UpdateExpression: kind === "check" ? "SET #s = :failed, #e = :e, completedAt = :t" : "SET #s = :failed, #e = :e",
      ConditionExpression: `attribute_exists(pk) AND #s IN (${open.map((_, i) => `:o${i}`).join(", ")})`,
      ExpressionAttributeNames: { "#s": "status", "#e": "error" },
      ExpressionAttributeValues: { ":failed": "failed", ":e": error, ...(kind === "check" ? { ":t": now.toISOString() } : {}), ...Object.fromEntries(open.map((o, i) => [`:o${i}`, o])) },
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

// -------------------------------------------------------------------------------------------- monitoring

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
  const items = await queryAll({
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
