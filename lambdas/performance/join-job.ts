/**
 * Large ground-truth joins run in the drift worker, not in the function that was asked: when the ground-truth
 * and capture objects of a `format: "model_monitor"` join hold more than {@link groundTruthInlineBytes} bytes
 * together, the performance API (or the monitor's scheduled run) writes a `pending` job, starts the worker
 * asynchronously (shared/async-job.ts: InvocationType `Event` on the function named in `MLWATCH_DRIFT_WORKER`;
 * in local mode the same job runs in this process, not awaited) and answers 202 with the job's id. The worker
 * (15 minutes, 3,008 MB) joins and records the batch exactly as the API would; the job's item keeps the
 * answer (`result`) or the error, read with `GET /models/{model}/performance/ground-truth-jobs/{jobId}`.
 * A job is taken once: a second delivery of the same event finds it no longer `pending` and does nothing; a
 * worker that dies has its job marked failed by the worker's failure handler (drift/job-failure.ts).
 */
import { EnvName } from "../shared/env.js";
import { startAsyncJob } from "../shared/async-job.js";
import { MlwatchError, ValidationError } from "../shared/errors.js";
import { serviceLogger } from "../shared/logger.js";
import { listS3Objects, type ListOptions, type S3ObjectRef } from "../shared/readers/s3-source.js";
import { timeSortableId } from "../shared/time-id.js";
import { joinObjects } from "./model-monitor-join.js";
import { recordModelMonitorJoin, type ModelMonitorJoinSpec } from "./model-monitor-ground-truth.js";
import type { PerformanceThresholds } from "../core/performance/thresholds.js";
import type { GroundTruthBody } from "./contract/schemas.js";
import { defaultGroundTruthInlineBytes } from "./contract/join-jobs.js";
import type { RequestContext } from "./ground-truth.js";
import { advanceJoinJob, getJoinJob, putJoinJob, type JoinJobRecord, type JoinJobSpec, type ListWindow } from "./store/join-jobs.js";

const logger = serviceLogger("performance-join-job");

/** The size bound of this process: the stack's setting (environment), else the default. */
export function groundTruthInlineBytes(): number {
  const raw = process.env[EnvName.groundTruthInlineBytes];
  if (raw === undefined || raw === "") return defaultGroundTruthInlineBytes;
  const n = Number(raw);
  if (!(Number.isInteger(n) && n >= 0)) throw new ValidationError(`${EnvName.groundTruthInlineBytes} must be a whole number of bytes`);
  return n;
}

/** Objects and bytes of both sides of a join. */
export function joinInputs(labels: readonly S3ObjectRef[], captures: readonly S3ObjectRef[]): { objects: number; bytes: number } {
  let bytes = 0;
  for (const r of labels) bytes += r.size;
  for (const r of captures) bytes += r.size;
  return { objects: labels.length + captures.length, bytes };
}

/** True when a join of these inputs runs in the worker. */
export const exceedsInlineBound = (inputs: { bytes: number }): boolean => inputs.bytes > groundTruthInlineBytes();

/** The 202 answer of an accepted join. */
export interface AcceptedJoin {
  readonly model: string;
  readonly jobId: string;
  readonly status: "pending";
  readonly format: "model_monitor";
  readonly version: string;
  readonly objects: number;
  readonly bytes: number;
  readonly location: string;
}

/**
 * Accepts a large join: writes the `pending` job and starts the worker.
 * @returns the 202 answer
 */
export async function startJoinJob(
  model: string,
  spec: JoinJobSpec,
  inputs: { objects: number; bytes: number },
  ctx: RequestContext,
  origin: JoinJobRecord["origin"] = "request",
): Promise<AcceptedJoin> {
  const jobId = timeSortableId();
  const createdAt = new Date().toISOString();
  await putJoinJob({ model, jobId, status: "pending", format: "model_monitor", origin, spec, objects: inputs.objects, bytes: inputs.bytes, createdAt, createdBy: ctx.caller, requestId: ctx.requestId });
  try {
    await startAsyncJob(process.env[EnvName.driftQueueFunction], { kind: "ground_truth_join", model, jobId }, () => runGroundTruthJoinJob(model, jobId));
  } catch (err) {
    // Not started: the job says so rather than staying pending for ever.
    await advanceJoinJob(model, jobId, ["pending"], "failed", { completedAt: new Date().toISOString(), error: "the worker could not be started; send the request again" });
    throw err;
  }
  return { model, jobId, status: "pending", format: "model_monitor", version: spec.version, objects: inputs.objects, bytes: inputs.bytes, location: `/models/${model}/performance/ground-truth-jobs/${jobId}` };
}

