/**
 * Starting a worker job without waiting for it (shared/async-job.ts). On Lambda the API invokes the worker
 * function asynchronously (InvocationType `Event`; its name in `MLWATCH_DRIFT_WORKER`), so the API answers in
 * milliseconds whatever the data's size. Without that variable (local server, tests) the same job runs
 * in this process, not awaited.
 */
import { startAsyncJob, settleAsyncJobs } from "../shared/async-job.js";
import { EnvName } from "../shared/env.js";
import type { WorkerJob } from "./worker.js";

/**
 * Starts a job: an asynchronous invocation of the worker function, or in-process when none is configured.
 * @throws when the invocation is refused (the caller marks the item failed)
 */
export async function dispatchJob(job: WorkerJob): Promise<"lambda" | "in-process"> {
  return startAsyncJob(process.env[EnvName.driftQueueFunction], job, async () => {
    // Loaded on first use, like the client: the API's other routes need neither.
    const { runJob } = await import("./worker.js");
    await runJob(job);
  });
}

/** Waits for every in-process job (tests and graceful shutdown). */
export const settleJobs = settleAsyncJobs;
