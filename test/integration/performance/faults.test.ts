import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { createTestStack, type TestStack } from "../stack.js";
import { listenToTopic, type TopicListener } from "../observe.js";
import { injectFault, type InjectedFault } from "../faults.js";
import { cloudWatchClient, dynamoClient, s3Client, snsClient } from "../../../lambdas/shared/aws.js";
import { regressionRows, registerVersion } from "./helpers.js";

/**
 * A batch with S3, DynamoDB, SNS or CloudWatch failing mid-operation (injected into the SDK clients, against
 * the real emulator): no batch without its raw rows, no raw rows without a batch, no alert silently lost,
 * and an `Idempotency-Key` retry that counts the batch exactly once.
 */
describe("performance batches under injected AWS faults", () => {
  let stack: TestStack;
  let topic: TopicListener;
  let fault: InjectedFault | undefined;
  beforeAll(async () => {
    stack = await createTestStack("perf-faults");
    topic = await listenToTopic(stack.names.topicArn);
  });
  afterEach(() => {
    fault?.remove();
    fault = undefined;
  });

  const batch = (n = 40, error = 0.5) => ({ task: "regression", ...regressionRows(n, error) });
  const rawKeys = async (model: string): Promise<string[]> => {
    const out = await s3Client().send(new ListObjectsV2Command({ Bucket: stack.names.bucket, Prefix: `batches/${model}/` }));
    return (out.Contents ?? []).map((o) => o.Key as string);
  };
  const count = async (model: string): Promise<number> => (await stack.call("GET", `/models/${model}/performance?version=1.0.0&days=1`)).body.count ?? 0;

  it("stores no batch when the raw rows cannot be written to S3", async () => {
    // Prepare
    await registerVersion(stack, "s3down", "1.0.0", { rmse: 1 }, "rmse", "lower");
    fault = injectFault(s3Client(), /^PutObjectCommand$/, { times: 1 });
    // Act
    const res = await stack.call("POST", "/models/s3down/versions/1.0.0/batches", batch());
    // Assess
    expect(fault.calls).toBe(1);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("SERVICE_UNAVAILABLE");
    expect(await count("s3down")).toBe(0);
    expect(await rawKeys("s3down")).toEqual([]);
  });

  it("takes the raw rows back when the summary cannot be written, and an Idempotency-Key retry counts the batch once", async () => {
    // Prepare
    await registerVersion(stack, "ddbdown", "1.0.0", { rmse: 1 }, "rmse", "lower");
    fault = injectFault(dynamoClient(), /^PutItemCommand$|^PutCommand$|^TransactWrite/, { skip: 1 }); // the idempotency claim passes, the summary's transaction fails on every attempt until removed
    const headers = { "idempotency-key": "nightly-2024-05-01" };
    // Act
    const failed = await stack.call("POST", "/models/ddbdown/versions/1.0.0/batches", batch(), headers);
    const afterFailure = { count: await count("ddbdown"), raw: await rawKeys("ddbdown") };
    fault.remove();
    const retried = await stack.call("POST", "/models/ddbdown/versions/1.0.0/batches", batch(), headers);
    const replayed = await stack.call("POST", "/models/ddbdown/versions/1.0.0/batches", batch(), headers);
    // Assess: the failure left nothing; the retry recorded once; the second retry is the first answer again
    expect(failed.status).toBe(503);
    expect(afterFailure).toEqual({ count: 0, raw: [] });
    expect(retried.status).toBe(201);
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(replayed.body.batchId).toBe(retried.body.batchId);
    expect(await count("ddbdown")).toBe(40);
    expect(await rawKeys("ddbdown")).toHaveLength(1);
  });

  it("records the batch and says so in the answer when CloudWatch refuses the metrics", async () => {
    // Prepare
    await registerVersion(stack, "cwdown", "1.0.0", { rmse: 1 }, "rmse", "lower");
    fault = injectFault(cloudWatchClient(), /^PutMetricDataCommand$/);
    // Act
    const res = await stack.call("POST", "/models/cwdown/versions/1.0.0/batches", batch());
    // Assess
    expect(fault.calls).toBeGreaterThan(0);
    expect(res.status).toBe(201);
    expect(res.body.warnings.join(" ")).toContain("CloudWatch metrics were not published");
    expect(res.body.incomplete).toEqual([{ step: "metrics", error: expect.stringContaining("PutMetricDataCommand unavailable") }]);
    expect(await count("cwdown")).toBe(40);
  });

  it("never loses an alert: a failed publish is in the answer, and the next degraded batch sends it", async () => {
    // Prepare: a registered RMSE of 0.1, batches with RMSE 5 (degraded)
    await registerVersion(stack, "snsdown", "1.0.0", { rmse: 0.1 }, "rmse", "lower");
    fault = injectFault(snsClient(), /^PublishCommand$/, { times: 1 });
    // Act
    const first = await stack.call("POST", "/models/snsdown/versions/1.0.0/batches", batch(40, 5));
    fault.remove();
    const second = await stack.call("POST", "/models/snsdown/versions/1.0.0/batches", batch(40, 5));
    const delivered = (await topic.receive(1, 10_000)).filter((m) => m.attributes.model === "snsdown");
    // Assess: the failure is visible; the suppression window was not claimed by the failed send
    expect(first.status).toBe(201);
    expect(first.body.alert).toMatchObject({ sent: false });
    expect(first.body.warnings.join(" ")).toContain("the performance-drift alert was not sent");
    expect(first.body.incomplete).toEqual([{ step: "alert", error: expect.any(String) }]);
    expect(second.body.incomplete).toEqual([]);
    expect(second.body.alert).toMatchObject({ sent: true });
    expect(delivered).toHaveLength(1);
  });
});
