import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { auditEntries, listenToTopic, metricValues, uniqueName, type TopicListener } from "../observe.js";
import { regressionMetrics } from "../../../lambdas/core/metrics/regression.js";
import { eventually, getJson, regressionRows, registerVersion, registerVersions } from "./helpers.js";

describe("performance: prediction batches, metrics and model-drift alerts", () => {
  let stack: TestStack;
  let topic: TopicListener;
  beforeAll(async () => {
    stack = await createTestStack("perf-batch");
    await registerVersions(stack, "quiet", ["1.0.0"]);
    topic = await listenToTopic(stack.names.topicArn);
  });

  it("records a regression batch: raw rows in S3 first, summary, and metrics readable with GetMetricData", async () => {
    const housePrice = uniqueName("house-price");
    await registerVersions(stack, housePrice, ["1.0.0"]);
    // Prepare
    const { actuals, predictions } = regressionRows(200, 0.5);
    const expected = regressionMetrics(actuals, predictions);
    // Act
    const res = await stack.call("POST", `/models/${housePrice}/versions/1.0.0/batches`, { task: "regression", predictions, actuals, features: { rooms: actuals.map((a) => a % 5) } });
    // Assess
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ model: housePrice, version: "1.0.0", task: "regression", source: "batch", count: 200, primaryMetric: "rmse", baseline: null });
    expect(res.body.metrics.rmse).toBeCloseTo(expected.rmse, 12);
    expect(res.body.metrics.mae).toBeCloseTo(expected.mae, 12);
    expect(res.body.metrics.r2).toBeCloseTo(expected.r2 as number, 12);
    expect(res.body.rawUri).toMatch(new RegExp(`^s3://${stack.names.bucket}/batches/${housePrice}/1\\.0\\.0/\\d{4}-\\d{2}-\\d{2}/${res.body.batchId}\\.json$`));
    const raw = await getJson(res.body.rawUri);
    expect(raw).toMatchObject({ batchId: res.body.batchId, predictions, actuals, features: { rooms: expect.any(Array) } });
    const dims = { ModelName: housePrice, ModelVersion: "1.0.0" };
    const ns = stack.names.metricsNamespace;
    const rmse = await eventually(() => metricValues(ns, "BatchRMSE", dims, { stat: "Average" }), (v) => v.length > 0);
    expect(rmse[0]).toBeCloseTo(expected.rmse, 9);
    expect(await metricValues(ns, "PredictionCount", dims)).toEqual([200]);
    for (const name of ["BatchMAE", "BatchMAPE", "BatchR2Score"]) expect((await metricValues(ns, name, dims, { stat: "Average" })).length, name).toBe(1);
    expect(res.body.metricsPublished).toBe(5);
    const audit = await auditEntries(stack.names.auditLogGroup, '"performance.batch_recorded"');
    expect(audit.some((e) => e.after?.batchId === res.body.batchId)).toBe(true);
  });

  it("publishes classification metrics including AUC from scores", async () => {
    const churn = uniqueName("churn");
    await registerVersions(stack, churn, ["2.0.0"], "auc", "higher");
    // Prepare
    const actuals = [1, 0, 1, 1, 0, 0, 1, 0, 1, 1];
    const scores = [0.9, 0.2, 0.7, 0.4, 0.3, 0.6, 0.8, 0.1, 0.55, 0.95];
    const predictions = scores.map((s) => (s >= 0.5 ? 1 : 0));
    // Act
    const res = await stack.call("POST", `/models/${churn}/versions/2.0.0/batches`, { task: "classification", predictions, actuals, scores });
    // Assess
    expect(res.status).toBe(201);
    expect(res.body.metrics).toMatchObject({ accuracy: 0.8, averaging: "binary", count: 10 });
    expect(res.body.metrics.auc).toBeGreaterThan(0.8);
    const dims = { ModelName: churn, ModelVersion: "2.0.0" };
    for (const name of ["BatchAccuracy", "BatchPrecision", "BatchRecall", "BatchF1", "BatchAUC"]) {
      expect((await metricValues(stack.names.metricsNamespace, name, dims, { stat: "Average" })).length, name).toBe(1);
    }
  });

  it("compares with the registered baseline and delivers a degraded batch's SNS alert to a subscribed queue, once per window", async () => {
    const demand = uniqueName("demand");
    // Prepare: registered with RMSE 0.5 and R² 0.99, primary metric rmse
    await registerVersion(stack, demand, "1.0.0", { "validation:rmse": 0.5, "validation:r2": 0.99, "train:rmse": 0.1 }, "rmse", "lower");
    const { actuals, predictions } = regressionRows(100, 0.8);
    // Act
    const res = await stack.call("POST", `/models/${demand}/versions/1.0.0/batches`, { task: "regression", predictions, actuals });
    const again = await stack.call("POST", `/models/${demand}/versions/1.0.0/batches`, { task: "regression", predictions, actuals });
    const messages = await topic.receive(1, 10_000);
    // Assess
    expect(res.status).toBe(201);
    expect(res.body.baseline).toEqual({ source: "registry", metrics: { "validation:rmse": 0.5, "validation:r2": 0.99, "train:rmse": 0.1 } });
    expect(res.body.degradation).toMatchObject({ checked: true, degraded: true, severity: "high" });
    expect(res.body.degradation.findings.map((f: any) => f.metric)).toEqual(["rmse"]);
    expect(res.body.performanceDrift).toMatchObject({ metric: "rmse", baseline: 0.5, worse: true });
    expect(res.body.performanceDrift.changePct).toBeCloseTo(60, 6);
    expect(res.body.alert).toMatchObject({ sent: true });
    expect(again.body.alert).toMatchObject({ sent: false, suppressedUntil: expect.any(String) });
    const mine = messages.filter((m) => m.attributes.model === demand);
    expect(mine).toHaveLength(1);
    expect(mine[0].subject).toBe(`[MLWatch] Performance drift: ${demand} 1.0.0`);
    expect(mine[0].message).toContain("rmse rose 60.0 % (0.5 → 0.8; threshold +10 %)");
    expect(mine[0].message).toContain(`Batch ${res.body.batchId}`);
    expect(mine[0].attributes).toMatchObject({ alertType: "performance_drift", severity: "high", version: "1.0.0", alertId: expect.any(String) });
    const drift = await metricValues(stack.names.metricsNamespace, "PerformanceDrift", { ModelName: demand, ModelVersion: "1.0.0" }, { stat: "Maximum" });
    expect(drift[0]).toBeCloseTo(60, 6);
  });

  it("uses a baseline given in the request and flags accuracy down more than 5 points", async () => {
    const pets = uniqueName("pets");
    await registerVersions(stack, pets, ["1.0.0"], "accuracy", "higher");
    // Prepare: 80 % accurate batch against a 0.9 baseline
    const actuals = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? "cat" : "dog"));
    const predictions = actuals.map((a, i) => (i % 5 === 0 ? (a === "cat" ? "dog" : "cat") : a));
    // Act
    const res = await stack.call("POST", `/models/${pets}/versions/1.0.0/batches`, { task: "classification", predictions, actuals, baseline: { accuracy: 0.9, f1: 0.8 } });
    // Assess
    expect(res.status).toBe(201);
    expect(res.body.metrics.averaging).toBe("macro");
    expect(res.body.baseline.source).toBe("request");
    expect(res.body.degradation.findings.map((f: any) => [f.metric, Math.round(f.change)])).toEqual([["accuracy", 10]]);
    expect(res.body.alert.sent).toBe(true);
    // PerformanceDrift is published with positive = worse: accuracy 0.9 → 0.8 is 11.1 % worse
    expect(res.body.performanceDrift.changePct).toBeCloseTo(-11.111, 3);
    const drift = await metricValues(stack.names.metricsNamespace, "PerformanceDrift", { ModelName: pets, ModelVersion: "1.0.0" }, { stat: "Maximum" });
    expect(drift[0]).toBeCloseTo(11.111, 3);
  });

  it("stores per-model thresholds (audited) and applies them, with request-level overrides on top", async () => {
    // Act
    const put = await stack.call("PUT", "/models/quiet/performance/thresholds", { rmseIncreasePct: 100, r2Min: null });
    const get = await stack.call("GET", "/models/quiet/performance/thresholds");
    const { actuals, predictions } = regressionRows(40, 0.8);
    const tolerated = await stack.call("POST", "/models/quiet/versions/1.0.0/batches", { task: "regression", predictions, actuals, baseline: { rmse: 0.5, mae: 0.8 } });
    const overridden = await stack.call("POST", "/models/quiet/versions/1.0.0/batches", { task: "regression", predictions, actuals, baseline: { rmse: 0.5 }, thresholds: { rmseIncreasePct: 20 } });
    // Assess
    expect(put.status).toBe(200);
    expect(put.body.thresholds).toMatchObject({ rmseIncreasePct: 100, r2Min: null, maeIncreasePct: 10 });
    expect(get.body).toMatchObject({ model: "quiet", stored: { rmseIncreasePct: 100, r2Min: null }, defaults: { rmseIncreasePct: 10, r2Min: 0.9 }, updatedBy: "local" });
    expect(tolerated.body.degradation).toMatchObject({ checked: true, degraded: false });
    expect(overridden.body.degradation.findings.map((f: any) => f.metric)).toEqual(["rmse"]);
    const audit = await auditEntries(stack.names.auditLogGroup, '"performance.thresholds_updated"');
    expect(audit.find((e) => e.model === "quiet")).toMatchObject({ after: { rmseIncreasePct: 100, r2Min: null }, before: null });
  });
});
