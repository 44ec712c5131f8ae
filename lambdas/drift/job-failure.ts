/**
 * What happens when the drift worker dies without recording its job's outcome — a timeout, running out of
 * memory, a crash outside the job's own error handling — and Lambda's asynchronous retries are exhausted
 * (or the event waited in the queue past its maximum age, e.g. while every reserved worker was busy).
 * Lambda then sends an invocation record to the worker's on-failure destination, this module's handler,
 * which marks the check, baseline or ground-truth join job `failed` with a readable error, so no job stays `pending` for ever.
 * (The same event also lands in the encrypted dead-letter queue, whose depth alarms to the alert topic.)
 */
import { timeSortableIdPattern } from "../shared/time-id.js";
import { serviceLogger } from "../shared/logger.js";
import { failOpenBaseline } from "./store/baselines.js";
import { failOpenCheck } from "./store/checks.js";
import type { WorkerJob } from "./worker.js";

const logger = serviceLogger("drift-failures");

/** The invocation record Lambda sends to an on-failure destination (the fields used here). */
export interface FailedInvocationRecord {
  readonly requestContext?: { readonly condition?: string; readonly approximateInvokeCount?: number; readonly requestId?: string };
  readonly requestPayload?: unknown;
  readonly responsePayload?: { readonly errorType?: unknown; readonly errorMessage?: unknown } | null;
}

const idPattern = timeSortableIdPattern;

/** The job an invocation record carried, when it is one of ours. */
function jobOf(payload: unknown): WorkerJob | undefined {
  const job = payload as { kind?: unknown; model?: unknown; checkId?: unknown; baselineId?: unknown; jobId?: unknown } | undefined;
  if (!job || typeof job.model !== "string") return undefined;
  if (job.kind === "check" && typeof job.checkId === "string" && idPattern.test(job.checkId)) return job as WorkerJob;
  if (job.kind === "baseline" && typeof job.baselineId === "string" && idPattern.test(job.baselineId)) return job as WorkerJob;
  if (job.kind === "ground_truth_join" && typeof job.jobId === "string" && idPattern.test(job.jobId)) return job as WorkerJob;
  return undefined;
}

/** The error a caller reads on the failed item: what happened, in words, without internals. */
export function deadWorkerMessage(record: FailedInvocationRecord): string {
  const attempts = record.requestContext?.approximateInvokeCount;
  if (record.requestContext?.condition === "EventAgeExceeded") {
    return "the drift worker did not start in time (every worker was busy for longer than the job may wait); retry the request";
  }
  const type = typeof record.responsePayload?.errorType === "string" ? record.responsePayload.errorType : "";
  const text = typeof record.responsePayload?.errorMessage === "string" ? record.responsePayload.errorMessage : "";
  const cause = /timed out/i.test(text) || /timeout/i.test(type)
    ? "it ran out of time (15 minutes)"
    : /memory|heap/i.test(`${type} ${text}`)
      ? "it ran out of memory"
      : "it stopped unexpectedly";
  return `the drift worker failed${attempts ? ` after ${attempts} attempts` : ""}: ${cause}; split or sample the data, or see the worker's log`;
}

/** Marks a job's item failed when it is still open. @returns false when it had already ended */
async function failOpenJob(job: WorkerJob, error: string): Promise<boolean> {
  if (job.kind === "check") return failOpenCheck(job.model, job.checkId, error);
  if (job.kind === "baseline") return failOpenBaseline(job.model, job.baselineId, error);
  // The performance service's join job, loaded on first use: the handler's start-up does not carry it.
  const { failGroundTruthJoinJob } = await import("../performance/index.js");
  return failGroundTruthJoinJob(job.model, job.jobId, error);
}

/** Marks the job of a failed invocation failed. @returns what was done, for the log and tests */
export async function handleFailedInvocation(record: FailedInvocationRecord): Promise<"marked" | "already-finished" | "not-a-job"> {
  const job = jobOf(record.requestPayload);
  if (!job) {
    logger.error("failed drift worker invocation without a job", { record: JSON.stringify(record).slice(0, 2000) });
    return "not-a-job";
  }
  const id = job.kind === "check" ? job.checkId : job.kind === "baseline" ? job.baselineId : job.jobId;
  const error = deadWorkerMessage(record);
  const marked = await failOpenJob(job, error);
  logger.error("drift worker invocation failed", { model: job.model, kind: job.kind, id, marked, condition: record.requestContext?.condition });
  return marked ? "marked" : "already-finished";
}
