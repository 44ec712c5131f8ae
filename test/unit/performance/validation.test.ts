import { describe, expect, it } from "vitest";
import { app } from "../../../lambdas/performance/app.js";
import { inferTask } from "../../../lambdas/performance/ground-truth.js";
import { choosePrimaryMetric, newBatchId } from "../../../lambdas/performance/record-batch.js";
import { mergeThresholds } from "../../../lambdas/core/performance/thresholds.js";

/** Invalid requests are answered before any AWS call, so the app runs in-process here without an emulator. */
async function post(path: string, body: unknown, method = "POST"): Promise<{ status: number; message: string }> {
  const res = await app.request(path, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const parsed = (await res.json()) as { error?: { message: string } };
  return { status: res.status, message: parsed.error?.message ?? "" };
}

describe("performance request validation", () => {
  it.each([
    [{ task: "regression", predictions: [1] }, "body.actuals: required (or give dataUri)"],
    [{ task: "regression", predictions: [1], actuals: [1], extra: 1 }, "body: Unrecognized key"],
    [{ task: "regression", dataUri: "http://x/y" }, "body.dataUri: must be an s3://bucket/key URI"],
    [{ task: "regression", predictions: [1], actuals: [1], format: "csv" }, "body.format: only used with dataUri"],
    [{ task: "regression", predictions: [1], actuals: [1], timestamp: "yesterday" }, "body.timestamp: must be an ISO 8601 date-time"],
    [{ task: "regression", predictions: [1], actuals: [1], thresholds: { rmseIncreasePct: -5 } }, "body.thresholds.rmseIncreasePct: must be 0 or more"],
    [{ task: "regression", predictions: [1], actuals: [1], baseline: { rmse: "low" } }, "body.baseline.rmse"],
  ])("refuses a batch body %j", async (body, message) => {
    const res = await post("/models/m/versions/1.0.0/batches", body);
    expect(res.status).toBe(400);
    expect(res.message).toContain(message);
  });

  it("refuses bad model names and versions in the path", async () => {
    expect((await post("/models/-bad/versions/1.0.0/batches", { task: "regression", predictions: [1], actuals: [1] })).message).toContain("path.model: must be 1-128 characters");
    expect((await post("/models/m/versions/01.0.0/batches", { task: "regression", predictions: [1], actuals: [1] })).message).toContain("path.version: must be a semantic version");
  });

  it("refuses empty and oversized predictions and ground-truth posts", async () => {
    expect((await post("/models/m/versions/1.0.0/predictions", { records: [] })).message).toBe("body.records: must hold at least one record");
    const many = Array.from({ length: 10_001 }, (_, i) => ({ id: `i${i}`, actual: 1 }));
    expect((await post("/models/m/ground-truth", { records: many })).message).toBe("body.records: at most 10,000 records per request");
    expect((await post("/models/m/ground-truth", { records: [{ id: "a", actual: null }] })).message).toContain("body.records.0.actual: must be a number, a string");
    expect((await post("/models/m/versions/1.0.0/predictions", { records: [{ id: "a", prediction: 1, score: 2 }] })).message).toContain("must be a probability in [0, 1]");
  });

  it("refuses invalid thresholds", async () => {
    expect((await post("/models/m/performance/thresholds", { r2Min: 2 }, "PUT")).message).toBe("body.r2Min: must be at most 1");
    expect((await post("/models/m/performance/thresholds", { primaryMetric: "latency" }, "PUT")).status).toBe(400);
  });
});

describe("inferTask", () => {
  const rec = (prediction: number | string | boolean, score?: number) => ({ id: "a", prediction, ...(score !== undefined ? { score } : {}) });
  it("infers classification from labels or scores, regression from fractions, and asks otherwise", () => {
    expect(inferTask({ records: [rec("cat")] })).toEqual({ task: "classification", inferred: true });
    expect(inferTask({ records: [rec(1, 0.7)] })).toEqual({ task: "classification", inferred: true });
    expect(inferTask({ records: [rec(1), rec(2.5)] })).toEqual({ task: "regression", inferred: true });
    expect(inferTask({ task: "regression", records: [rec(1)] })).toEqual({ task: "regression", inferred: false });
    expect(() => inferTask({ records: [rec(1), rec(0)] })).toThrow(/body\.task: required/);
  });
});

describe("choosePrimaryMetric", () => {
  it("prefers the thresholds' choice, then the registry's, then the task default", () => {
    const none = mergeThresholds();
    expect(choosePrimaryMetric("regression", mergeThresholds({ primaryMetric: "mae" }), "rmse")).toBe("mae");
    expect(choosePrimaryMetric("classification", none, "validation:f1")).toBe("f1");
    expect(choosePrimaryMetric("classification", none, "rmse")).toBe("accuracy");
    expect(choosePrimaryMetric("regression", none, undefined)).toBe("rmse");
    expect(choosePrimaryMetric("regression", mergeThresholds({ primaryMetric: "auc" }), undefined)).toBe("rmse");
  });
});

describe("newBatchId", () => {
  it("is time-ordered and unique", () => {
    const a = newBatchId(new Date("2026-01-01T00:00:00Z"));
    const b = newBatchId(new Date("2026-01-01T00:00:01Z"));
    expect(a).toMatch(/^20260101000000-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
    expect(newBatchId(new Date(0))).not.toBe(newBatchId(new Date(0)));
  });
});
