/**
 * Retention's follow-up event: what the registry handler recognises (only `mlwatch Retention Pending` with a
 * well-formed detail; API Gateway events go to the routes), what the registration publishes (the stack's
 * table, the model, keepLast, the caller and request id: the entry PutEvents receives, captured on the
 * client), and that an event naming another stack's table or a malformed one archives nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventBridgeClient, resetClients } from "../../../lambdas/shared/aws.js";
import { dispatchRetention, handleRetentionPending, isRetentionPendingEvent } from "../../../lambdas/registry/retention-dispatch.js";

const detail = { table: "stack-a-table", model: "churn", keepLast: 2, caller: "alice", requestId: "r1" };
const event = { version: "0", source: "mlwatch", "detail-type": "mlwatch Retention Pending", detail } as const;

beforeEach(() => {
  process.env.AWS_REGION ??= "us-east-1";
  Object.assign(process.env, { MLWATCH_TABLE: "stack-a-table", MLWATCH_BUCKET: "b", MLWATCH_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:t", MLWATCH_AUDIT_LOG_GROUP: "/a" });
  process.env.MLWATCH_METRICS_NAMESPACE ??= "mlwatch-test";
});
afterEach(() => {
  for (const k of ["MLWATCH_TABLE", "MLWATCH_BUCKET", "MLWATCH_TOPIC_ARN", "MLWATCH_AUDIT_LOG_GROUP"]) delete process.env[k];
  resetClients();
});

describe("retention follow-up event", () => {
  it("recognises its own event and nothing else (API Gateway events go to the routes)", () => {
    expect(isRetentionPendingEvent(event)).toBe(true);
    expect(isRetentionPendingEvent({ ...event, detail: { ...detail, model: 1 } })).toBe(false);
    expect(isRetentionPendingEvent({ ...event, detail: { ...detail, keepLast: "2" } })).toBe(false);
    expect(isRetentionPendingEvent({ ...event, "detail-type": "mlwatch Model Promoted" })).toBe(false);
    expect(isRetentionPendingEvent({ httpMethod: "POST", path: "/models/churn/versions", body: JSON.stringify(event) })).toBe(false);
    expect(isRetentionPendingEvent(null)).toBe(false);
  });

  it("publishes the stack's table, the model, keepLast, the caller and the request id on the default bus, source mlwatch", async () => {
    // Prepare: capture the entry instead of calling EventBridge
    let entry: any;
    eventBridgeClient().middlewareStack.add(
      () => async (args: any) => {
        entry = args.input.Entries[0];
        return { output: { $metadata: { httpStatusCode: 200 }, FailedEntryCount: 0, Entries: [{ EventId: "e1" }] }, response: {} };
      },
      { step: "initialize", name: "captureEntry", priority: "high" },
    );
    // Act
    const sent = await dispatchRetention({ model: "churn", keepLast: 2, caller: "alice", requestId: "r1" });
    // Assess
    expect(sent).toBe(true);
    expect(entry).toMatchObject({ Source: "mlwatch", DetailType: "mlwatch Retention Pending", EventBusName: "default" });
    expect(JSON.parse(entry.Detail)).toEqual(detail);
  });

  it("ignores an event for another stack's table and a malformed one (nothing read, nothing retried)", async () => {
    expect(await handleRetentionPending({ ...event, detail: { ...detail, table: "stack-b-table" } })).toBeUndefined();
    expect(await handleRetentionPending({ ...event, detail: { ...detail, model: 7 } } as never)).toBeUndefined();
  });
});
