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
 *
 * A run whose objects hold more than the size bound (`groundTruthJoinInlineBytes`, join-job.ts) is handed to
 * the drift worker as a join job with the windows it claimed (`lastJobId` on the schedule); the worker notes
 * the outcome on the schedule when it is done, as the pass would have.
 */
import { randomUUID } from "node:crypto";
import { serviceLogger } from "../shared/logger.js";
import { hourlyStartAfter, isHourlyPartitioned, parseS3Uri, type S3ObjectRef } from "../shared/readers/s3-source.js";
import { finishScheduledJoin, reason, scheduledJoinActor, type ScheduledJoinOutcome } from "./scheduled-join.js";
import { exceedsInlineBound, joinInputs, listWithin, startJoinJob } from "./join-job.js";
import type { ListWindow } from "./store/join-jobs.js";
import { claimGroundTruthRun, joinCutoff, listEnabledGroundTruthSchedules, noteGroundTruthRun, type GroundTruthScheduleRecord } from "./store/ground-truth-schedule.js";

export { joinCutoff };

const logger = serviceLogger("performance-schedule");

/** Ground-truth objects one run reads at most; a larger backlog fails the run visibly, the watermark kept. */
export const maxScheduledObjects = 10_000;
/** Captured objects one run reads at most. */
const maxCaptureObjects = 100_000;

const newGroundTruth = (schedule: GroundTruthScheduleRecord, cutoff: Date): Promise<S3ObjectRef[]> =>
  listWithin(schedule.dataUri, groundTruthWindow(schedule, cutoff));

/** The ground truth a run takes: modified after the watermark, up to the cutoff. */
const groundTruthWindow = (schedule: GroundTruthScheduleRecord, cutoff: Date): ListWindow => ({ modifiedAfter: schedule.watermark, modifiedAtOrBefore: cutoff.toISOString(), maxObjects: maxScheduledObjects });

/** Where a run reads captured predictions: from `captureLookbackHours` before its oldest new ground truth to the cutoff. */
async function captureWindow(schedule: GroundTruthScheduleRecord, labels: readonly S3ObjectRef[], cutoff: Date): Promise<ListWindow> {
  const oldest = Math.min(...labels.map((r) => r.lastModified.getTime()));
  const from = new Date(oldest - schedule.captureLookbackHours * 3600_000);
  // Objects modified at `from` exactly count: the window is inclusive at both ends.
  const modifiedAfter = new Date(from.getTime() - 1).toISOString();
  const startAfter = (await isHourlyPartitioned(schedule.captureUri)) ? hourlyStartAfter(parseS3Uri(schedule.captureUri).key, from) : undefined;
  return { modifiedAfter, modifiedAtOrBefore: cutoff.toISOString(), maxObjects: maxCaptureObjects, ...(startAfter ? { startAfter } : {}) };
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
  const spec = { dataUri: schedule.dataUri, captureUri: schedule.captureUri, version: schedule.version, task: schedule.task, probabilityThreshold: schedule.probabilityThreshold };
  try {
    const window = await captureWindow(schedule, labels, cutoff);
    const captures = await listWithin(schedule.captureUri, window);
    const inputs = joinInputs(labels, captures);
    if (exceedsInlineBound(inputs)) {
      // Above the size bound the worker joins the same objects (the windows this run claimed), as on demand.
      const accepted = await startJoinJob(model, { ...spec, groundTruthWindow: groundTruthWindow(schedule, cutoff), captureWindow: window }, inputs, ctx, "schedule");
      await noteGroundTruthRun(model, { lastRunAt: runAt, lastOutcome: `joining in the worker (job ${accepted.jobId})`, lastObjects: labels.length, lastJobId: accepted.jobId });
      return { model, outcome: "handed_to_worker", objects: labels.length, jobId: accepted.jobId };
    }
    return await finishScheduledJoin(model, spec, labels, captures, { ...ctx, runAt });
  } catch (err) {
    const error = reason(err);
    logger.error("scheduled ground-truth join failed", { model, requestId: ctx.requestId, error: err as Error });
    await noteGroundTruthRun(model, { lastRunAt: runAt, lastOutcome: `failed: ${error}`, lastObjects: labels.length });
    return { model, outcome: "failed", objects: labels.length, error };
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
