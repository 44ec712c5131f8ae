/**
 * The end of a scheduled ground-truth join run (ground-truth-schedule.ts): its objects joined, the batch
 * recorded and the outcome noted on the schedule. The monitor's pass runs it for a run within the size bound,
 * the drift worker for a run above it (join-job.ts).
 */
import { MlwatchError } from "../shared/errors.js";
import { serviceLogger } from "../shared/logger.js";
import type { S3ObjectRef } from "../shared/readers/s3-source.js";
import { joinObjects } from "./model-monitor-join.js";
import { recordModelMonitorJoin, type ModelMonitorJoinSpec } from "./model-monitor-ground-truth.js";
import type { RequestContext } from "./ground-truth.js";
import { noteGroundTruthRun } from "./store/ground-truth-schedule.js";

const logger = serviceLogger("performance-schedule");

/** The actor of scheduled joins in the audit trail (the monitor pass that runs them). */
export const scheduledJoinActor = "mlwatch-monitor";

/** What one run did for one model. */
export interface ScheduledJoinOutcome {
  readonly model: string;
  readonly outcome: "joined" | "no_new_ground_truth" | "unmatched" | "failed" | "skipped_concurrent" | "handed_to_worker";
  /** Ground-truth objects the run took. */
  readonly objects?: number;
  readonly batchId?: string;
  /** The worker's job, when the run's objects were above the size bound. */
  readonly jobId?: string;
  readonly join?: Record<string, unknown>;
  readonly error?: string;
}

/** A failure as the schedule shows it: ours verbatim, anything else by its kind only (the stack is logged). */
export function reason(err: unknown): string {
  if (err instanceof MlwatchError) return err.message;
  const name = (err as { name?: unknown })?.name;
  return `internal error (${typeof name === "string" && /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(name) ? name : "Error"}) while joining; it was logged`;
}

/**
 * Joins a run's objects and records the batch, noting the outcome on the schedule — in the monitor's pass, or
 * in the worker for a run above the size bound (join-job.ts; then noted only while the schedule still points
 * at that job, so a late job does not overwrite a newer run's note).
 */
export async function finishScheduledJoin(
  model: string,
  spec: ModelMonitorJoinSpec,
  labels: readonly S3ObjectRef[],
  captures: readonly S3ObjectRef[],
  ctx: RequestContext & { readonly runAt: string; readonly jobId?: string },
): Promise<ScheduledJoinOutcome> {
  const note = (n: Omit<Parameters<typeof noteGroundTruthRun>[1], "lastRunAt" | "lastObjects">) =>
    noteGroundTruthRun(model, { lastRunAt: ctx.runAt, lastObjects: labels.length, ...n }, ctx.jobId);
  let report: Record<string, unknown> | undefined;
  try {
    const join = await joinObjects(labels, captures, spec.probabilityThreshold, { dataUri: spec.dataUri, captureUri: spec.captureUri, emptyCapture: "report" });
    report = join.report as unknown as Record<string, unknown>;
    if (join.report.matched === 0) {
      const outcome = `no ground truth record matched a captured prediction (${join.report.groundTruthRecords} ground truth, ${join.report.captureRecords} captured)`;
      await note({ lastOutcome: outcome, lastJoin: report });
      return { model, outcome: "unmatched", objects: labels.length, join: report, ...(ctx.jobId ? { error: outcome } : {}) };
    }
    const out = await recordModelMonitorJoin(model, spec, join, ctx);
    await note({ lastOutcome: `joined ${join.report.matched} record(s)`, lastBatchId: out.batch.batchId, lastJoin: report });
    return { model, outcome: "joined", objects: labels.length, batchId: out.batch.batchId, join: report };
  } catch (err) {
    const error = reason(err);
    logger.error("scheduled ground-truth join failed", { model, requestId: ctx.requestId, error: err as Error });
    await note({ lastOutcome: `failed: ${error}`, ...(report ? { lastJoin: report } : {}) });
    return { model, outcome: "failed", objects: labels.length, error, ...(report ? { join: report } : {}) };
  }
}
