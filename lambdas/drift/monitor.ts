/**
 * Scheduled monitoring: one pass over every enabled model's settings (started hourly by EventBridge).
 *
 * A model is due when it never ran, or its previous run is at least its schedule's period ago (hourly 55 min,
 * daily 23 h 55 min: a few minutes of slack for the rule's jitter). For a due model the pass lists the captured
 * objects under `dataCapturePrefix` modified after the model's watermark and before the current whole second
 * (S3's LastModified has one-second resolution, so an object written in the current second is left for the
 * next run). No new object: the run is noted on the settings, nothing else
 * is recorded and nothing is alerted. New objects: the watermark moves to the cutoff (a conditional write, so
 * overlapping passes cannot both take the same data), then the objects are checked against the active baseline
 * like any check (report, summary row, metrics, alert). A check that fails is recorded as a failed check;
 * its data is not retried (at most once).
 */
import { randomUUID } from "node:crypto";
import { resourceNames } from "../shared/env.js";
import { serviceLogger } from "../shared/logger.js";
import { MetricName, publishMetrics } from "../shared/metrics.js";
import { hourlyStartAfter, isHourlyPartitioned, listS3Objects, parseS3Uri, type S3ObjectRef } from "../shared/readers/s3-source.js";
import { completeCheck } from "./check.js";
import { loadS3 } from "./ingest.js";
import { profileKinds } from "./profile.js";
import { getActiveBaselineId, listEnabledMonitoring, loadBaseline, newId, putCheck, recordMonitorRun, type MonitoringRecord } from "./store.js";
import { failureMessage } from "./worker.js";

const logger = serviceLogger("drift-monitor");

/** The actor of scheduled checks in the audit trail. */
export const monitorActor = "mlwatch-monitor";

/** What one pass did for one model. */
export interface MonitorOutcome {
  readonly model: string;
  readonly outcome: "not-due" | "no-new-data" | "no-baseline" | "checked" | "failed" | "skipped-concurrent";
  readonly checkId?: string;
  readonly objects?: number;
  readonly driftDetected?: boolean;
  readonly error?: string;
}

const periodMs = { hourly: 55 * 60_000, daily: (23 * 60 + 55) * 60_000 } as const;

/** True when a model's monitoring is due at `now`. */
export function isDue(config: Pick<MonitoringRecord, "schedule" | "lastRunAt">, now: Date): boolean {
  if (!config.lastRunAt) return true;
  return now.getTime() - Date.parse(config.lastRunAt) >= periodMs[config.schedule];
}

/**
 * The newest LastModified a run may take at `now`: just before the current whole second — and never
 * past the real clock, so a pass run for a later slot cannot move the watermark over data not yet written.
 */
export function cutoffOf(now: Date): Date {
  const t = Math.min(now.getTime(), Date.now());
  return new Date(Math.floor(t / 1000) * 1000 - 1);
}

async function monitorModel(config: MonitoringRecord, now: Date): Promise<MonitorOutcome> {
  const model = config.model;
  if (!isDue(config, now)) return { model, outcome: "not-due" };
  const runAt = now.toISOString();
  const cutoff = cutoffOf(now);
  const after = config.watermark ? new Date(config.watermark) : undefined;
  let objects: S3ObjectRef[];
  try {
    // Incremental: an hourly-partitioned capture prefix is listed from the watermark's hour (less a margin)
    // with StartAfter, not from its beginning; the modified-time window still decides what is new.
    const startAfter = after && (await isHourlyPartitioned(config.dataCapturePrefix)) ? hourlyStartAfter(parseS3Uri(config.dataCapturePrefix).key, after) : undefined;
    objects = await listS3Objects(config.dataCapturePrefix, { modifiedAfter: after, modifiedAtOrBefore: cutoff, maxObjects: 50_000, startAfter });
  } catch (err) {
    const error = failureMessage(err);
    if ((err as { name?: string }).name === "NotFoundError") objects = [];
    else {
      await recordMonitorRun(model, config.watermark, { watermark: config.watermark ?? cutoff.toISOString(), lastRunAt: runAt, lastOutcome: `failed: ${error}` });
      return { model, outcome: "failed", error };
    }
  }
  if (objects.length === 0) {
    await recordMonitorRun(model, config.watermark, { watermark: config.watermark ?? cutoff.toISOString(), lastRunAt: runAt, lastOutcome: "no new data" });
    return { model, outcome: "no-new-data" };
  }
  if ((await getActiveBaselineId(model)) === undefined) {
    // Keep the watermark: the data is checked once a baseline is active.
    await recordMonitorRun(model, config.watermark, { watermark: config.watermark ?? new Date(0).toISOString(), lastRunAt: runAt, lastOutcome: "no active baseline" });
    return { model, outcome: "no-baseline", objects: objects.length };
  }
  const checkId = newId(now);
  const claimed = await recordMonitorRun(model, config.watermark, { watermark: cutoff.toISOString(), lastRunAt: runAt, lastCheckId: checkId, lastOutcome: "checking" });
  if (!claimed) return { model, outcome: "skipped-concurrent" };
  const createdAt = new Date().toISOString();
  let baselineId = "";
  try {
    const { record, profile } = await loadBaseline(model);
    baselineId = record.baselineId;
    const data = await loadS3(objects, { kinds: profileKinds(profile), onlyKnown: true, positionalNames: profile.features });
    if (data.rows === 0) {
      await recordMonitorRun(model, cutoff.toISOString(), { watermark: cutoff.toISOString(), lastRunAt: runAt, lastOutcome: "no new rows" });
      return { model, outcome: "no-new-data", objects: objects.length };
    }
    const { record: check } = await completeCheck(
      { model, checkId, source: "monitor", baselineId, createdAt, createdBy: monitorActor, dataUri: config.dataCapturePrefix, thresholds: config.thresholds },
      profile,
      data,
      false,
    );
    await recordMonitorRun(model, cutoff.toISOString(), { watermark: cutoff.toISOString(), lastRunAt: runAt, lastCheckId: checkId, lastOutcome: check.driftDetected ? "drift" : "no drift" });
    return { model, outcome: "checked", checkId, objects: objects.length, driftDetected: check.driftDetected };
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
    await recordMonitorRun(model, cutoff.toISOString(), { watermark: cutoff.toISOString(), lastRunAt: runAt, lastCheckId: checkId, lastOutcome: `failed: ${error}` });
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
      outcomes.push(await monitorModel(config, now));
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