const listOptions = (w: ListWindow | undefined): ListOptions => ({
  ...(w?.modifiedAfter ? { modifiedAfter: new Date(w.modifiedAfter) } : {}),
  ...(w?.modifiedAtOrBefore ? { modifiedAtOrBefore: new Date(w.modifiedAtOrBefore) } : {}),
  ...(w?.startAfter ? { startAfter: w.startAfter } : {}),
  ...(w?.maxObjects ? { maxObjects: w.maxObjects } : {}),
});

/** Lists a side of a join within its window; nothing under the URI in a window is no objects (not an error). */
export async function listWithin(uri: string, window: ListWindow | undefined): Promise<S3ObjectRef[]> {
  try {
    return await listS3Objects(uri, listOptions(window));
  } catch (err) {
    if (window && (err as { name?: string }).name === "NotFoundError") return [];
    throw err;
  }
}

/** A failure as the job shows it: ours verbatim, anything else by its kind only (the stack is logged). */
function jobError(err: unknown, requestId: string): string {
  if (err instanceof MlwatchError) return err.message;
  return `internal error while joining; it was logged with request id ${requestId}`;
}

/** Runs a pending join job (the worker's `ground_truth_join` job). Never throws for the join's own failure: it is recorded on the job. */
export async function runGroundTruthJoinJob(model: string, jobId: string): Promise<void> {
  const job = await getJoinJob(model, jobId);
  if (!job) {
    logger.warn("join job for an unknown job", { model, jobId });
    return;
  }
  if (!(await advanceJoinJob(model, jobId, ["pending"], "running", { startedAt: new Date().toISOString() }))) return;
  const ctx = { requestId: job.requestId, caller: job.createdBy };
  const end = (to: "completed" | "failed", fields: Partial<Pick<JoinJobRecord, "result" | "join" | "error">>) =>
    advanceJoinJob(model, jobId, ["running"], to, { completedAt: new Date().toISOString(), ...fields });
  let report: Record<string, unknown> | undefined;
  try {
    const { spec } = job;
    const labels = await listWithin(spec.dataUri, spec.groundTruthWindow);
    const captures = await listWithin(spec.captureUri, spec.captureWindow);
    if (job.origin === "schedule") {
      // A scheduled run's objects: noted on the schedule as the monitor notes an inline run.
      const { finishScheduledJoin } = await import("./scheduled-join.js");
      const out = await finishScheduledJoin(model, spec, labels, captures, { ...ctx, runAt: job.createdAt, jobId });
      if (out.outcome === "joined") await end("completed", { result: { model, version: spec.version, format: "model_monitor", join: out.join, batchId: out.batchId } });
      else await end("failed", { error: out.error ?? out.outcome, ...(out.join ? { join: out.join } : {}) });
      return;
    }
    const join = await joinObjects(labels, captures, spec.probabilityThreshold, spec);
    report = join.report as unknown as Record<string, unknown>;
    const result = await recordModelMonitorJoin(model, spec, join, ctx);
    await end("completed", { result: JSON.parse(JSON.stringify(result)) as Record<string, unknown> });
  } catch (err) {
    // Ours (nothing matched, an unreadable line) is the caller's to read; anything else is logged in full.
    if (!(err instanceof MlwatchError)) logger.error("ground-truth join job failed", { model, jobId, requestId: ctx.requestId, error: err as Error });
    await end("failed", { error: jobError(err, ctx.requestId), ...(report ? { join: report } : {}) });
  }
}

/**
 * `POST /models/{model}/ground-truth` with `format: "model_monitor"`: joins Model Monitor ground truth to
 * captured predictions and records the batch (`joined`) — or, when both inputs hold more than the size bound,
 * hands the join to the worker and answers the accepted job (`accepted`).
 */
export async function joinModelMonitorGroundTruth(model: string, body: GroundTruthBody, ctx: RequestContext): Promise<{ accepted: AcceptedJoin; joined?: undefined } | { accepted?: undefined; joined: Awaited<ReturnType<typeof recordModelMonitorJoin>> }> {
  const spec: ModelMonitorJoinSpec = {
    dataUri: body.dataUri as string,
    captureUri: body.captureUri as string,
    version: body.version as string,
    task: body.task,
    probabilityThreshold: body.probabilityThreshold,
    thresholds: body.thresholds as Partial<PerformanceThresholds> | undefined,
  };
  const labels = await listS3Objects(spec.dataUri);
  const captures = await listS3Objects(spec.captureUri);
  const inputs = joinInputs(labels, captures);
  if (exceedsInlineBound(inputs)) return { accepted: await startJoinJob(model, spec, inputs, ctx) };
  const join = await joinObjects(labels, captures, spec.probabilityThreshold, spec);
  return { joined: await recordModelMonitorJoin(model, spec, join, ctx) };
}
