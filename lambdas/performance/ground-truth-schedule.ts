/**
 * Scheduled ground-truth joins: on every monitor pass (the stack's `monitorEveryMinutes`), each model with an
 * enabled schedule (`PUT /models/{model}/performance/ground-truth-schedule`) joins the ground truth that arrived since its
 * last run to its data capture, exactly like `POST /models/{model}/ground-truth` with `format: "model_monitor"`
 * does on demand, and records the matched records as one batch of the schedule's version.
 *
 * What a run takes: the ground-truth objects under `dataUri` modified after the schedule's watermark and before
 * the current whole second (S3's LastModified has one-second resolution, so an object written in this second is
 * left for the next run). It claims them by moving the watermark with a conditional write from the value it
 * read, so two overlapping passes cannot both join the same files; a second run over the same files joins
 * nothing (`no_new_ground_truth`). The captured predictions are read from the objects under `captureUri`
 * modified from `captureLookbackHours` before the oldest new ground-truth object up to the same cutoff (an
 * hourly-partitioned capture prefix is listed from that hour's folder on, not from its beginning).
 *
 * Ground-truth records without a captured prediction, and captures without ground truth, are counted and the
 * first ids listed in the run's report (`lastJoin` on the schedule) — they are not looked at again: ground
 * truth arrives after the prediction it labels, so a record unmatched now would stay unmatched. A run whose
 * join fails after its claim (an unreadable line, nothing matched) is noted with its reason and not retried
 * (at most once, like the drift monitor's own checks); the same files can be joined on demand.
 */
import { randomUUID } from "node:crypto";
import { MlwatchError } from "../shared/errors.js";
import { serviceLogger } from "../shared/logger.js";
import { hourlyStartAfter, isHourlyPartitioned, listS3Objects, parseS3Uri, type S3ObjectRef } from "../shared/readers/s3-source.js";
import { joinObjects } from "./model-monitor-join.js";
import { recordModelMonitorJoin } from "./model-monitor-ground-truth.js";
import { claimGroundTruthRun, listEnabledGroundTruthSchedules, noteGroundTruthRun, type GroundTruthScheduleRecord } from "./store/ground-truth-schedule.js";

const logger = serviceLogger("performance-schedule");

/** The actor of scheduled joins in the audit trail (the monitor pass that runs them). */
export const scheduledJoinActor = "mlwatch-monitor";

/** Ground-truth objects one run reads at most; a larger backlog fails the run visibly, the watermark kept. */
export const maxScheduledObjects = 10_000;
/** Captured objects one run reads at most. */
const maxCaptureObjects = 100_000;

/** What one run did for one model. */
export interface ScheduledJoinOutcome {
  readonly model: string;
  readonly outcome: "joined" | "no_new_ground_truth" | "unmatched" | "failed" | "skipped_concurrent";
  /** Ground-truth objects the run took. */
  readonly objects?: number;
  readonly batchId?: string;
  readonly join?: Record<string, unknown>;
  readonly error?: string;
}

/** The newest LastModified a run may take at `now`: just before the current whole second, never past the real clock. */
export function joinCutoff(now: Date): Date {
  const t = Math.min(now.getTime(), Date.now());
  return new Date(Math.floor(t / 1000) * 1000 - 1);
}

/** A failure as the schedule shows it: ours verbatim, anything else by its kind only (the stack is logged). */
function reason(err: unknown): string {
  if (err instanceof MlwatchError) return err.message;
  const name = (err as { name?: unknown })?.name;
  return `internal error (${typeof name === "string" && /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(name) ? name : "Error"}) while joining; it was logged`;
}

async function newGroundTruth(schedule: GroundTruthScheduleRecord, cutoff: Date): Promise<S3ObjectRef[]> {
  try {
    return await listS3Objects(schedule.dataUri, { modifiedAfter: new Date(schedule.watermark), modifiedAtOrBefore: cutoff, maxObjects: maxScheduledObjects });
  } catch (err) {
    if ((err as { name?: string }).name === "NotFoundError") return [];
    throw err;
  }
}

