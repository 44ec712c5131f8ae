/**
 * A single conditional write (outside a transaction) that fails for a reason other than its condition is
 * never a 500: DynamoDB busy or failing (a 503 server fault, throttling) is retried with bounded backoff and
 * then answered 503 `SERVICE_UNAVAILABLE`; an item DynamoDB refuses as too large is a 413; a failed
 * condition stays the 409 the caller names. In every failed case nothing is written (no state change, no
 * audit entry) and the same request succeeds once DynamoDB does. Faults are injected into the SDK client
 * (test/integration/faults.ts) against the real emulator; the helper is lambdas/shared/conditional-write.ts.
 */
import { ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { dynamoClient } from "../../../lambdas/shared/aws.js";
import { writeAttempts } from "../../../lambdas/shared/conditional-write.js";
import { createTestStack, type TestStack } from "../stack.js";
import { injectFault, type InjectedFault } from "../faults.js";
import { snapshotData } from "../snapshot.js";
import { auditEntries } from "../observe.js";
import { register } from "../registry/helpers.js";

const updateItem = /^UpdateItem/;
const putItem = /^PutItem/;

describe("single conditional writes that fail for reasons other than their condition", () => {
  let stack: TestStack;
  let fault: InjectedFault | undefined;
  beforeAll(async () => {
    stack = await createTestStack("cw");
  });
  afterEach(() => {
    fault?.remove();
    fault = undefined;
  });

  async function testAlert(): Promise<string> {
    const t = await stack.call("POST", "/alerts/test", {}, { "x-mlwatch-actor": "carol" });
    expect(t.status, JSON.stringify(t.body)).toBe(202);
    return t.body.alertId as string;
  }

  it("DynamoDB unavailable on an acknowledge: 503 after bounded retries, nothing written, then 200 and a real 409", async () => {
    // Prepare
    const alertId = await testAlert();
    const before = await snapshotData(stack.names);
    fault = injectFault(dynamoClient(), updateItem);
    const started = Date.now();
    // Act
    const failed = await stack.call("POST", `/alerts/${alertId}/acknowledge`, { reason: "looking (unavailable)" });
    const elapsed = Date.now() - started;
    const calls = fault.calls;
    const afterFailure = await snapshotData(stack.names);
    fault.remove();
    const acked = await stack.call("POST", `/alerts/${alertId}/acknowledge`, { reason: "looking" });
    const again = await stack.call("POST", `/alerts/${alertId}/acknowledge`, { reason: "looking again" });
    // Assess
    expect(failed.status, JSON.stringify(failed.body)).toBe(503);
    expect(failed.body.error.code).toBe("SERVICE_UNAVAILABLE");
    expect(failed.body.error.message).toMatch(/after 4 attempts; nothing was written/);
    expect(calls).toBe(writeAttempts);
    expect(elapsed).toBeLessThan(5_000);
    expect(afterFailure).toEqual(before);
    expect(await auditEntries(stack.names.auditLogGroup, '"looking (unavailable)"')).toEqual([]);
    expect(acked.status, JSON.stringify(acked.body)).toBe(200);
    expect(acked.body.alert ?? acked.body).toMatchObject({ state: "acknowledged" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("CONFLICT");
  });

  it("throttling that clears within the retries: the acknowledge lands once, audited once", async () => {
    // Prepare
    const alertId = await testAlert();
    fault = injectFault(dynamoClient(), updateItem, {
      times: 2,
      error: () => new ProvisionedThroughputExceededException({ message: "Rate of requests exceeds the allowed throughput", $metadata: { httpStatusCode: 400 } }),
    });
    // Act
    const res = await stack.call("POST", `/alerts/${alertId}/acknowledge`, { reason: "after throttling" });
    // Assess
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(fault.calls).toBe(2);
    const got = await stack.call("GET", `/alerts/${alertId}`);
    expect(got.body.acknowledged).toMatchObject({ reason: "after throttling" });
    const audit = (await auditEntries(stack.names.auditLogGroup, '"after throttling"')).filter((e) => e.type !== "api.request");
    expect(audit).toHaveLength(1);
  });

  it("an item DynamoDB refuses as too large: 413, not retried, nothing written", async () => {
    // Prepare
    const alertId = await testAlert();
    const before = await snapshotData(stack.names);
    fault = injectFault(dynamoClient(), updateItem, {
      error: () => Object.assign(new Error("Item size has exceeded the maximum allowed size"), { name: "ValidationException", $fault: "client", $metadata: { httpStatusCode: 400 } }),
    });
    // Act
    const res = await stack.call("POST", `/alerts/${alertId}/acknowledge`, { reason: "too large" });
    // Assess
    expect(res.status, JSON.stringify(res.body)).toBe(413);
    expect(res.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(fault.calls).toBe(1);
    expect(await snapshotData(stack.names)).toEqual(before);
  });

  it("DynamoDB unavailable on an Idempotency-Key claim (a conditional put): 503 before anything runs, then the request succeeds once", async () => {
    // Prepare
    const before = await snapshotData(stack.names);
    fault = injectFault(dynamoClient(), putItem);
    // Act
    const failed = await stack.call("POST", "/alerts/test", {}, { "idempotency-key": "cw-claim-1", "x-mlwatch-actor": "dave" });
    const afterFailure = await snapshotData(stack.names);
    fault.remove();
    const first = await stack.call("POST", "/alerts/test", {}, { "idempotency-key": "cw-claim-1", "x-mlwatch-actor": "dave" });
    const replay = await stack.call("POST", "/alerts/test", {}, { "idempotency-key": "cw-claim-1", "x-mlwatch-actor": "dave" });
    // Assess
    expect(failed.status, JSON.stringify(failed.body)).toBe(503);
    expect(failed.body.error.code).toBe("SERVICE_UNAVAILABLE");
    expect(afterFailure).toEqual(before);
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(replay.status).toBe(202);
    expect(replay.body.alertId).toBe(first.body.alertId);
  });

  it("DynamoDB unavailable while joining ground truth: 503, the join already made is undone (no partial write), then both join once", async () => {
    // Prepare
    expect((await register(stack, "cwm", { version: "1.0.0", primaryMetric: "rmse", direction: "lower", metrics: { rmse: 1 } })).status).toBe(201);
    const logged = await stack.call("POST", "/models/cwm/versions/1.0.0/predictions", { task: "regression", records: [{ id: "p1", prediction: 10 }, { id: "p2", prediction: 20 }] });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    const before = await snapshotData(stack.names);
    // The first join lands; every attempt of the second fails (its retries included); the undo then lands.
    fault = injectFault(dynamoClient(), updateItem, { skip: 1, times: writeAttempts });
    // Act
    const failed = await stack.call("POST", "/models/cwm/ground-truth", { records: [{ id: "p1", actual: 11 }, { id: "p2", actual: 21 }] });
    const afterFailure = await snapshotData(stack.names);
    fault.remove();
    const joined = await stack.call("POST", "/models/cwm/ground-truth", { records: [{ id: "p1", actual: 11 }, { id: "p2", actual: 21 }] });
    // Assess
    expect(failed.status, JSON.stringify(failed.body)).toBe(503);
    expect(afterFailure).toEqual(before);
    expect(fault.calls).toBe(writeAttempts);
    expect(joined.status, JSON.stringify(joined.body)).toBeLessThan(300);
    expect(joined.body).toMatchObject({ joined: 2 });
  });
});
