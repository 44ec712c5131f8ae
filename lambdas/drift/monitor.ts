/**
 * Scheduled monitoring: one pass over every enabled model's settings (started hourly by EventBridge).
 *
 * A model is due when it never ran, or its previous run is at least its schedule's period ago (hourly 55 min,
 * daily 23 h 55 min: a few minutes of slack for the rule's jitter). For a due model the pass lists the captured
 * objects under `dataCapturePrefix` modified after the model's watermark and before the current whole second
 * (S3's LastModified has one-second resolution, so an object written in the current second is left for the
 * next run). No new object: the run is noted on the settings, nothing else is recorded and nothing is alerted.
 *
 * New objects: the run covers at most {@link monitorRunLimits} of them (objects and bytes), oldest
 * LastModified first and whole LastModified groups at a time (`selectRunObjects`); the rest waits for the
 * next run, because the watermark moves only to the newest LastModified the run covered (or to the cutoff
 * when it covered everything). Then the size switch of on-demand checks (`fanout.ts`, `shouldFanOut`):
 * - below it, the watermark moves first (a conditional write, so overlapping passes cannot both take the
 *   same data), then the objects are checked in this function like any check (report, summary row,
 *   metrics, alert, event, retraining). A check that fails here is recorded as failed; its data is not
 *   retried (at most once).
 * - at or above it, the check is recorded `running` and handed to the fan-out path (manifest, state
 *   machine or the in-process map, the same shard function reading the same data-capture format through
 *   `loadS3`, the same reduce and completion). The settings mark it pending (`pendingCheckId`, conditional
 *   like the watermark) and the watermark does not move until the check completes (the reduce settles
 *   it: `settleMonitoredCheck`). A failed fan-out leaves the watermark, so the next run checks the same
 *   data again; after `monitoredFanOutAttempts` (3) failures in a row it moves on and says so in
 *   `lastOutcome`. While a check is pending, later runs of the model do nothing (`fan_out_running`): no
 *   object is checked twice. A pending check that finished without settling is settled by the next run; one
 *   open past {@link pendingFanOutTimeoutMs} (the state machine's 6 h timeout and a margin) is marked failed.
 */
import { measureUsage } from "../shared/usage.js";
import { randomUUID } from "node:crypto";
import { resourceNames } from "../shared/env.js";
import { ValidationError } from "../shared/errors.js";
import { serviceLogger } from "../shared/logger.js";
import { MetricName, publishMetrics } from "../shared/metrics.js";
import { hourlyStartAfter, isHourlyPartitioned, listS3Objects, parseS3Uri, type S3ObjectRef } from "../shared/readers/s3-source.js";
import { resolveThresholds } from "../core/drift/index.js";
import { completeCheck } from "./check.js";
import { settleMonitoredCheck, shouldFanOut, startFanOut } from "./fanout.js";
import { loadS3 } from "./ingest.js";
import { profileKinds } from "./profile.js";
import { newId } from "./store/items.js";
import { getActiveBaselineId, loadBaseline } from "./store/active-baseline.js";
import { failOpenCheck, getCheck, putCheck } from "./store/checks.js";
import { claimMonitorFanOut, getMonitoring, listEnabledMonitoring, recordMonitorRun, type MonitoringRecord } from "./store/monitoring.js";
import { failureMessage } from "./worker.js";

const logger = serviceLogger("drift-monitor");

/** The actor of scheduled checks in the audit trail. */
export const monitorActor = "mlwatch-monitor";

/** What one pass did for one model. */
export interface MonitorOutcome {
  readonly model: string;
  readonly outcome: "not_due" | "no_new_data" | "no_baseline" | "checked" | "fanned_out" | "fan_out_running" | "failed" | "skipped_concurrent";
  readonly checkId?: string;
  /** Objects the run covered. */
  readonly objects?: number;
  /** New objects left for the next run by the per-run cap. */
  readonly deferred?: number;
  readonly driftDetected?: boolean;
  readonly error?: string;
}

