/**
 * No orphan object after a refused or failed write in the drift service: a baseline or check whose record
 * cannot be stored (DynamoDB failing on every attempt, injected into the SDK client against the real
 * emulator) answers 503 and leaves no profile or report in S3; one transient failure is retried and the
 * write succeeds; and an S3 baseline that fails ends `failed` with a readable error, not the
 * SDK's internal message.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { dynamoClient, s3Client } from "../../../lambdas/shared/aws.js";
import { settleJobs } from "../../../lambdas/drift/dispatch.js";
import { injectFault, type InjectedFault } from "../faults.js";
import { writeAttempts } from "../../../lambdas/shared/conditional-write.js";
import { createTestStack, type TestStack } from "../stack.js";
import { putObject } from "../registry/helpers.js";
import { BucketPrefix } from "../../../lambdas/shared/buckets.js";

describe("drift writes that fail leave no object behind", () => {
  let stack: TestStack;
  let fault: InjectedFault | undefined;
  beforeAll(async () => {
    stack = await createTestStack("drift-orphans");
  });
  afterEach(() => {
    fault?.remove();
    fault = undefined;
  });

  const objects = async (prefix: string): Promise<string[]> => {
    const out = await s3Client().send(new ListObjectsV2Command({ Bucket: stack.names.bucket, Prefix: prefix }));
    return (out.Contents ?? []).map((o) => o.Key as string);
  };
  const records = Array.from({ length: 30 }, (_, i) => ({ x: i, c: `k${i % 3}` }));

  it("an inline baseline whose record cannot be written answers 503 and leaves no profile", async () => {
    // Prepare: every attempt fails
    fault = injectFault(dynamoClient(), /^PutItemCommand$|^PutCommand$/, { times: writeAttempts });
    // Act
    const res = await stack.call("POST", "/models/inline-down/baselines", { records });
    // Assess
    expect(fault.calls).toBe(writeAttempts);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("SERVICE_UNAVAILABLE");
    expect(await objects(`${BucketPrefix.baselines}inline-down/`)).toEqual([]);
    expect((await stack.call("GET", "/models/inline-down/baselines")).body.items).toEqual([]);
  });

  it("an inline baseline whose record write fails once is retried and stored", async () => {
    // Prepare: one transient failure
    fault = injectFault(dynamoClient(), /^PutItemCommand$|^PutCommand$/, { times: 1 });
    // Act
    const res = await stack.call("POST", "/models/inline-blip/baselines", { records });
    // Assess
    expect(fault.calls).toBe(1);
    expect(res.status).toBe(201);
    expect((await stack.call("GET", "/models/inline-blip/baselines")).body.items).toHaveLength(1);
  });

  it("an S3 baseline whose ready mark cannot be written ends failed, readable, with no profile", async () => {
    // Prepare
    const data = await putObject(stack, "external/orphan.csv", `x,c\n${records.map((r) => `${r.x},${r.c}`).join("\n")}\n`);
    const created = await stack.call("POST", "/models/s3-down/baselines", { dataUri: data.uri });
    expect(created.status).toBe(202);
    // Act: the job runs in-process after the answer; every attempt of its ready mark fails, the failure mark passes.
    fault = injectFault(dynamoClient(), /^UpdateItemCommand$|^UpdateCommand$/, { times: writeAttempts });
    await settleJobs();
    // Assess
    expect(fault.calls).toBe(writeAttempts);
    const read = await stack.call("GET", `/models/s3-down/baselines/${created.body.baselineId}`);
    expect(read.body.status).toBe("failed");
    expect(read.body.error).toMatch(new RegExp(`^the write failed \\(ServiceUnavailable\\) after ${writeAttempts} attempts; nothing was written`));
    expect(read.body.error).not.toMatch(/injected fault|unavailable/);
    expect(await objects(`${BucketPrefix.baselines}s3-down/`)).toEqual([]);
  });

  it("an inline check whose summary cannot be written leaves no report", async () => {
    // Prepare
    expect((await stack.call("POST", "/models/check-down/baselines", { records })).status).toBe(201);
    fault = injectFault(dynamoClient(), /^PutItemCommand$|^PutCommand$/, { times: writeAttempts });
    // Act
    const res = await stack.call("POST", "/models/check-down/drift-checks", { records });
    // Assess
    expect(fault.calls).toBe(writeAttempts);
    expect(res.status).toBe(503);
    expect(await objects(`${BucketPrefix.driftReports}check-down/`)).toEqual([]);
  });
});
