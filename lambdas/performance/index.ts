/**
 * The performance service's front door: what other services may ask of it. The registry reads a version's
 * recent batch summaries here for the live fallback of its promotion gates; the drift monitor's pass runs the
 * scheduled ground-truth joins here (loaded on first use, so the monitor's start-up does not load them).
 */
import type { ScheduledJoinOutcome } from "./ground-truth-schedule.js";

export { queryBatches, type StoredBatch } from "./store/batches.js";
export type { ScheduledJoinOutcome } from "./ground-truth-schedule.js";

/** Runs every enabled ground-truth schedule once (the monitor pass; ground-truth-schedule.ts). */
export async function runGroundTruthSchedules(now: Date = new Date()): Promise<ScheduledJoinOutcome[]> {
  const { runGroundTruthSchedules: run } = await import("./ground-truth-schedule.js");
  return run(now);
}
