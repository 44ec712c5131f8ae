/**
 * Retention's follow-up: what a registration could not archive within its bound
 * ({@link archivesPerRegistration}) is archived after it answers, in bounded batches, until nothing is left.
 *
 * Without Lambda (the local server, tests, benchmarks) the job runs in this process, not awaited, so the
 * registration's latency does not grow with the backlog. On Lambda, work after the answer is not reliable
 * (the environment is frozen), so the job is an asynchronous invocation (InvocationType `Event`, the
 * payload a {@link RetentionJob}, which the registry handler recognises) of the function named in
 * `MLWATCH_RETENTION_FUNCTION`; one invocation archives at most {@link archivesPerJob} versions, then
 * invokes again while versions remain. The stack does not set that variable yet (the function's role holds
 * its grants inline, so it cannot name its own function without a dependency cycle): on Lambda without it
 * there is no follow-up (`continuing` is false) and the next registrations continue the backlog, 5 each. Every archive is the same
 * transaction, history entry and audit entry as on the registration (retention.ts); concurrent runs on one
 * model are harmless: each archive is conditioned on the stage read, the loser skips it.
 */
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { serviceLogger } from "../shared/logger.js";
import type { Actor } from "../shared/actor.js";
import { applyRetention, archivesPerRegistration } from "./retention.js";

/** The payload of a retention follow-up invocation. */
export interface RetentionJob {
  readonly mlwatchJob: "retention";
  readonly model: string;
  readonly caller: string;
  readonly requestId: string;
}

/** Most versions one follow-up run archives before handing the rest to the next run. */
export const archivesPerJob = 200;

const logger = serviceLogger("registry");
let lambda: LambdaClient | undefined;
const inFlight = new Set<Promise<void>>();

/** Whether a Lambda event is a retention follow-up. */
export function isRetentionJob(event: unknown): event is RetentionJob {
  const e = event as Partial<RetentionJob> | null;
  return typeof e === "object" && e !== null && e.mlwatchJob === "retention" && typeof e.model === "string" && typeof e.caller === "string" && typeof e.requestId === "string";
}

/**
 * Archives a model's backlog in batches of {@link archivesPerRegistration}, at most {@link archivesPerJob}
 * versions; dispatches another run when versions remain after that.
 * @returns how many versions this run archived and how many remain
 */
export async function runRetentionJob(job: RetentionJob): Promise<{ archived: number; remaining: number }> {
  const actor: Actor = { caller: job.caller, requestId: job.requestId };
  let archived = 0;
  let remaining = 0;
  for (;;) {
    const outcome = await applyRetention(job.model, actor);
    if (!outcome) return { archived, remaining: 0 };
    archived += outcome.archived.length;
    remaining = outcome.remaining;
    // Done, or nothing archivable this round (versions that changed concurrently are skipped): stop.
    if (remaining === 0 || outcome.archived.length === 0) return { archived, remaining };
    if (archived + archivesPerRegistration > archivesPerJob) break;
  }
  await dispatchRetention(job);
  return { archived, remaining };
}

/**
 * Starts a follow-up run: an asynchronous invocation of this function on Lambda, in-process elsewhere.
 * Never throws: a follow-up that cannot start is logged; the next registration continues the backlog.
 */
export async function dispatchRetention(job: RetentionJob): Promise<"lambda" | "in-process" | "failed"> {
  const self = process.env.MLWATCH_RETENTION_FUNCTION;
  if (!self && process.env.AWS_LAMBDA_FUNCTION_NAME) return "failed";
  try {
    if (self) {
      const { InvokeCommand, LambdaClient: Client } = await import("@aws-sdk/client-lambda");
      lambda ??= new Client({ maxAttempts: 3 });
      await lambda.send(new InvokeCommand({ FunctionName: self, InvocationType: "Event", Payload: Buffer.from(JSON.stringify(job)) }));
      return "lambda";
    }
  } catch (err) {
    logger.error("could not start the retention follow-up", { model: job.model, requestId: job.requestId, error: err as Error });
    return "failed";
  }
  const run = runRetentionJob(job)
    .then(() => undefined)
    .catch((err: unknown) => logger.error("retention follow-up failed", { model: job.model, requestId: job.requestId, error: err as Error }))
    .finally(() => inFlight.delete(run));
  inFlight.add(run);
  return "in-process";
}

/** Waits for every in-process follow-up (tests, benchmarks and graceful shutdown). */
export async function settleRetention(): Promise<void> {
  while (inFlight.size > 0) await Promise.all([...inFlight]);
}
