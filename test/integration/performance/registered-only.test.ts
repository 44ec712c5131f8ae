/**
 * Performance data belongs to registered versions: every performance route answers 404
 * `MODEL_NOT_REGISTERED` for a model the registry does not know and `VERSION_NOT_REGISTERED` for a version
 * it does not (never registered, or deleted), and writes nothing — no table item, no S3 object.
 */
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { documentClient, s3Client } from "../../../lambdas/shared/aws.js";
import { keys } from "../../../lambdas/shared/table.js";
import { createTestStack, type TestStack } from "../stack.js";
import { registerVersion, regressionRows } from "./helpers.js";

describe("performance routes ask the registry", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("perf-registered");
    await registerVersion(stack, "known", "1.0.0", { rmse: 1 }, "rmse", "lower");
  });

  /** The table items of a model's partition and the S3 objects under its raw-batch prefix. */
  async function footprint(model: string): Promise<{ items: number; objects: number }> {
    const items = await documentClient().send(new QueryCommand({ TableName: stack.names.table, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": keys.modelPk(model) } }));
    const predictions = await documentClient().send(new QueryCommand({ TableName: stack.names.table, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": keys.prediction(model, "x").pk } }));
    const objects = await s3Client().send(new ListObjectsV2Command({ Bucket: stack.names.bucket, Prefix: `batches/${model}/` }));
    const joins = await s3Client().send(new ListObjectsV2Command({ Bucket: stack.names.bucket, Prefix: `ground-truth/${model}/` }));
    return { items: (items.Items?.length ?? 0) + (predictions.Items?.length ?? 0), objects: (objects.KeyCount ?? 0) + (joins.KeyCount ?? 0) };
  }

  /** Every performance route of a model and version, with a body that would be accepted for a registered one. */
  const routes = (model: string, version: string): Array<[string, string, unknown?]> => [
    ["POST", `/models/${model}/versions/${version}/batches`, { task: "regression", ...regressionRows(20, 0.5) }],
    ["POST", `/models/${model}/versions/${version}/batches`, { task: "classification", predictions: [1, 0, 1], actuals: [1, 0, 0], groups: ["a", "b", "a"] }],
    ["DELETE", `/models/${model}/versions/${version}/batches/20260101000000-abcdefabcdef`],
    ["POST", `/models/${model}/versions/${version}/predictions`, { task: "regression", records: [{ id: "p1", prediction: 1.5 }] }],
    ["GET", `/models/${model}/performance?version=${version}`],
    ["GET", `/models/${model}/performance/compare?versions=1.0.0,${version === "1.0.0" ? "1.0.1" : version}`],
  ];
  const modelRoutes = (model: string): Array<[string, string, unknown?]> => [
    ["POST", `/models/${model}/ground-truth`, { records: [{ id: "p1", actual: 1.5 }] }],
    ["GET", `/models/${model}/performance/thresholds`],
    ["PUT", `/models/${model}/performance/thresholds`, { minCount: 10 }],
    ["GET", `/models/${model}/performance`],
  ];

  it("answers 404 MODEL_NOT_REGISTERED on every performance route of an unknown model, and writes nothing", async () => {
    for (const [method, path, body] of [...routes("ghost", "1.0.0"), ...modelRoutes("ghost")]) {
      // Act
      const res = await stack.call(method, path, body);
      // Assess
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(404);
      expect(res.body.error.code, `${method} ${path}`).toBe("MODEL_NOT_REGISTERED");
      expect(res.body.error.message).toMatch(/model ghost is not registered/);
    }
    expect(await footprint("ghost")).toEqual({ items: 0, objects: 0 });
  });

  it("answers 404 VERSION_NOT_REGISTERED on every version route of a known model's unknown version, and writes nothing of it", async () => {
    const before = await footprint("known");
    for (const [method, path, body] of routes("known", "9.9.9")) {
      // Act
      const res = await stack.call(method, path, body);
      // Assess
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(404);
      expect(res.body.error.code, `${method} ${path}`).toBe("VERSION_NOT_REGISTERED");
      expect(res.body.error.message).toMatch(/9\.9\.9/);
    }
    expect(await footprint("known")).toEqual(before);
  });

  it("names every unregistered version of a comparison", async () => {
    const res = await stack.call("GET", "/models/known/performance/compare?versions=1.0.0,2.0.0,3.0.0");
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "VERSION_NOT_REGISTERED", details: { model: "known", versions: ["2.0.0", "3.0.0"] } });
  });

  it("refuses a deleted version's new batches, still deletes its old ones", async () => {
    // Prepare: 2.0.0 registered, one batch recorded, then the version deleted
    await registerVersion(stack, "known", "2.0.0", { rmse: 1 }, "rmse", "lower");
    const recorded = await stack.call("POST", "/models/known/versions/2.0.0/batches", { task: "regression", ...regressionRows(20, 0.5) });
    expect(recorded.status).toBe(201);
    const deleted = await stack.call("DELETE", "/models/known/versions/2.0.0");
    expect(deleted.status).toBe(200);
    // Act
    const after = await stack.call("POST", "/models/known/versions/2.0.0/batches", { task: "regression", ...regressionRows(20, 0.5) });
    const report = await stack.call("GET", "/models/known/performance?version=2.0.0");
    const cleanup = await stack.call("DELETE", `/models/known/versions/2.0.0/batches/${recorded.body.batchId}`);
    const again = await stack.call("DELETE", `/models/known/versions/2.0.0/batches/${recorded.body.batchId}`);
    // Assess
    expect(after.status).toBe(404);
    expect(after.body.error.code).toBe("VERSION_NOT_REGISTERED");
    expect(report.status).toBe(404);
    expect(cleanup.status, JSON.stringify(cleanup.body)).toBe(200);
    expect(cleanup.body.taskReleased).toBe(true);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe("VERSION_NOT_REGISTERED");
  });

  it("ground truth for predictions of a version deleted since is rejected by name; the rest is joined", async () => {
    // Prepare: predictions logged for 3.0.0 and 3.1.0, then 3.1.0 deleted
    await registerVersion(stack, "gt", "3.0.0", { rmse: 1 }, "rmse", "lower");
    await registerVersion(stack, "gt", "3.1.0", { rmse: 1 }, "rmse", "lower");
    for (const v of ["3.0.0", "3.1.0"]) {
      const logged = await stack.call("POST", `/models/gt/versions/${v}/predictions`, { task: "regression", records: [1, 2, 3].map((i) => ({ id: `${v}-${i}`, prediction: i + 0.5 })) });
      expect(logged.status).toBe(201);
    }
    expect((await stack.call("DELETE", "/models/gt/versions/3.1.0")).status).toBe(200);
    // Act
    const res = await stack.call("POST", "/models/gt/ground-truth", { records: ["3.0.0", "3.1.0"].flatMap((v) => [1, 2, 3].map((i) => ({ id: `${v}-${i}`, actual: i }))) });
    // Assess
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.joined).toBe(3);
    expect(res.body.batches.map((b: any) => b.version)).toEqual(["3.0.0"]);
    expect(res.body.rejected.map((r: any) => r.id).sort()).toEqual(["3.1.0-1", "3.1.0-2", "3.1.0-3"]);
    expect(res.body.rejected[0].reason).toMatch(/version 3\.1\.0 of model gt is not registered/);
  });

  it("records once the version is registered: one call (the docs' way to monitor a model you do not otherwise register)", async () => {
    // Prepare
    const refused = await stack.call("POST", "/models/external-scorer/versions/1.0.0/batches", { task: "regression", ...regressionRows(20, 0.5) });
    // Act: register without an artifact (requestUpload: the upload may never come)
    const reg = await stack.call("POST", "/models/external-scorer/versions", { version: "1.0.0", requestUpload: true, primaryMetric: "rmse", direction: "lower" });
    const accepted = await stack.call("POST", "/models/external-scorer/versions/1.0.0/batches", { task: "regression", ...regressionRows(20, 0.5) });
    // Assess
    expect(refused.status).toBe(404);
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
  });
});
