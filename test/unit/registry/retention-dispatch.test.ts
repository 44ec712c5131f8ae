import { afterEach, describe, expect, it } from "vitest";
import { dispatchRetention, isRetentionJob } from "../../../lambdas/registry/retention-dispatch.js";

const job = { mlwatchJob: "retention", model: "churn", caller: "alice", requestId: "r1" } as const;

afterEach(() => {
  delete process.env.AWS_LAMBDA_FUNCTION_NAME;
  delete process.env.MLWATCH_RETENTION_FUNCTION;
});

describe("retention follow-up", () => {
  it("recognises its own job and nothing else (API Gateway events go to the routes)", () => {
    expect(isRetentionJob(job)).toBe(true);
    expect(isRetentionJob({ ...job, model: 1 })).toBe(false);
    expect(isRetentionJob({ httpMethod: "POST", path: "/models/churn/versions", body: JSON.stringify(job) })).toBe(false);
    expect(isRetentionJob(null)).toBe(false);
  });

  it("on Lambda without a follow-up function starts nothing (work after the answer would be frozen): the registration says it is not continuing", async () => {
    process.env.AWS_LAMBDA_FUNCTION_NAME = "mlwatch-registry";
    expect(await dispatchRetention(job)).toBe("failed");
  });
});
