/**
 * A transaction cancelled by its conditions is a 409 naming the conflict; one cancelled for any other reason
 * (a conflicting write, throttling, an item DynamoDB refused) is retried with bounded backoff when the
 * reason is transient and then answered 503 `SERVICE_UNAVAILABLE`, with nothing written — no state change,
 * no audit entry. The cancellation is injected into the SDK client as DynamoDB reports it (per-item
 * `CancellationReasons`), against the real emulator, on each service that uses transactions: registry,
 * alerts, drift.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { dynamoClient } from "../../../lambdas/shared/aws.js";
import { transactAttempts } from "../../../lambdas/shared/transact.js";
import { createTestStack, type TestStack } from "../stack.js";
import { injectCancellation, injectReplay, type InjectedFault } from "../faults.js";
import { snapshotData } from "../snapshot.js";
import { auditEntries } from "../observe.js";
import { register } from "../registry/helpers.js";

const transactWrite = /^TransactWrite/;

describe("transactions cancelled for reasons other than their conditions", () => {
  let stack: TestStack;
  let fault: InjectedFault | undefined;
  beforeAll(async () => {
    stack = await createTestStack("tx");
    expect((await register(stack, "txm", { version: "1.0.0", metrics: { auc: 0.8 } })).status).toBe(201);
  });
  afterEach(() => {
    fault?.remove();
    fault = undefined;
  });

  it("a refused item (ValidationError) is a 503 at once, nothing written, and the same request succeeds afterwards", async () => {
    // Prepare
    const before = await snapshotData(stack.names);
    fault = injectCancellation(dynamoClient(), transactWrite, ["None", "ValidationError"]);
    // Act
    const failed = await stack.call("POST", "/models/txm/versions/1.0.0/promote", { stage: "staging", reason: "try" });
    const afterFailure = await snapshotData(stack.names);
    const calls = fault.calls;
    fault.remove();
    const retried = await stack.call("POST", "/models/txm/versions/1.0.0/promote", { stage: "staging", reason: "try" });
    // Assess
    expect(failed.status, JSON.stringify(failed.body)).toBe(503);
    expect(failed.body.error.code).toBe("SERVICE_UNAVAILABLE");
    expect(failed.body.error.message).toContain("ValidationError");
    expect(calls).toBe(1);
    expect(afterFailure).toEqual(before);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect((await stack.call("GET", "/models/txm/versions/1.0.0")).body.stage).toBe("staging");
  });

  it("a transient conflict is retried and succeeds, audited exactly once", async () => {
    // Prepare
    expect((await register(stack, "txm", { version: "1.1.0", metrics: { auc: 0.8 } })).status).toBe(201);
    fault = injectCancellation(dynamoClient(), transactWrite, ["TransactionConflict", "None"], { times: 2 });
    // Act
    const res = await stack.call("POST", "/models/txm/versions/1.1.0/promote", { stage: "staging", reason: "after conflicts" });
    // Assess
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(fault.calls).toBe(2);
    const audit = (await auditEntries(stack.names.auditLogGroup, '"after conflicts"')).filter((e) => e.type !== "api.request");
    expect(audit).toHaveLength(1);
  });

  it("a conflict that outlasts the retries is a 503 after a bounded number of attempts, nothing written", async () => {
    // Prepare
    expect((await register(stack, "txm", { version: "1.2.0", metrics: { auc: 0.8 } })).status).toBe(201);
    const before = await snapshotData(stack.names);
    fault = injectCancellation(dynamoClient(), transactWrite, ["TransactionConflict", "ConditionalCheckFailed"]);
    const started = Date.now();
    // Act
    const res = await stack.call("POST", "/models/txm/versions/1.2.0/promote", { stage: "staging", reason: "never" });
    // Assess
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(res.body.error.message).toContain(`after ${transactAttempts} attempts`);
    expect(fault.calls).toBe(transactAttempts);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await snapshotData(stack.names)).toEqual(before);
  });

  it("a cancellation by conditions alone is still the 409 that names the conflict", async () => {
    // Prepare: a real condition failure (the version is unknown to the transaction's check)
    fault = injectCancellation(dynamoClient(), transactWrite, ["ConditionalCheckFailed", "None"], { times: 1 });
    // Act
    const res = await stack.call("POST", "/models/txm/versions/1.0.0/promote", { stage: "production", reason: "conflict" });
    // Assess: answered as a conflict, never a 5xx
    expect(fault.calls).toBe(1);
    expect(res.status, JSON.stringify(res.body)).toBe(409);
  });

  it("alerts: a resolve cancelled for a non-condition reason is a 503, the alert keeps its state, no audit entry; then it resolves", async () => {
    // Prepare
    const created = await stack.call("POST", "/alerts/test", {});
    const alertId = created.body.alertId as string;
    expect((await stack.call("POST", `/alerts/${alertId}/acknowledge`, { reason: "mine" }, { "x-mlwatch-actor": "alice" })).status).toBe(200);
    const before = await snapshotData(stack.names);
    fault = injectCancellation(dynamoClient(), transactWrite, ["None", "ValidationError", "None"]);
    // Act
    const failed = await stack.call("POST", `/alerts/${alertId}/resolve`, { reason: "fixed" }, { "x-mlwatch-actor": "bob" });
    const afterFailure = await snapshotData(stack.names);
    fault.remove();
    const resolved = await stack.call("POST", `/alerts/${alertId}/resolve`, { reason: "fixed" }, { "x-mlwatch-actor": "bob" });
    // Assess
    expect(failed.status, JSON.stringify(failed.body)).toBe(503);
    expect(afterFailure).toEqual(before);
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body).toMatchObject({ state: "resolved", acknowledged: { by: "alice", reason: "mine" }, resolved: { by: "bob", reason: "fixed" } });
    const audit = (await auditEntries(stack.names.auditLogGroup, '{ $.type = "alert.*" }')).filter((e) => e.target === `alerts/${alertId}`);
    expect(audit.map((e) => [e.type, e.actor]).sort()).toEqual([
      ["alert.acknowledged", "alice"],
      ["alert.resolved", "bob"],
    ]);
  });

  it("alerts: raising an alert whose transaction is refused is a 503 and leaves no alert behind", async () => {
    // Prepare
    const before = await snapshotData(stack.names);
    fault = injectCancellation(dynamoClient(), transactWrite, ["None", "ValidationError"]);
    // Act
    const res = await stack.call("POST", "/alerts/test", { note: "refused" });
    // Assess
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(await snapshotData(stack.names)).toEqual(before);
  });

  it("drift: activating a baseline cancelled for a non-condition reason is a 503 and keeps the active baseline", async () => {
    // Prepare
    const rows = Array.from({ length: 40 }, (_, i) => ({ age: i, plan: `p${i % 3}` }));
    const first = await stack.call("POST", "/models/txd/baselines", { records: rows });
    const second = await stack.call("POST", "/models/txd/baselines", { records: rows });
    expect(first.status).toBe(201);
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const before = await snapshotData(stack.names);
    fault = injectCancellation(dynamoClient(), transactWrite, ["None", "ThrottlingError"]);
    // Act
    const res = await stack.call("POST", `/models/txd/baselines/${first.body.baselineId}/activate`);
    // Assess
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(fault.calls).toBe(transactAttempts);
    expect(await snapshotData(stack.names)).toEqual(before);
    fault.remove();
    const again = await stack.call("POST", `/models/txd/baselines/${first.body.baselineId}/activate`);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
  });

  it("a conditional write whose answer was lost and retried is answered as done and audited once, not a 409", async () => {
    // Prepare: the acknowledge's UpdateItem lands, then is sent again and fails its own condition
    const created = await stack.call("POST", "/alerts/test", {});
    const alertId = created.body.alertId as string;
    fault = injectReplay(dynamoClient(), /^UpdateCommand$|^UpdateItemCommand$/, { times: 1 });
    // Act
    const ack = await stack.call("POST", `/alerts/${alertId}/acknowledge`, { reason: "replayed" }, { "x-mlwatch-actor": "carol" });
    fault.remove();
    const again = await stack.call("POST", `/alerts/${alertId}/acknowledge`, { reason: "second" }, { "x-mlwatch-actor": "dave" });
    // Assess
    expect(ack.status, JSON.stringify(ack.body)).toBe(200);
    expect(ack.body).toMatchObject({ state: "acknowledged", acknowledged: { by: "carol", reason: "replayed" } });
    expect(again.status).toBe(409);
    const audit = (await auditEntries(stack.names.auditLogGroup, '{ $.type = "alert.*" }')).filter((e) => e.target === `alerts/${alertId}`);
    expect(audit.map((e) => [e.type, e.actor, e.details.reason])).toEqual([["alert.acknowledged", "carol", "replayed"]]);
  });
});
