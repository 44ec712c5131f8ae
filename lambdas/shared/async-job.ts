/**
 * Starting a long job without waiting for it. On Lambda the caller invokes a worker function asynchronously
 * (InvocationType `Event`), so an API answers in milliseconds whatever the data's size. Without a function
 * name (local server, tests) the same job runs in this process, not awaited; {@link settleAsyncJobs} waits
 * for those. The drift API's checks and baselines (drift/dispatch.ts) and the performance API's large
 * ground-truth joins (performance/join-job.ts) start the drift worker this way.
 */
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { clientDefaults } from "./aws/common.js";
import { serviceLogger } from "./logger.js";

let lambda: LambdaClient | undefined;
const inFlight = new Set<Promise<void>>();

/**
 * Starts a job: an asynchronous invocation of `functionName` with `payload`, or `runHere()` in this process
 * (not awaited) when no function is named.
 * @throws when the invocation is refused (the caller marks its item failed)
 */
export async function startAsyncJob(functionName: string | undefined, payload: unknown, runHere: () => Promise<void>): Promise<"lambda" | "in-process"> {
  if (functionName) {
    // Loaded on first use: an API's other routes do not need the client.
    const { InvokeCommand, LambdaClient: Client } = await import("@aws-sdk/client-lambda");
    lambda ??= new Client(clientDefaults());
    await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: "Event", Payload: Buffer.from(JSON.stringify(payload)) }));
    return "lambda";
  }
  const run = runHere()
    .catch((err: unknown) => serviceLogger("jobs").error("in-process job failed", { job: payload, error: err as Error }))
    .finally(() => inFlight.delete(run));
  inFlight.add(run);
  return "in-process";
}

/** Waits for every in-process job, including jobs the settled ones started (tests and graceful shutdown). */
export async function settleAsyncJobs(): Promise<void> {
  while (inFlight.size > 0) await Promise.all([...inFlight]);
}
