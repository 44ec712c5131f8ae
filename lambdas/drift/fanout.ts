/**
 * Fan-out drift checks: a check too large for one worker is split into shards of objects, each shard
 * summarised (`shard.ts`), the summaries merged and the check completed through the single worker's
 * completion (`completeCheckFrom`: the same decision rule, reports, row, metrics, alert, audit).
 *
 * The size switch (`fanOutSettings`): an S3 check fans out when its listing holds at least `bytes` bytes
 * (default 1 GiB, context `driftFanOutBytes`) or `objects` objects (default 2,000, context
 * `driftFanOutObjects`); smaller checks keep the single worker. Both paths decide with the same rule; the
 * fan-out path is conservative in its sketches' rank error (see `core/drift/sketch.ts`), and identical when
 * every merged sketch is exact.
 *
 * Scheduled checks use the same switch: the monitor (`monitor.ts`) hands a large window of captured data
 * here too, and the reduce or failure step settles it on the model's monitoring settings
 * (`settleMonitoredCheck`: the watermark moves when the check completes, stays when it fails).
 *
 * Deployed (`MLWATCH_DRIFT_FANOUT_STATE_MACHINE` set): the worker or monitor writes the listing as a JSON manifest
 * (`reports/drift-shards/{model}/{checkId}/manifest.json`) and starts the state machine (lib/drift.ts): a
 * Distributed Map reads the manifest, batches `driftShardObjects` objects per shard (`runShardJob`, one
 * summary object each under `…/shards/`), then the reduce step (`runReduceJob`) lists and merges the
 * summaries and completes the check; a Catch runs `runFailJob`, which marks the check failed with the
 * error in words. Local mode (no state machine): `runFanOutInProcess` runs the same shard and reduce
 * functions in this process, `driftMaxConcurrency` shards at a time.
 */
import { type CheckUsage, fanOutTransitions, lambdaGbSeconds } from "../core/cost/check-cost.js";
import { currentUsage, functionMemoryMb, measureUsage } from "../shared/usage.js";
import { createHash } from "node:crypto";
import type { SFNClient } from "@aws-sdk/client-sfn";
import { clientDefaults } from "../shared/aws/common.js";
import { bucketKeys } from "../shared/buckets.js";
import { EnvName, resourceNames } from "../shared/env.js";
import { UnprocessableError, ValidationError } from "../shared/errors.js";
import { serviceLogger } from "../shared/logger.js";
import { listS3Objects, type S3ObjectRef } from "../shared/readers/s3-source.js";
import { checkContextOf, completeCheckFrom } from "./check.js";
import { loadS3 } from "./ingest.js";
import { profileKinds, type BaselineProfile } from "./profile.js";
import { decodeShardSummary, decodeShardUsage, encodeShardSummary, mergeInGroups, pairsFromSummary, summarizeShard, summaryWarnings } from "./shard.js";
import { getText, putText } from "./store/objects.js";
import { loadBaseline } from "./store/active-baseline.js";
import { getCheck, updateCheck } from "./store/checks.js";
import { settleMonitorFanOut, type FanOutSettlement } from "./store/monitoring.js";

const logger = serviceLogger("drift-fanout");

/** The size switch and the shard size. */
export interface FanOutSettings {
  /** Fan out at or above this many bytes listed. @default 1 GiB */
  readonly bytes: number;
  /** Fan out at or above this many objects listed. @default 2000 */
  readonly objects: number;
  /** Objects per shard. @default 16 */
  readonly shardObjects: number;
  /** Shards at once in-process. @default 4 */
  readonly concurrency: number;
}

export const defaultFanOutSettings: FanOutSettings = { bytes: 1024 ** 3, objects: 2000, shardObjects: 16, concurrency: 4 };

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!(Number.isInteger(n) && n >= 1)) throw new ValidationError(`${name} must be a positive integer`);
  return n;
}

