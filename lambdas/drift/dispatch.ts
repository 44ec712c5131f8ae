/**
 * Starting a worker job without waiting for it. On Lambda the API invokes the worker function
 * asynchronously (InvocationType `Event`; its name in `MLWATCH_DRIFT_WORKER`), so the API answers in
 * milliseconds whatever the data's size. Without that variable (local server, tests) the same job runs
 * in this process, not awaited.
 */
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { EnvName } from "../shared/env.js";
import { serviceLogger } from "../shared/logger.js";
import type { WorkerJob } from "./worker.js";

let lambda: LambdaClient | undefined;
const inFlight = new Set<Promise<void>>();

/**
 * Starts a job: an asynchronous invocation of the worker function, or in-process when none is configured.
 * @throws when the invocation is refused (the caller marks the item failed)
 */
export async function dispatchJob(job: WorkerJob): Promise<"lambda" | "in-process"> {
  const worker = process.env[EnvName.driftQueueFunction];
  if (worker) {
    // Loaded on first use, like the worker below: the API's other routes need neither.
    const { InvokeCommand, LambdaClient: Client } = await import("@aws-sdk/client-lambda");
    lambda ??= new Client({ maxAttempts: 3 });
    await lambda.send(new InvokeCommand({ FunctionName: worker, InvocationType: "Event", Payload: Buffer.from(JSON.stringify(job)) }));
    return "lambda";
  }
  const { runJob } = await import("./worker.js");
  const run = runJob(job)
    .catch((err: unknown) => serviceLogger("drift").error("in-process drift job failed", { job, error: err as Error }))
    .finally(() => inFlight.delete(run));
  inFlight.add(run);
  return "in-process";
}

/** Waits for every in-process job (tests and graceful shutdown). */
export async function settleJobs(): Promise<void> {
  while (inFlight.size > 0) await Promise.all([...inFlight]);
}
