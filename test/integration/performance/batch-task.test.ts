/**
 * A version's task is fixed by its first batch; a batch of the other task is a 409 naming both and leaves
 * nothing behind. `DELETE …/batches/{batchId}` removes a mistaken batch — summary, raw rows, ground-truth
 * joins — audited, and the report recovers. Impossible baselines and timestamps are refused.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { logsClient, s3Client } from "../../../lambdas/shared/aws.js";
import { BucketPrefix } from "../../../lambdas/shared/buckets.js";
import { createTestStack, type TestStack } from "../stack.js";
import { eventually, regressionRows, registerVersions } from "./helpers.js";

describe("a version's batch task and deleting a batch", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("perf-task");
    await registerVersions(stack, "mixed", ["1.0.0", "2.0.0"]);
    await registerVersions(stack, "oops", ["1.0.0"]);
    await registerVersions(stack, "gt", ["1.0.0"]);
    await registerVersions(stack, "bad", ["1.0.0"]);
  });
  const rawKeys = async (model: string): Promise<string[]> => {
    const out = await s3Client().send(new ListObjectsV2Command({ Bucket: stack.names.bucket, Prefix: `${BucketPrefix.batches}${model}/` }));
    return (out.Contents ?? []).map((o) => o.Key as string);
  };
  const classification = { task: "classification", predictions: ["a", "b", "a"], actuals: ["a", "b", "b"] };

  it("refuses a classification batch on a regression version with a 409 naming both, writing nothing", async () => {
    // Prepare
    const first = await stack.call("POST", "/models/mixed/versions/1.0.0/batches", { task: "regression", ...regressionRows(20, 0.5) });
    expect(first.status).toBe(201);
    const before = await rawKeys("mixed");
    // Act
    const wrong = await stack.call("POST", "/models/mixed/versions/1.0.0/batches", classification);
    // Assess
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.message).toMatch(/records regression batches.*this batch is classification/);
    expect(await rawKeys("mixed")).toEqual(before);
    const report = await stack.call("GET", "/models/mixed/performance?version=1.0.0");
    expect(report.status).toBe(200);
    expect(report.body.batchCount).toBe(1);
    // Another version may take the other task.
    expect((await stack.call("POST", "/models/mixed/versions/2.0.0/batches", classification)).status).toBe(201);
  });

  it("deletes a mistaken first batch with its raw rows, audited; the version then takes the other task and the report recovers", async () => {
    // Prepare: a classification batch recorded first by mistake, then the regression batches are refused.
    const wrong = await stack.call("POST", "/models/oops/versions/1.0.0/batches", classification);
    expect(wrong.status).toBe(201);
    expect((await stack.call("POST", "/models/oops/versions/1.0.0/batches", { task: "regression", ...regressionRows(20, 0.5) })).status).toBe(409);
    const rawKey = wrong.body.rawUri.replace(`s3://${stack.names.bucket}/`, "");
    // Act
    const deleted = await stack.call("DELETE", `/models/oops/versions/1.0.0/batches/${wrong.body.batchId}`);
    // Assess
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body).toMatchObject({ batchId: wrong.body.batchId, deleted: true, rawDeleted: true, taskReleased: true, task: "classification" });
    await expect(s3Client().send(new HeadObjectCommand({ Bucket: stack.names.bucket, Key: rawKey }))).rejects.toThrow();
    expect((await stack.call("DELETE", `/models/oops/versions/1.0.0/batches/${wrong.body.batchId}`)).status).toBe(404);
    const right = await stack.call("POST", "/models/oops/versions/1.0.0/batches", { task: "regression", ...regressionRows(20, 0.5) });
    expect(right.status).toBe(201);
    const report = await stack.call("GET", "/models/oops/performance");
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ task: "regression", batchCount: 1 });
    const audit = await eventually(
      () => logsClient().send(new FilterLogEventsCommand({ logGroupName: stack.names.auditLogGroup, filterPattern: '"performance.batch_deleted"' })),
      (r) => (r.events ?? []).length > 0,
    );
    expect(audit.events?.[0]?.message).toContain(wrong.body.batchId);
  });

  it("deleting a ground-truth batch undoes its joins, so the actuals can be posted again", async () => {
    // Prepare
    const records = Array.from({ length: 6 }, (_, i) => ({ id: `p-${i}`, prediction: i + 0.5 }));
    expect((await stack.call("POST", "/models/gt/versions/1.0.0/predictions", { task: "regression", records })).status).toBe(201);
    const joined = await stack.call("POST", "/models/gt/ground-truth", { records: records.map((r) => ({ id: r.id, actual: r.prediction + 1 })) });
    expect(joined.status).toBe(200);
    const batchId = joined.body.batches[0].batchId;
    // Act
    const deleted = await stack.call("DELETE", `/models/gt/versions/1.0.0/batches/${batchId}`);
    const again = await stack.call("POST", "/models/gt/ground-truth", { records: records.map((r) => ({ id: r.id, actual: r.prediction })) });
    // Assess
    expect(deleted.status).toBe(200);
    expect(deleted.body.joinsUndone).toBe(6);
    expect(again.body.joined).toBe(6);
    expect(again.body.alreadyJoinedIds).toEqual([]);
    const report = await stack.call("GET", "/models/gt/performance?version=1.0.0");
    expect(report.body.batchCount).toBe(1);
    expect(report.body.overall.rmse).toBeCloseTo(0, 10);
  });

  it("refuses impossible baselines and timestamps before year 2000", async () => {
    const rows = regressionRows(10, 0.5);
    for (const [baseline, pattern] of [
      [{ rmse: -1 }, /baseline\.rmse: -1 is impossible: rmse is an error or loss/],
      [{ "validation:auc": 1.2 }, /auc.*between 0 and 1/],
      [{ r2: 1.5 }, /R²: must be at most 1/],
    ] as const) {
      const res = await stack.call("POST", "/models/bad/versions/1.0.0/batches", { task: "regression", ...rows, baseline });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(pattern);
    }
    const old = await stack.call("POST", "/models/bad/versions/1.0.0/batches", { task: "regression", ...rows, timestamp: "0000-01-01T00:00:00Z" });
    expect(old.status).toBe(400);
    expect(old.body.error.message).toMatch(/on or after 2000-01-01/);
    expect(await rawKeys("bad")).toEqual([]);
    const fine = await stack.call("POST", "/models/bad/versions/1.0.0/batches", { task: "regression", ...rows, baseline: { rmse: 0, r2: -3, f1: 1 }, timestamp: "2000-01-01T00:00:00Z" });
    expect(fine.status).toBe(201);
  });
});