/** The settings of this process (environment over the defaults). */
export function fanOutSettings(): FanOutSettings {
  return {
    bytes: positiveInt(EnvName.driftFanOutBytes, defaultFanOutSettings.bytes),
    objects: positiveInt(EnvName.driftFanOutObjects, defaultFanOutSettings.objects),
    shardObjects: positiveInt(EnvName.driftShardObjects, defaultFanOutSettings.shardObjects),
    concurrency: positiveInt(EnvName.driftMaxConcurrency, defaultFanOutSettings.concurrency),
  };
}

/** True when a listing is large enough to fan out. */
export function shouldFanOut(refs: readonly { size: number }[], settings: FanOutSettings = fanOutSettings()): boolean {
  if (refs.length >= settings.objects) return true;
  let bytes = 0;
  for (const r of refs) bytes += r.size;
  return bytes >= settings.bytes;
}

/** An object of a manifest (what the Distributed Map hands a shard). */
export interface ManifestItem {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
}

/** The input of a shard (one ItemBatcher batch). */
export interface ShardJob {
  readonly model: string;
  readonly checkId: string;
  readonly baselineId: string;
  readonly psiBins?: number;
  readonly items: readonly ManifestItem[];
}

/** The input of the reduce step and of the failure step. */
export interface ReduceJob {
  readonly model: string;
  readonly checkId: string;
  /** Objects in the manifest: the reduce refuses summaries that do not cover exactly these. */
  readonly objects: number;
}

/** The input of the state machine (and of its Catch's failure step, with the caught `error`). */
export interface FanOutExecutionInput extends ReduceJob {
  readonly baselineId: string;
  readonly psiBins?: number;
  readonly bucket: string;
  readonly manifestKey: string;
}

/** A shard's id: the hash of its first object's key (batches are disjoint, so a retry overwrites its own summary). */
export function shardId(items: readonly ManifestItem[]): string {
  return createHash("sha256").update(`${items[0]?.bucket}/${items[0]?.key}/${items.length}`).digest("hex").slice(0, 32);
}

const loadOptions = (profile: BaselineProfile) => ({ kinds: profileKinds(profile), onlyKnown: true, positionalNames: profile.features });

/**
 * One shard: read its objects with the single worker's ingest, summarise, store the summary.
 * @returns the summary's key
 */
export async function runShardJob(job: ShardJob, profile?: BaselineProfile): Promise<{ key: string; rows: number }> {
  if (!Array.isArray(job.items) || job.items.length === 0) throw new ValidationError("a drift shard needs at least one object");
  return measureUsage(() => summariseShard(job, profile), "driftShard");
}

async function summariseShard(job: ShardJob, profile?: BaselineProfile): Promise<{ key: string; rows: number }> {
  const base = profile ?? (await loadBaseline(job.model, job.baselineId)).profile;
  const refs: S3ObjectRef[] = job.items.map((i) => ({ bucket: i.bucket, key: i.key, size: Number(i.size), lastModified: new Date(0) }));
  const data = await loadS3(refs, loadOptions(base));
  const summary = summarizeShard(base, data, { psiBins: job.psiBins });
  const key = bucketKeys.driftShardSummary(job.model, job.checkId, shardId(job.items));
  // The shard's own usage travels with its summary (the summary's write included): the reduce adds it to the check's cost.
  const usage = currentUsage();
  const shardUsage: CheckUsage = {
    lambdaGbSeconds: lambdaGbSeconds(usage ? performance.now() - usage.startedAt : 0, functionMemoryMb()),
    stepFunctionsTransitions: 0,
    s3ReadRequests: usage?.s3ReadRequests ?? 0,
    s3WriteRequests: (usage?.s3WriteRequests ?? 0) + 1,
  };
  await putText(key, encodeShardSummary(summary, shardUsage), "application/json");
  return { key, rows: summary.rows };
}