const periodMs = { hourly: 55 * 60_000, daily: (23 * 60 + 55) * 60_000 } as const;

/**
 * The least time between two runs of a model: its `everyMinutes` less a tenth (at most 5 minutes) for the
 * rule's jitter, else its schedule's period.
 */
export function periodOf(config: Pick<MonitoringRecord, "schedule" | "everyMinutes">): number {
  if (config.everyMinutes !== undefined) return config.everyMinutes * 60_000 - Math.min(5 * 60_000, config.everyMinutes * 6_000);
  return periodMs[config.schedule];
}

/** True when a model's monitoring is due at `now`. */
export function isDue(config: Pick<MonitoringRecord, "schedule" | "lastRunAt" | "everyMinutes">, now: Date): boolean {
  if (!config.lastRunAt) return true;
  return now.getTime() - Date.parse(config.lastRunAt) >= periodOf(config);
}

/**
 * The newest LastModified a run may take at `now`: just before the current whole second — and never
 * past the real clock, so a pass run for a later slot cannot move the watermark over data not yet written.
 */
export function cutoffOf(now: Date): Date {
  const t = Math.min(now.getTime(), Date.now());
  return new Date(Math.floor(t / 1000) * 1000 - 1);
}

/**
 * What one monitor run of one model may cover; the rest of the new data waits for the next run.
 *
 * Why these defaults (figures from bench/README.md, "Fan-out drift engine"): 20,000 objects are 1,250
 * shards of 16, whose summaries (≤ 1.3 MB each for 20 features) the reduce holds in about 1.6 GB and merges
 * in about 4 min at the measured 8.6 ms per summary and feature — inside its 3,008 MB and 15 min.
 * 256 GiB is, at about 350 bytes a captured row of 20 features and about 70k rows/s a shard (ingest
 * 400k rows/s, then summaries at 1.72 M values/s), about 11,000 shard-seconds: some 5 minutes of a
 * 40-shard map, far inside the state machine's 6 h (both are projections from measured rates, not measurements).
 */
export interface MonitorRunLimits {
  /** Objects per run. @default 20,000 */
  readonly objects: number;
  /** Bytes per run. @default 256 GiB */
  readonly bytes: number;
}

export const defaultMonitorRunLimits: MonitorRunLimits = { objects: 20_000, bytes: 256 * 1024 ** 3 };

/** New objects a run lists at most (a multiple of the cap); a larger backlog fails the run visibly, the watermark kept. */
export const monitorListingLimit = 200_000;

/** A pending fan-out check still open after this long (real time) is marked failed: the state machine's 6 h timeout plus a margin. */
export const pendingFanOutTimeoutMs = 7 * 3600_000;

/** A pending check whose row never appeared (the monitor stopped between its two writes) is abandoned after the monitor's 15 min. */
const missingPendingCheckMs = 16 * 60_000;

/** Environment names of the per-run cap (local mode and tests; deployed, the defaults). */
export const MonitorEnv = { maxObjects: "MLWATCH_DRIFT_MONITOR_MAX_OBJECTS", maxBytes: "MLWATCH_DRIFT_MONITOR_MAX_BYTES" } as const;

function limitFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!(Number.isInteger(n) && n >= 1)) throw new ValidationError(`${name} must be a positive integer`);
  return n;
}

/** The per-run cap of this process (environment over the defaults). */
export function monitorRunLimits(): MonitorRunLimits {
  return {
    objects: limitFromEnv(MonitorEnv.maxObjects, defaultMonitorRunLimits.objects),
    bytes: limitFromEnv(MonitorEnv.maxBytes, defaultMonitorRunLimits.bytes),
  };
}

/**
 * The objects one run covers: oldest LastModified first (then key), whole groups of equal LastModified
 * while they fit the limits, so that "modified at or before the watermark" stays exactly "checked". A
 * first group larger than the limits is taken whole (otherwise monitoring could never pass it).
 * @returns the covered objects, the watermark they justify (undefined when everything is covered: the
 *   caller's cutoff), and how many new objects wait for the next run
 */
