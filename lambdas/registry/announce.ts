/**
 * Lifecycle changes as events on the default bus: `mlwatch Model Promoted` after a promotion and
 * `mlwatch Model Rolled Back` after a rollback. The change is already committed; the outcome (sent, or
 * the error that stopped it) is stored on the version record as `event` and returned for the answer and
 * the audit entry. Never throws.
 */
import { MlwatchEventType } from "../shared/event-types.js";
import { publishEvent, type EventOutcome } from "../shared/events-bus.js";
import { serviceLogger } from "../shared/logger.js";
import { putEventOutcome } from "./store/versions.js";

const logger = serviceLogger("registry");

async function storeOutcome(model: string, version: string, event: EventOutcome): Promise<void> {
  try {
    // A failed condition: the version was deleted meanwhile, nothing to record the outcome on.
    await putEventOutcome(model, version, event);
  } catch (err) {
    logger.error("storing a lifecycle event's outcome failed", { model, version, event, error: err as Error });
  }
}

/** Publishes `mlwatch Model Promoted` (stages `from` → `to`) and stores the outcome on the version. */
export async function announcePromotion(change: { model: string; version: string; from: string; to: string; actor: string; reason: string }): Promise<EventOutcome> {
  const event = await publishEvent(MlwatchEventType.modelPromoted, change);
  await storeOutcome(change.model, change.version, event);
  return event;
}

/** Publishes `mlwatch Model Rolled Back` (version `from` → version `to`) and stores the outcome on the restored version. */
export async function announceRollback(change: { model: string; from: string; to: string; actor: string; reason: string }): Promise<EventOutcome> {
  const event = await publishEvent(MlwatchEventType.modelRolledBack, { ...change, version: change.to });
  await storeOutcome(change.model, change.to, event);
  return event;
}
