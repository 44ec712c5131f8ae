/**
 * The performance service's front door: what other services may ask of it. The registry reads a version's
 * recent batch summaries here for the live fallback of its promotion gates; the drift monitor's pass runs the
 * scheduled ground-truth joins here, and the drift worker the large ones (both loaded on first use, so neither
 * function's start-up loads them).
 */
import type { ScheduledJoinOutcome } from "./scheduled-join.js";

export { queryBatches, type StoredBatch } from "./store/batches.js";
export type { ScheduledJoinOutcome } from "./scheduled-join.js";

/** Runs a ground-truth join job (the drift worker's `ground_truth_join` job; join-job.ts). Records its own failure. */
export async function runGroundTruthJoinJob(model: string, jobId: string): Promise<void> {
  const { runGroundTruthJoinJob: run } = await import("./join-job.js");
  return run(model, jobId);
}

/** Marks a join job whose worker died failed (the worker's failure handler). @returns false when it had already ended */
export async function failGroundTruthJoinJob(model: string, jobId: string, error: string): Promise<boolean> {
  const { advanceJoinJob } = await import("./store/join-jobs.js");
  return advanceJoinJob(model, jobId, ["pending", "running"], "failed", { completedAt: new Date().toISOString(), error });
}

/** Runs every enabled ground-truth schedule once (the monitor pass; ground-truth-schedule.ts). */
export async function runGroundTruthSchedules(now: Date = new Date()): Promise<ScheduledJoinOutcome[]> {
  const { runGroundTruthSchedules: run } = await import("./ground-truth-schedule.js");
  return run(now);
}
