import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { regressionRows, registerVersion, registerVersions } from "./helpers.js";

const dayMs = 86_400_000;

describe("performance: report, trend and version comparison", () => {
  let stack: TestStack;
  const now = Date.now();
  beforeAll(async () => {
    stack = await createTestStack("perf-report");
    await registerVersion(stack, "sales", "1.0.0", { rmse: 0.3, r2: 0.99 }, "rmse", "lower");
    await registerVersion(stack, "sales", "1.1.0", { rmse: 0.2, r2: 0.99 }, "rmse", "lower");
    await registerVersions(stack, "sales", ["2.0.0", "3.0.0"]);
    // A synthetic degrading series: one batch a day for 10 days, the error growing 0.1 a day.
    for (let d = 0; d < 10; d++) {
      const { actuals, predictions } = regressionRows(50, 0.2 + 0.1 * d, d);
      const res = await stack.call("POST", "/models/sales/versions/1.0.0/batches", {
        task: "regression",
        predictions,
        actuals,
        timestamp: new Date(now - (10 - d) * dayMs + 3_600_000).toISOString(),
        thresholds: { rmseIncreasePct: null, maeIncreasePct: null, r2Min: null },
      });
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    }
    // The newer version: steady and better, over the last three days.
    for (let d = 0; d < 3; d++) {
      const { actuals, predictions } = regressionRows(50, 0.15, d);
      await stack.call("POST", "/models/sales/versions/1.1.0/batches", { task: "regression", predictions, actuals, timestamp: new Date(now - (3 - d) * dayMs).toISOString() });
    }
  });

  it("reports overall metrics, per-day aggregates, a degrading trend and the worst batches", async () => {
    // Act
    const res = await stack.call("GET", "/models/sales/performance?version=1.0.0&days=30");
    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ model: "sales", version: "1.0.0", days: 30, task: "regression", primaryMetric: "rmse", batchCount: 10, count: 500, truncated: false });
    expect(res.body.baseline).toEqual({ source: "registry", metrics: { rmse: 0.3, r2: 0.99 } });
    expect(res.body.daily).toHaveLength(10);
    expect(res.body.daily[0]).toMatchObject({ batchCount: 1, count: 50 });
    expect(res.body.daily[0].metrics.rmse).toBeCloseTo(0.2, 9);
    expect(res.body.trend).toMatchObject({ metric: "rmse", better: "lower", direction: "degrading", n: 10 });
    expect(res.body.trend.slopePerDay).toBeCloseTo(0.1, 6);
    expect(res.body.trend.pValue).toBeLessThan(0.001);
    expect(res.body.worstBatches.map((b: any) => Number(b.value.toFixed(6)))).toEqual([1.1, 1, 0.9, 0.8, 0.7]);
    // exact window RMSE: √(mean of the daily squared errors) — every row has |error| = 0.2 + 0.1·d
    const expected = Math.sqrt(Array.from({ length: 10 }, (_, d) => (0.2 + 0.1 * d) ** 2).reduce((s, x) => s + x, 0) / 10);
    expect(res.body.overall.rmse).toBeCloseTo(expected, 9);
  });

  it("narrows the window with days and has no trend for a single batch", async () => {
    // Act
    const res = await stack.call("GET", "/models/sales/performance?version=1.0.0&days=1");
    const bad = await stack.call("GET", "/models/sales/performance?days=0");
    // Assess
    expect(res.body.batchCount).toBe(1);
    expect(res.body.trend).toBeNull();
    expect(res.body.trendReason).toMatch(/^not enough data: a trend needs at least 3 batches/);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe("query.days: must be between 1 and 365");
  });

  it("compares versions side by side over the same window", async () => {
    // Act
    const res = await stack.call("GET", "/models/sales/performance/compare?versions=1.0.0,1.1.0,2.0.0&days=5");
    const bad = await stack.call("GET", "/models/sales/performance/compare?versions=1.0.0");
    const badVersion = await stack.call("GET", "/models/sales/performance/compare?versions=1.0.0,v2");
    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ model: "sales", days: 5, task: "regression", primaryMetric: "rmse", better: "lower", best: "1.1.0" });
    const byVersion = Object.fromEntries(res.body.versions.map((v: any) => [v.version, v]));
    expect(byVersion["1.0.0"].batchCount).toBe(5);
    expect(byVersion["1.1.0"]).toMatchObject({ batchCount: 3, count: 150 });
    expect(byVersion["1.1.0"].metrics.rmse).toBeCloseTo(0.15, 9);
    expect(byVersion["2.0.0"]).toMatchObject({ batchCount: 0, metrics: null });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe("query.versions: give two to ten versions, comma-separated");
    expect(badVersion.body.error.message).toContain('"v2" is not a semantic version');
  });

  it("refuses a window that mixes regression and classification without a version", async () => {
    // Prepare
    await stack.call("POST", "/models/sales/versions/3.0.0/batches", { task: "classification", predictions: [1, 0], actuals: [1, 1] });
    // Act
    const res = await stack.call("GET", "/models/sales/performance");
    // Assess
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/more than one task \(regression: 13, classification: 1\); ask for one version/);
  });
});
