/**
 * The drift worker's on-failure handler against the emulator: the invocation record Lambda sends once the
 * worker's asynchronous retries are exhausted (or the event expired waiting for a worker) marks the open
 * check or baseline failed with a readable error; a finished job is left as it was.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { handleFailedInvocation } from "../../../lambdas/drift/job-failure.js";
import { newId } from "../../../lambdas/drift/store/items.js";
import { putBaseline } from "../../../lambdas/drift/store/baselines.js";
import { getCheck, putCheck } from "../../../lambdas/drift/store/checks.js";
import { createTestStack, type TestStack } from "../stack.js";

describe("drift worker failures", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("worker-failures");
  });

  const record = (requestPayload: unknown, condition = "RetriesExhausted", errorMessage = "2026-01-01T00:00:00.000Z abc Task timed out after 900.00 seconds") => ({
    requestContext: { condition, approximateInvokeCount: 2, requestId: "r-1" },
    requestPayload,
    responsePayload: { errorType: "Sandbox.Timedout", errorMessage },
  });

  it("marks a pending check failed with a readable error once the retries are exhausted", async () => {
    // Prepare
    const checkId = newId(new Date());
    await putCheck({ model: "dead", checkId, status: "pending", source: "s3", baselineId: newId(new Date()), createdAt: new Date().toISOString(), createdBy: "local", dataUri: "s3://b/k.csv" } as any);
    // Act
    const outcome = await handleFailedInvocation(record({ kind: "check", model: "dead", checkId }));
    // Assess
    expect(outcome).toBe("marked");
    const read = await stack.call("GET", `/models/dead/drift-checks/${checkId}`);
    expect(read.body.status).toBe("failed");
    expect(read.body.error).toBe("the drift worker failed after 2 attempts: it ran out of time (15 minutes); split or sample the data, or see the worker's log");
  });

  it("marks a building baseline failed when its event waited too long for a worker", async () => {
    const baselineId = newId(new Date());
    await putBaseline({ model: "dead", baselineId, status: "building", createdAt: new Date().toISOString(), createdBy: "local", source: { kind: "s3", dataUri: "s3://b/k.csv" }, options: {} } as any);
    expect(await handleFailedInvocation(record({ kind: "baseline", model: "dead", baselineId }, "EventAgeExceeded"))).toBe("marked");
    const read = await stack.call("GET", `/models/dead/baselines/${baselineId}`);
    expect(read.body.status).toBe("failed");
    expect(read.body.error).toMatch(/did not start in time/);
  });

  it("leaves a completed check as it is and ignores a record that is not a job", async () => {
    const checkId = newId(new Date());
    await putCheck({ model: "done", checkId, status: "completed", source: "s3", baselineId: newId(new Date()), createdAt: new Date().toISOString(), createdBy: "local" } as any);
    expect(await handleFailedInvocation(record({ kind: "check", model: "done", checkId }))).toBe("already-finished");
    expect((await getCheck("done", checkId))?.status).toBe("completed");
    expect(await handleFailedInvocation(record({ kind: "check", model: "done", checkId: "../x" }))).toBe("not-a-job");
    expect(await handleFailedInvocation({})).toBe("not-a-job");
  });
});
