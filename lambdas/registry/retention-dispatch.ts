/**
 * Retention's follow-up. A registration of a model whose policy sets `retention.keepLast` archives nothing
 * itself: it publishes `mlwatch Retention Pending` (one PutEvents, whatever the backlog) and answers
 * `retention: { keepLast, continuing: true }`. mlwatch's own rule (`retention-pending`,
 * lambdas/shared/event-rules.ts) brings the event back to the registry — deployed, an asynchronous
 * invocation of the registry function by EventBridge, with retries and the events dead-letter queue;
 * locally, the same rule in the emulator with an SQS relay queue that the local server polls
 * (lambdas/local/event-relay.ts) — and {@link runRetentionJob} archives the backlog in batches of
 * {@link archivesPerRegistration} (retention.ts), at most {@link archivesPerJob} versions or
 * {@link jobBudgetMs} per run, then publishes the event again while versions remain.
 *
 * Every archive is the same transaction, history entry and audit entry as before (retention.ts); concurrent
 * runs on one model are harmless: each archive is conditioned on the stage read, the loser skips it. The
 * event carries no authority: a run applies the model's stored policy, nothing the event says, so a forged
 * event can at most archive early what the next registration would have archived.
 */
import { MlwatchEventType } from "../shared/event-types.js";
import { publishEvent } from "../shared/events-bus.js";
import { serviceLogger } from "../shared/logger.js";
import type { Actor } from "../shared/actor.js";
import { applyRetention, archivesPerRegistration } from "./retention.js";
import { tableName } from "./store/table.js";

/** What a retention follow-up needs: the model, and who and which request asked (the archives' actor). */
export interface RetentionJob {
  readonly model: string;
  readonly keepLast: number;
  readonly caller: string;
  readonly requestId: string;
}

/** The EventBridge event the rule delivers (deployed: the Lambda event; locally: the relayed message). */
export interface RetentionPendingEvent {
  readonly source: string;
  readonly "detail-type": typeof MlwatchEventType.retentionPending;
  readonly detail: { readonly table: string } & RetentionJob;
}

/** Most versions one follow-up run archives before handing the rest to the next run. */
export const archivesPerJob = 200;

/** Time after which a run stops starting batches and hands the rest on (the function's timeout is 29 s). */
export const jobBudgetMs = 15_000;

const logger = serviceLogger("registry");

/** Whether a Lambda event is a retention follow-up (API Gateway events go to the routes). */
export function isRetentionPendingEvent(event: unknown): event is RetentionPendingEvent {
  const e = event as Partial<RetentionPendingEvent> | null;
  if (typeof e !== "object" || e === null || e["detail-type"] !== MlwatchEventType.retentionPending) return false;
  const d = e.detail as Partial<RetentionPendingEvent["detail"]> | undefined;
  return (
    typeof d === "object" &&
    d !== null &&
    typeof d.table === "string" &&
    typeof d.model === "string" &&
    typeof d.caller === "string" &&
    typeof d.requestId === "string" &&
    typeof d.keepLast === "number"
  );
}

/**
 * Asks for a follow-up: publishes `mlwatch Retention Pending` for this stack's table. Never throws: a
 * follow-up that cannot be asked for is logged and counted (events-bus.ts), and the next registration of
 * the model asks again.
 * @returns whether the event was published
 */
export async function dispatchRetention(job: RetentionJob): Promise<boolean> {
  const outcome = await publishEvent(MlwatchEventType.retentionPending, { table: tableName(), model: job.model, keepLast: job.keepLast, caller: job.caller, requestId: job.requestId });
  return outcome.sent;
}

/**
 * Archives a model's backlog in batches of {@link archivesPerRegistration}, at most {@link archivesPerJob}
 * versions or {@link jobBudgetMs}; asks for another run when versions remain after that.
 * @returns how many versions this run archived and how many remain
 */
export async function runRetentionJob(job: RetentionJob, now: () => number = Date.now): Promise<{ archived: number; remaining: number; continued: boolean }> {
  const actor: Actor = { caller: job.caller, requestId: job.requestId };
  const started = now();
  let archived = 0;
  let remaining = 0;
  for (;;) {
    const outcome = await applyRetention(job.model, actor);
    if (!outcome) return { archived, remaining: 0, continued: false };
    archived += outcome.archived.length;
    remaining = outcome.remaining;
    // Done, or nothing archivable this round (versions that changed concurrently are skipped): stop.
    if (remaining === 0 || outcome.archived.length === 0) return { archived, remaining, continued: false };
    if (archived + archivesPerRegistration > archivesPerJob || now() - started > jobBudgetMs) break;
  }
  const continued = await dispatchRetention(job);
  return { archived, remaining, continued };
}

/**
 * The rule's handler: runs the follow-up an event asks for, when it names this stack's table (the rule
 * matches only those; a second stack in the account ignores the rest).
 */
export async function handleRetentionPending(event: RetentionPendingEvent): Promise<{ archived: number; remaining: number; continued: boolean } | undefined> {
  // A malformed event is dropped, not retried: it would fail the same way every time.
  if (!isRetentionPendingEvent(event)) {
    logger.warn("malformed retention follow-up event ignored", { detailType: (event as { "detail-type"?: unknown } | null)?.["detail-type"] });
    return undefined;
  }
  const { table, ...job } = event.detail;
  if (table !== tableName()) {
    logger.warn("retention follow-up for another stack's table ignored", { table, model: job.model });
    return undefined;
  }
  const done = await runRetentionJob(job);
  logger.info("retention follow-up ran", { model: job.model, requestId: job.requestId, ...done });
  return done;
}