async function capturesFor(schedule: GroundTruthScheduleRecord, labels: readonly S3ObjectRef[], cutoff: Date): Promise<S3ObjectRef[]> {
  const oldest = Math.min(...labels.map((r) => r.lastModified.getTime()));
  const from = new Date(oldest - schedule.captureLookbackHours * 3600_000);
  // Objects modified at `from` exactly count: the window is inclusive at both ends.
  const modifiedAfter = new Date(from.getTime() - 1);
  const startAfter = (await isHourlyPartitioned(schedule.captureUri)) ? hourlyStartAfter(parseS3Uri(schedule.captureUri).key, from) : undefined;
  try {
    return await listS3Objects(schedule.captureUri, { modifiedAfter, modifiedAtOrBefore: cutoff, maxObjects: maxCaptureObjects, startAfter });
  } catch (err) {
    if ((err as { name?: string }).name === "NotFoundError") return [];
    throw err;
  }
}

/** One model's run at `now`. */
export async function runScheduledJoin(schedule: GroundTruthScheduleRecord, now: Date): Promise<ScheduledJoinOutcome> {
  const model = schedule.model;
  const runAt = now.toISOString();
  const cutoff = joinCutoff(now);
  let labels: S3ObjectRef[];
  try {
    labels = await newGroundTruth(schedule, cutoff);
  } catch (err) {
    const error = reason(err);
    logger.error("listing new ground truth failed", { model, error: err as Error });
    await noteGroundTruthRun(model, { lastRunAt: runAt, lastOutcome: `failed: ${error}` });
    return { model, outcome: "failed", error };
  }
  if (labels.length === 0) {
    await noteGroundTruthRun(model, { lastRunAt: runAt, lastOutcome: "no new ground truth" });
    return { model, outcome: "no_new_ground_truth" };
  }
  // At most once: the files are this run's from here on, whatever happens to the join.
  if (!(await claimGroundTruthRun(model, schedule.watermark, cutoff.toISOString(), runAt))) return { model, outcome: "skipped_concurrent" };
  const ctx = { requestId: `scheduled-${randomUUID()}`, caller: scheduledJoinActor };
  let report: Record<string, unknown> | undefined;
  try {
    const captures = await capturesFor(schedule, labels, cutoff);
    const join = await joinObjects(labels, captures, schedule.probabilityThreshold, { dataUri: schedule.dataUri, captureUri: schedule.captureUri, emptyCapture: "report" });
    report = join.report as unknown as Record<string, unknown>;
    if (join.report.matched === 0) {
      const outcome = `no ground truth record matched a captured prediction (${join.report.groundTruthRecords} ground truth, ${join.report.captureRecords} captured)`;
      await noteGroundTruthRun(model, { lastRunAt: runAt, lastOutcome: outcome, lastObjects: labels.length, lastJoin: report });
      return { model, outcome: "unmatched", objects: labels.length, join: report };
    }
    const out = await recordModelMonitorJoin(
      model,
      { dataUri: schedule.dataUri, captureUri: schedule.captureUri, version: schedule.version, task: schedule.task, probabilityThreshold: schedule.probabilityThreshold },
      join,
      ctx,
    );
    await noteGroundTruthRun(model, { lastRunAt: runAt, lastOutcome: `joined ${join.report.matched} record(s)`, lastBatchId: out.batch.batchId, lastObjects: labels.length, lastJoin: report });
    return { model, outcome: "joined", objects: labels.length, batchId: out.batch.batchId, join: report };
  } catch (err) {
    const error = reason(err);
    logger.error("scheduled ground-truth join failed", { model, requestId: ctx.requestId, error: err as Error });
    await noteGroundTruthRun(model, { lastRunAt: runAt, lastOutcome: `failed: ${error}`, lastObjects: labels.length, ...(report ? { lastJoin: report } : {}) });
    return { model, outcome: "failed", objects: labels.length, error, ...(report ? { join: report } : {}) };
  }
}

/**
 * One pass over every enabled schedule at `now`, one model after the other; a model's failure is noted on its
 * schedule and does not stop the others.
 */
export async function runGroundTruthSchedules(now: Date = new Date()): Promise<ScheduledJoinOutcome[]> {
  const schedules = await listEnabledGroundTruthSchedules();
  const outcomes: ScheduledJoinOutcome[] = [];
  for (const schedule of schedules) {
    try {
      outcomes.push(await runScheduledJoin(schedule, now));
    } catch (err) {
      logger.error("a scheduled ground-truth join failed", { model: schedule.model, error: err as Error });
      outcomes.push({ model: schedule.model, outcome: "failed", error: reason(err) });
    }
  }
  if (schedules.length > 0) logger.info("ground-truth schedules", { models: schedules.length, outcomes });
  return outcomes;
}
