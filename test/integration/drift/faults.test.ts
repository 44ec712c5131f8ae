/**
 * A drift check whose finishing steps fail after its report and row are stored (CloudWatch or DynamoDB made
 * to fail, injected into the SDK clients against the real emulator): the check stays completed, and the step
 * that did not complete is recorded the one way every check and batch records it (lambdas/shared/finishing.ts):
 * an `incomplete` entry, on the row when the row can still be written, and in the answer.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { cloudWatchClient, dynamoClient } from "../../../lambdas/shared/aws.js";
import { writeAttempts } from "../../../lambdas/shared/conditional-write.js";
import { injectFault, type InjectedFault } from "../faults.js";
import { createTestStack, type TestStack } from "../stack.js";

describe("drift checks whose finishing steps fail", () => {
  let stack: TestStack;
  let fault: InjectedFault | undefined;
  beforeAll(async () => {
    stack = await createTestStack("drift-faults");
  });
  afterEach(() => {
    fault?.remove();
    fault = undefined;
  });

  const records = Array.from({ length: 30 }, (_, i) => ({ x: i, c: `k${i % 3}` }));
  const row = async (model: string, checkId: string) => (await stack.call("GET", `/models/${model}/drift-checks/${checkId}`)).body;

  it("completes a check whose metrics CloudWatch refuses, with the metrics step incomplete on its row and in the answer", async () => {
    // Prepare
    expect((await stack.call("POST", "/models/cw-down/baselines", { records })).status).toBe(201);
    fault = injectFault(cloudWatchClient(), /^PutMetricDataCommand$/);
    // Act
    const res = await stack.call("POST", "/models/cw-down/drift-checks", { records });
    const stored = await row("cw-down", res.body.checkId);
    // Assess
    expect(fault.calls).toBeGreaterThan(0);
    expect(res.status).toBe(201);
    expect(res.body.status).toBe("completed");
    expect(res.body.incomplete).toEqual([{ step: "metrics", error: expect.stringContaining("PutMetricDataCommand unavailable") }]);
    expect(stored).toMatchObject({ status: "completed", incomplete: res.body.incomplete, metricsError: res.body.incomplete[0].error });
    expect(stored.metricsPublished).toBeUndefined();
  });

  it("records no incomplete step when every step completes", async () => {
    // Prepare
    expect((await stack.call("POST", "/models/all-up/baselines", { records })).status).toBe(201);
    // Act
    const res = await stack.call("POST", "/models/all-up/drift-checks", { records });
    const stored = await row("all-up", res.body.checkId);
    // Assess
    expect(res.status).toBe(201);
    expect(res.body.incomplete).toBeUndefined();
    expect(stored.incomplete).toBeUndefined();
    expect(stored.metricsPublished).toBeGreaterThan(0);
  });

  it("keeps a check completed when its outcome cannot be stored, and says so in the answer", async () => {
    // Prepare: the row is put; the outcome is the check's only update, failing on every attempt
    expect((await stack.call("POST", "/models/outcome-down/baselines", { records })).status).toBe(201);
    fault = injectFault(dynamoClient(), /^UpdateItemCommand$|^UpdateCommand$/, { times: writeAttempts });
    // Act
    const res = await stack.call("POST", "/models/outcome-down/drift-checks", { records });
    fault.remove();
    const stored = await row("outcome-down", res.body.checkId);
    // Assess
    expect(fault.calls).toBe(writeAttempts);
    expect(res.status).toBe(201);
    expect(res.body.incomplete).toEqual([{ step: "outcome", error: expect.stringMatching(/ServiceUnavailable|unavailable/) }]);
    expect(res.body.metricsPublished).toBeGreaterThan(0);
    expect(stored.status).toBe("completed");
    expect(stored.reportUri).toBe(res.body.reportUri);
    expect(stored.metricsPublished).toBeUndefined();
  });
});
