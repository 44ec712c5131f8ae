/**
 * The memory each function is deployed with by default, in MB: one table read by the CDK constructs
 * (lib/drift.ts, lib/drift-fanout.ts, lib/performance.ts) and by the cost of a check, so a check run in
 * local mode (one Node process, no Lambda) is priced at the memory the same work would have deployed —
 * an inline check at the drift API's memory, an S3 check at the worker's, a shard at the shard function's —
 * and local cost figures match the deployed ones.
 */
export const deployedMemoryMb = {
  /** The drift API: inline checks (records in the body). */
  driftApi: 1536,
  /** The drift worker: S3 baselines and checks, large ground-truth joins. */
  driftWorker: 3008,
  /** The drift monitor: scheduled checks and scheduled ground-truth joins. */
  driftMonitor: 3008,
  /** The fan-out's shard function. */
  driftShard: 3008,
  /** The fan-out's reduce function. */
  driftReduce: 3008,
  /** The performance API. */
  performance: 1536,
} as const;

/** A function a measured run may be in. */
export type FunctionRole = keyof typeof deployedMemoryMb;
