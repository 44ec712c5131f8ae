import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { injectFault, type InjectedFault } from "../faults.js";
import { dynamoClient, logsClient } from "../../../lambdas/shared/aws.js";
import { snapshotData } from "../snapshot.js";
import { promote, putObject, register } from "./helpers.js";

/**
 * The registry with DynamoDB or CloudWatch Logs failing mid-operation (injected into the SDK clients,
 * against the real emulator): a failed change leaves nothing behind and says so; a retry with the same
 * `Idempotency-Key` registers exactly once.
 */
describe("registry under injected AWS faults", () => {
  let stack: TestStack;
  let fault: InjectedFault | undefined;
  beforeAll(async () => {
    stack = await createTestStack("reg-faults");
  });
  afterEach(() => {
    fault?.remove();
    fault = undefined;
  });

  it("leaves no version and no trace when the registration's write fails, and a keyed retry registers once", async () => {
    // Prepare
    expect((await register(stack, "fragile", { version: "1.0.0" })).status).toBe(201);
    const artifact = await putObject(stack, "external/fragile-2.bin", "weights v2");
    const before = await snapshotData(stack.names);
    fault = injectFault(dynamoClient(), /^TransactWrite/); // failing until removed: every retry fails too
    const body = { version: "1.1.0", artifactUri: artifact.uri };
    const headers = { "idempotency-key": "train-fragile-2" };
    // Act
    const failed = await stack.call("POST", "/models/fragile/versions", body, headers);
    const afterFailure = await snapshotData(stack.names);
    fault.remove();
    const retried = await stack.call("POST", "/models/fragile/versions", body, headers);
    const again = await stack.call("POST", "/models/fragile/versions", body, headers);
    // Assess: the failure is a 503 (DynamoDB failing is worth sending again), and the data is exactly as before it
    expect(fault.calls).toBeGreaterThanOrEqual(1);
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe("SERVICE_UNAVAILABLE");
    expect(afterFailure).toEqual(before);
    expect(retried.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const versions = await stack.call("GET", "/models/fragile/versions");
    expect(versions.body.items.map((v: any) => v.version)).toEqual(["1.1.0", "1.0.0"]);
  });

  it("keeps the production version when a promotion's write fails", async () => {
    // Prepare
    await register(stack, "steady", { version: "1.0.0", metrics: { auc: 0.8 }, stage: "staging" });
    await promote(stack, "steady", "1.0.0", "production");
    await register(stack, "steady", { version: "1.1.0", metrics: { auc: 0.9 }, stage: "staging" });
    const before = await snapshotData(stack.names);
    fault = injectFault(dynamoClient(), /^TransactWrite/); // failing until removed
    // Act
    const failed = await stack.call("POST", "/models/steady/versions/1.1.0/promote", { stage: "production", reason: "better" });
    const afterFailure = await snapshotData(stack.names);
    // Assess
    expect(failed.status).toBe(503);
    expect(afterFailure).toEqual(before);
    expect((await stack.call("GET", "/models/steady")).body.productionVersion).toBe("1.0.0");
    expect((await stack.call("GET", "/models/steady/versions/1.1.0")).body.stage).toBe("staging");
  });

  it("keeps a registration whose audit write fails (the entry goes to the error log instead)", async () => {
    // Prepare
    fault = injectFault(logsClient(), /^PutLogEvents/);
    // Act
    const res = await register(stack, "unaudited", { version: "1.0.0" });
    // Assess
    expect(fault.calls).toBeGreaterThan(0);
    expect(res.status).toBe(201);
    expect((await stack.call("GET", "/models/unaudited/versions/1.0.0")).status).toBe(200);
  });
});