/** Reads and merges every stored summary of a check, refusing a set that does not cover the manifest. */
export async function mergedSummaryOf(job: ReduceJob) {
  const { bucket } = resourceNames();
  const prefix = bucketKeys.driftShardPrefix(job.model, job.checkId);
  const listed = await listS3Objects(`s3://${bucket}/${prefix}shards/`, { maxObjects: 100_000 });
  const parts = [];
  const used = { lambdaGbSeconds: 0, stepFunctionsTransitions: 0, s3ReadRequests: 0, s3WriteRequests: 0 };
  for (const ref of listed) {
    const text = await getText(ref.key);
    parts.push(decodeShardSummary(text));
    const u = decodeShardUsage(text);
    used.lambdaGbSeconds += u.lambdaGbSeconds;
    used.s3ReadRequests += u.s3ReadRequests;
    used.s3WriteRequests += u.s3WriteRequests;
  }
  const merged = mergeInGroups(parts);
  if (merged.objects !== job.objects) {
    throw new UnprocessableError(`the fan-out shards covered ${merged.objects} of ${job.objects} objects`);
  }
  // The state machine's transitions: the map, one per shard's child execution, the reduce.
  return Object.assign(merged, { shardUsage: { ...used, stepFunctionsTransitions: fanOutTransitions(parts.length) } as CheckUsage });
}

/** The reduce step: merge the shard summaries and complete the check (reports, row, metrics, alert, audit). */
export async function runReduceJob(job: ReduceJob): Promise<{ driftDetected: boolean }> {
  return measureUsage(() => reduceShards(job), "driftReduce");
}

async function reduceShards(job: ReduceJob): Promise<{ driftDetected: boolean }> {
  const check = await getCheck(job.model, job.checkId);
  if (!check) throw new UnprocessableError(`drift check ${job.checkId} of ${job.model} does not exist`);
  const { profile } = await loadBaseline(job.model, check.baselineId);
  const merged = await mergedSummaryOf(job);
  const { record } = await completeCheckFrom(
    checkContextOf(check),
    profile,
    {
      pairs: pairsFromSummary(profile, merged),
      rows: merged.rows,
      objects: merged.objects,
      warnings: [...summaryWarnings(merged), `fanned out over ${merged.shards} shard(s)`],
      unexpectedFeatures: merged.unexpectedFeatures,
      elsewhere: merged.shardUsage,
    },
    true,
  );
  if (check.source === "monitor") await settleMonitoredCheck(job.model, job.checkId, { completed: true, driftDetected: record.driftDetected === true });
  return { driftDetected: record.driftDetected === true };
}

/**
 * Failed fan-outs in a row over the same captured data after which the monitor moves its watermark on
 * (recorded in `lastOutcome`); before that, each failure leaves the watermark and the next run retries.
 */
export const monitoredFanOutAttempts = 3;

/**
 * Settles a scheduled (monitor) fan-out check on the model's monitoring settings: a completed check moves
 * the watermark over the data it covered, a failed one leaves it (store/monitoring.ts `settleMonitorFanOut`).
 */
export async function settleMonitoredCheck(
  model: string,
  checkId: string,
  outcome: { completed: true; driftDetected: boolean } | { completed: false; error: string },
): Promise<FanOutSettlement> {
  const lastOutcome = outcome.completed ? (outcome.driftDetected ? "drift" : "no drift") : `failed: ${outcome.error}`;
  const settled = await settleMonitorFanOut(model, checkId, { completed: outcome.completed, lastOutcome, maxFailures: monitoredFanOutAttempts });
  logger.info("scheduled fan-out check settled", { model, checkId, settled });
  return settled;
}

