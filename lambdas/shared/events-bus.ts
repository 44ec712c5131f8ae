/**
 * Publishing mlwatch's own events to the default EventBridge bus (source `mlwatch`; detail-types and
 * schemas in event-schemas.ts). In local mode and tests the bus is the emulator's (`AWS_ENDPOINT_URL`).
 *
 * A publish never throws and is never dropped silently: the outcome (`{ sent: true, eventId }` or
 * `{ sent: false, error }`) is returned for the caller to store on its record and audit, a failure is
 * logged with the full event and counted in the `EventPublishFailures` metric (by ModelName and
 * DetailType). PutEvents answers 200 with `FailedEntryCount > 0` when it refuses an entry; that is a
 * failure too.
 */
import { resourceNames } from "./env.js";
import { serviceLogger } from "./logger.js";
import { Dimension, MetricName, publishMetrics } from "./metrics.js";
import { eventBusName, eventSource, type MlwatchEventType } from "./event-types.js";
import type { EventDetail } from "./event-schemas.js";
import { capEventDetail } from "./event-text.js";
import { loadEventBridge } from "./sdk/eventbridge.js";

const logger = serviceLogger("events-bus");

/** PutEvents refuses entries above 256 KB; details are kept far below (feature lists are capped). */
export const maxEventBytes = 256 * 1024;

/** What happened to one event. */
export interface EventOutcome {
  readonly type: MlwatchEventType;
  readonly sent: boolean;
  readonly eventId?: string;
  readonly error?: string;
  readonly at: string;
}

const cut = (s: string): string => s.slice(0, 1000);

async function countFailure(type: MlwatchEventType, model: string): Promise<void> {
  try {
    await publishMetrics(resourceNames().metricsNamespace, [
      { name: MetricName.eventPublishFailures, value: 1, unit: "Count", dimensions: { [Dimension.model]: model, [Dimension.detailType]: type } },
    ]);
  } catch (err) {
    logger.error("counting a failed event publish failed too", { model, detailType: type, error: err as Error });
  }
}

/**
 * Publishes one event; never throws.
 * @param type the detail-type
 * @param given the detail; its free text is capped (event-text.ts), then it is validated against its
 *   schema (a mismatch is recorded as a failure)
 * @param resources ARNs the event concerns (optional)
 */
export async function publishEvent<T extends MlwatchEventType>(type: T, given: EventDetail<T>, resources: string[] = []): Promise<EventOutcome> {
  // Free text (reasons, actors, feature and metric names) escaped and cut to 80 characters, as in alerts.
  const detail = capEventDetail(type, given);
  const { PutEventsCommand, eventBridgeClient } = await loadEventBridge();
  // The schemas (zod) load with the first event, like the client: functions that never publish skip both.
  const { eventDetailSchemas } = await import("./event-schemas.js");
  const at = new Date().toISOString();
  const model = String((detail as { model?: unknown }).model ?? "-");
  let error: string;
  try {
    const parsed = eventDetailSchemas[type].safeParse(detail);
    if (!parsed.success) throw new Error(`event detail does not match its schema: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    const body = JSON.stringify(parsed.data);
    if (Buffer.byteLength(body) > maxEventBytes - 2048) throw new Error(`event detail of ${Buffer.byteLength(body)} bytes exceeds EventBridge's 256 KB entry limit`);
    const out = await eventBridgeClient().send(
      new PutEventsCommand({ Entries: [{ Source: eventSource, DetailType: type, Detail: body, EventBusName: eventBusName, Resources: resources, Time: new Date(at) }] }),
    );
    const entry = out.Entries?.[0];
    if ((out.FailedEntryCount ?? 0) === 0 && entry?.EventId) return { type, sent: true, eventId: entry.EventId, at };
    error = `PutEvents refused the entry: ${entry?.ErrorCode ?? "no event id"}${entry?.ErrorMessage ? ` (${entry.ErrorMessage})` : ""}`;
  } catch (err) {
    error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
  logger.error("event not published", { detailType: type, model, error, detail });
  await countFailure(type, model);
  return { type, sent: false, error: cut(error), at };
}