export function selectRunObjects(objects: readonly S3ObjectRef[], limits: MonitorRunLimits): { covered: S3ObjectRef[]; through?: Date; deferred: number } {
  const sorted = [...objects].sort((a, b) => a.lastModified.getTime() - b.lastModified.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let count = 0;
  let bytes = 0;
  let end = 0;
  while (end < sorted.length) {
    const t = sorted[end].lastModified.getTime();
    let groupEnd = end;
    let groupBytes = 0;
    while (groupEnd < sorted.length && sorted[groupEnd].lastModified.getTime() === t) groupBytes += sorted[groupEnd++].size;
    const fits = count + (groupEnd - end) <= limits.objects && bytes + groupBytes <= limits.bytes;
    if (!fits && end > 0) break;
    count += groupEnd - end;
    bytes += groupBytes;
    end = groupEnd;
    if (!fits) break;
  }
  const covered = sorted.slice(0, end);
  if (end === sorted.length) return { covered, deferred: 0 };
  return { covered, through: covered[covered.length - 1].lastModified, deferred: sorted.length - end };
}

/**
 * A pending fan-out check of the model: settle it when it finished (the reduce or failure step did not get
 * to), fail it when it has been open too long, or report it running.
 * @returns "running" while it must be left alone, otherwise "settled"
 */
async function reconcilePending(config: MonitoringRecord): Promise<"running" | "settled"> {
  const checkId = config.pendingCheckId as string;
  const check = await getCheck(config.model, checkId);
  const age = Date.now() - Date.parse(config.pendingSince ?? new Date(0).toISOString());
  if (check?.status === "completed") {
    await settleMonitoredCheck(config.model, checkId, { completed: true, driftDetected: check.driftDetected === true });
    return "settled";
  }
  if (check?.status === "failed") {
    await settleMonitoredCheck(config.model, checkId, { completed: false, error: check.error ?? "the check failed" });
    return "settled";
  }
  if (!check && age >= missingPendingCheckMs) {
    await settleMonitoredCheck(config.model, checkId, { completed: false, error: "the scheduled check was not recorded (the monitor stopped while handing it to the fan-out path)" });
    return "settled";
  }
  if (check && age >= pendingFanOutTimeoutMs) {
    const error = `the fanned-out check did not finish within ${pendingFanOutTimeoutMs / 3600_000} hours; its data is checked again`;
    // Conditional on the check still open: one that finished just now is settled by what it did.
    if (!(await failOpenCheck(config.model, checkId, error))) return reconcilePending(config);
    await settleMonitoredCheck(config.model, checkId, { completed: false, error });
    return "settled";
  }
  return "running";
}

async function monitorModel(initial: MonitoringRecord, now: Date): Promise<MonitorOutcome> {
  const model = initial.model;
  if (!isDue(initial, now)) return { model, outcome: "not_due" };
  let config = initial;
  if (config.pendingCheckId) {
    // No double-checking: the data after the watermark belongs to the pending check until it settles.
    if ((await reconcilePending(config)) === "running") return { model, outcome: "fan_out_running", checkId: config.pendingCheckId };
    const reread = await getMonitoring(model);
    if (!reread?.enabled || reread.pendingCheckId) return { model, outcome: "skipped_concurrent" };
    config = reread;
  }
  const runAt = now.toISOString();
  const cutoff = cutoffOf(now);
  const after = config.watermark ? new Date(config.watermark) : undefined;
  let listed: S3ObjectRef[];
  try {
    // Incremental: an hourly-partitioned capture prefix is listed from the watermark's hour (less a margin)
    // with StartAfter, not from its beginning; the modified-time window still decides what is new.
    const startAfter = after && (await isHourlyPartitioned(config.dataCapturePrefix)) ? hourlyStartAfter(parseS3Uri(config.dataCapturePrefix).key, after) : undefined;
    listed = await listS3Objects(config.dataCapturePrefix, { modifiedAfter: after, modifiedAtOrBefore: cutoff, maxObjects: monitorListingLimit, startAfter });
  } catch (err) {
    const error = failureMessage(err);
    if ((err as { name?: string }).name === "NotFoundError") listed = [];
    else {
      await recordMonitorRun(model, config.watermark, { watermark: config.watermark ?? cutoff.toISOString(), lastRunAt: runAt, lastOutcome: `failed: ${error}` });
      return { model, outcome: "failed", error };
    }
  }
  if (listed.length === 0) {
    await recordMonitorRun(model, config.watermark, { watermark: config.watermark ?? cutoff.toISOString(), lastRunAt: runAt, lastOutcome: "no new data" });
    return { model, outcome: "no_new_data" };
  }
  if ((await getActiveBaselineId(model)) === undefined) {
    // Keep the watermark: the data is checked once a baseline is active.
    await recordMonitorRun(model, config.watermark, { watermark: config.watermark ?? new Date(0).toISOString(), lastRunAt: runAt, lastOutcome: "no active baseline" });
    return { model, outcome: "no_baseline", objects: listed.length };
  }
  const { covered: objects, through, deferred } = selectRunObjects(listed, monitorRunLimits());
  const coveredThrough = (through ?? cutoff).toISOString();
  const waiting = deferred > 0 ? `; ${deferred} newer object(s) wait for the next run (per-run cap)` : "";
  const checkId = newId(now);
  if (shouldFanOut(objects)) return fanOutModel(config, { checkId, runAt, coveredThrough, objects, deferred });

  const claimed = await recordMonitorRun(model, config.watermark, { watermark: coveredThrough, lastRunAt: runAt, lastCheckId: checkId, lastOutcome: "checking" });
  if (!claimed) return { model, outcome: "skipped_concurrent" };
  const createdAt = new Date().toISOString();
  let baselineId = "";
  try {
    const { record, profile } = await loadBaseline(model);
    baselineId = record.baselineId;
    const data = await loadS3(objects, { kinds: profileKinds(profile), onlyKnown: true, positionalNames: profile.features });
    if (data.rows === 0) {
      await recordMonitorRun(model, coveredThrough, { watermark: coveredThrough, lastRunAt: runAt, lastOutcome: `no new rows${waiting}` });
      return { model, outcome: "no_new_data", objects: objects.length, deferred };
    }
    const { record: check } = await completeCheck(
      { model, checkId, source: "monitor", baselineId, createdAt, createdBy: monitorActor, dataUri: config.dataCapturePrefix, thresholds: config.thresholds },
      profile,
      data,
      false,
    );
    await recordMonitorRun(model, coveredThrough, { watermark: coveredThrough, lastRunAt: runAt, lastCheckId: checkId, lastOutcome: `${check.driftDetected ? "drift" : "no drift"}${waiting}` });
    return { model, outcome: "checked", checkId, objects: objects.length, deferred, driftDetected: check.driftDetected };
  } catch (err) {
    const error = failureMessage(err);
    logger.error("scheduled drift check failed", { model, checkId, error: err as Error });
    await putCheck({
      model,
      checkId,
      status: "failed",
      source: "monitor",
      baselineId,
      createdAt,
      createdBy: monitorActor,
      dataUri: config.dataCapturePrefix,
      completedAt: new Date().toISOString(),
      objects: objects.length,
      error,
    }).catch((e: unknown) => logger.error("could not record the failed check", { model, checkId, error: e as Error }));
    await recordMonitorRun(model, coveredThrough, { watermark: coveredThrough, lastRunAt: runAt, lastCheckId: checkId, lastOutcome: `failed: ${error}` });
    return { model, outcome: "failed", checkId, error };
  }
}

/**
 * A run at or above the size switch: claim the data for a pending check (the watermark stays), record
 * the check `running`, start the fan-out. In-process (local mode) the fan-out has finished on return;
 * deployed, the state machine's reduce or failure step settles it.
 */
async function fanOutModel(
  config: MonitoringRecord,
  run: { checkId: string; runAt: string; coveredThrough: string; objects: S3ObjectRef[]; deferred: number },
): Promise<MonitorOutcome> {
  const { model } = config;
  const { checkId, objects, deferred } = run;
  const { record, profile } = await loadBaseline(model);
  // The watermark a pending claim is conditional on; a model set up by putMonitoring always has one.
  const previous = config.watermark ?? new Date(0).toISOString();
  if (config.watermark === undefined && !(await recordMonitorRun(model, undefined, { watermark: previous, lastRunAt: run.runAt, lastOutcome: "checking" }))) {
    return { model, outcome: "skipped_concurrent" };
  }
  const claimed = await claimMonitorFanOut(model, previous, { checkId, through: run.coveredThrough, lastRunAt: run.runAt, since: new Date().toISOString(), deferred });
  if (!claimed) return { model, outcome: "skipped_concurrent" };
  const createdAt = new Date().toISOString();
  const thresholds = config.thresholds;
  try {
    await putCheck({
      model,
      checkId,
      status: "running",
      source: "monitor",
      baselineId: record.baselineId,
      createdAt,
      createdBy: monitorActor,
      dataUri: config.dataCapturePrefix,
      thresholds,
      startedAt: createdAt,
      objects: objects.length,
    });
    const where = await startFanOut({ model, checkId, baselineId: record.baselineId, psiBins: resolveThresholds(thresholds).psiBins }, profile, objects);
    if (where === "state-machine") {
      logger.info("scheduled check fanned out", { model, checkId, objects: objects.length, deferred });
      return { model, outcome: "fanned_out", checkId, objects: objects.length, deferred };
    }
    const done = await getCheck(model, checkId);
    if (done?.status === "completed") return { model, outcome: "checked", checkId, objects: objects.length, deferred, driftDetected: done.driftDetected };
    return { model, outcome: "failed", checkId, objects: objects.length, error: done?.error ?? "the fan-out check did not finish" };
  } catch (err) {
    // The check was not handed over (its row or the start failed): mark it failed and keep the watermark.
    const error = `the scheduled check could not be fanned out: ${failureMessage(err)}`;
    logger.error("scheduled fan-out not started", { model, checkId, error: err as Error });
    const marked = await failOpenCheck(model, checkId, error).catch(() => false);
    if (!marked) {
      await putCheck({ model, checkId, status: "failed", source: "monitor", baselineId: record.baselineId, createdAt, createdBy: monitorActor, dataUri: config.dataCapturePrefix, completedAt: new Date().toISOString(), objects: objects.length, error }).catch(
        (e: unknown) => logger.error("could not record the failed check", { model, checkId, error: e as Error }),
      );
    }
    await settleMonitoredCheck(model, checkId, { completed: false, error });
    return { model, outcome: "failed", checkId, error };
  }
}

/**
 * One monitoring pass at `now`: every enabled, due model, one after the other.
 * Publishes `MonitorRuns` (1 per pass) and returns what happened per model.
 */
export async function runMonitorPass(now: Date = new Date()): Promise<{ runId: string; outcomes: MonitorOutcome[] }> {
  const runId = randomUUID();
  const configs = await listEnabledMonitoring();
  const outcomes: MonitorOutcome[] = [];
  for (const config of configs) {
    try {
      // Each model's run is measured on its own: its check's cost counts its listing, reads and writes.
      outcomes.push(await measureUsage(() => monitorModel(config, now), "driftMonitor"));
    } catch (err) {
      logger.error("monitoring a model failed", { model: config.model, error: err as Error });
      outcomes.push({ model: config.model, outcome: "failed", error: failureMessage(err) });
    }
  }
  try {
    await publishMetrics(resourceNames().metricsNamespace, [{ name: MetricName.monitorRuns, value: 1, unit: "Count", dimensions: {} }]);
  } catch (err) {
    logger.error("MonitorRuns not published", { error: err as Error });
  }
  logger.info("monitor pass", { runId, models: configs.length, outcomes });
  return { runId, outcomes };
}