/** The readable message of a Step Functions error (a Lambda error's Cause is JSON with errorMessage). */
export function fanOutFailureMessage(error: unknown): string {
  const e = error as { Error?: unknown; Cause?: unknown } | undefined;
  let text = typeof e?.Error === "string" ? e.Error : "fan-out failed";
  if (typeof e?.Cause === "string") {
    try {
      const cause = JSON.parse(e.Cause) as { errorMessage?: unknown };
      if (typeof cause?.errorMessage === "string") text = `${text}: ${cause.errorMessage}`;
    } catch {
      text = `${text}: ${e.Cause}`;
    }
  }
  return `fan-out failed (${text})`.slice(0, 1000);
}

/**
 * The Catch's step: mark the check failed with a readable error (a completed check is left alone). A
 * scheduled check is then settled on its monitoring settings (again, if a retry got here after that).
 */
export async function runFailJob(job: ReduceJob & { error?: unknown }): Promise<void> {
  const check = await getCheck(job.model, job.checkId);
  if (!check) return;
  let error = check.error ?? fanOutFailureMessage(job.error);
  if (check.status !== "completed" && check.status !== "failed") {
    error = fanOutFailureMessage(job.error);
    await updateCheck(job.model, job.checkId, { status: "failed", error, completedAt: new Date().toISOString() });
  }
  if (check.source === "monitor") {
    await settleMonitoredCheck(job.model, job.checkId, check.status === "completed" ? { completed: true, driftDetected: check.driftDetected === true } : { completed: false, error });
  }
}

/** Runs `tasks` with at most `limit` at once, in order of start; rejects with the first failure. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  return results;
}

/** The manifest's batches, as the Distributed Map's ItemBatcher cuts them (MaxItemsPerBatch). */
export function batchesOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

let sfn: SFNClient | undefined;

/**
 * Starts a fan-out check: the manifest, then the state machine, or the same map and reduce in-process.
 * In-process the promise settles when the check is completed (or marked failed).
 */
export async function startFanOut(
  check: { model: string; checkId: string; baselineId: string; psiBins?: number },
  profile: BaselineProfile,
  refs: readonly S3ObjectRef[],
  settings: FanOutSettings = fanOutSettings(),
): Promise<"state-machine" | "in-process"> {
  const items: ManifestItem[] = refs.map((r) => ({ bucket: r.bucket, key: r.key, size: r.size }));
  const manifestKey = bucketKeys.driftShardManifest(check.model, check.checkId);
  await putText(manifestKey, JSON.stringify(items), "application/json");
  const input: FanOutExecutionInput = { ...check, objects: items.length, bucket: resourceNames().bucket, manifestKey };
  const machine = process.env[EnvName.driftFanOutStateMachine];
  if (machine) {
    // Loaded on first use: only the worker or monitor of a deployed stack starting a fan-out needs the client.
    const { SFNClient: Client, StartExecutionCommand } = await import("@aws-sdk/client-sfn");
    sfn ??= new Client(clientDefaults());
    await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: `${check.model}-${check.checkId}`.slice(0, 80), input: JSON.stringify(input) }));
    logger.info("fan-out started", { model: check.model, checkId: check.checkId, objects: items.length });
    return "state-machine";
  }
  await runFanOutInProcess(input, profile, items, settings);
  return "in-process";
}

/** The state machine's work in this process: map (bounded concurrency), reduce, and the Catch. */
export async function runFanOutInProcess(input: FanOutExecutionInput, profile: BaselineProfile, items: readonly ManifestItem[], settings: FanOutSettings): Promise<void> {
  try {
    const batches = batchesOf(items, settings.shardObjects);
    await pool(
      batches.map((batch) => () => runShardJob({ model: input.model, checkId: input.checkId, baselineId: input.baselineId, psiBins: input.psiBins, items: batch }, profile)),
      settings.concurrency,
    );
    await runReduceJob(input);
  } catch (err) {
    logger.error("fan-out check failed", { model: input.model, checkId: input.checkId, error: err as Error });
    const e = err as Error;
    await runFailJob({ ...input, error: { Error: e?.name ?? "Error", Cause: JSON.stringify({ errorMessage: e?.message ?? String(err) }) } });
  }
}
