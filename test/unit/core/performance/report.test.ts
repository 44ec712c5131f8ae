import { describe, expect, it } from "vitest";
import { regressionMetrics } from "../../../../lambdas/core/metrics/regression.js";
import { buildPerformanceReport, compareVersions, type ReportBatch } from "../../../../lambdas/core/performance/report.js";
import { regressionStats, type WindowRegressionMetrics } from "../../../../lambdas/core/performance/sufficient-stats.js";
import { performanceAlertMessage } from "../../../../lambdas/core/performance/alert-message.js";
import { evaluateDegradation } from "../../../../lambdas/core/performance/degradation.js";
import { defaultPerformanceThresholds } from "../../../../lambdas/core/performance/thresholds.js";

const from = Date.parse("2026-01-01T00:00:00Z");

function batch(id: string, version: string, day: number, error: number): ReportBatch {
  const actual = [1, 2, 3, 4];
  const predicted = actual.map((a, i) => a + (i % 2 === 0 ? error : -error));
  const metrics = regressionMetrics(actual, predicted);
  return {
    batchId: id,
    version,
    task: "regression",
    source: "batch",
    timestamp: new Date(from + day * 86_400_000 + 3_600_000).toISOString(),
    count: 4,
    stats: regressionStats(actual, metrics),
    metrics: { ...metrics },
  };
}

describe("buildPerformanceReport", () => {
  it("finds a degrading trend in a synthetic series with rising error", () => {
    const batches = Array.from({ length: 10 }, (_, d) => batch(`b${d}`, "1.0.0", d, 0.1 + 0.05 * d));
    const report = buildPerformanceReport(batches, "rmse", from);
    expect(report.trend).toMatchObject({ metric: "rmse", better: "lower", direction: "degrading", n: 10 });
    expect(report.trend!.slopePerDay).toBeCloseTo(0.05, 9);
    expect(report.trend!.pValue).toBeLessThan(1e-6);
    expect(report.daily).toHaveLength(10);
    expect(report.daily[0].date).toBe("2026-01-01");
    expect(report.worstBatches.map((b) => b.batchId)).toEqual(["b9", "b8", "b7", "b6", "b5"]);
    const overall = report.overall as WindowRegressionMetrics;
    expect(overall.count).toBe(40);
    // exact recombination: RMSE² of the window is the mean of the batches' squared errors
    const meanSquare = batches.reduce((s, b) => s + (b.metrics.rmse as number) ** 2, 0) / 10;
    expect(overall.rmse).toBeCloseTo(Math.sqrt(meanSquare), 12);
  });

  it("has no trend with one batch and says why", () => {
    const report = buildPerformanceReport([batch("a", "1.0.0", 0, 0.1)], "rmse", from);
    expect(report.trend).toBeNull();
    expect(report.trendReason).toMatch(/^not enough data: a trend needs at least 3 batches with \w+; found 1$/);
    expect(buildPerformanceReport([], "rmse", from)).toMatchObject({ batchCount: 0, overall: null });
  });

  it("has no trend over two batches (a perfect line, p 0, says nothing) and has one from three", () => {
    const two = buildPerformanceReport([batch("a", "1.0.0", 0, 0.1), batch("b", "1.0.0", 1, 0.3)], "rmse", from);
    expect(two.trend).toBeNull();
    expect(two.trendReason).toBe("not enough data: a trend needs at least 3 batches with rmse; found 2");
    const three = buildPerformanceReport([batch("a", "1.0.0", 0, 0.1), batch("b", "1.0.0", 1, 0.3), batch("c", "1.0.0", 2, 0.2)], "rmse", from);
    expect(three.trend).toMatchObject({ metric: "rmse", n: 3 });
    expect(three.trendReason).toBeUndefined();
  });
});

describe("compareVersions", () => {
  it("puts versions side by side and names the best", () => {
    const batches = [batch("a", "1.0.0", 0, 0.3), batch("b", "1.1.0", 0, 0.1), batch("c", "1.1.0", 1, 0.1)];
    const out = compareVersions(["1.0.0", "1.1.0", "2.0.0"], batches, "rmse");
    expect(out.best).toBe("1.1.0");
    expect(out.versions.map((v) => [v.version, v.batchCount])).toEqual([
      ["1.0.0", 1],
      ["1.1.0", 2],
      ["2.0.0", 0],
    ]);
    expect(out.versions[2].metrics).toBeNull();
  });
});

describe("performanceAlertMessage", () => {
  it("names model, version, what degraded and the batch", () => {
    const degradation = evaluateDegradation("regression", { rmse: 2, r2: 0.95 }, { rmse: 1 }, defaultPerformanceThresholds, 50);
    const msg = performanceAlertMessage({
      model: "churn",
      version: "1.2.0",
      batchId: "b-1",
      source: "batch",
      count: 50,
      timestamp: "2026-01-01T00:00:00.000Z",
      degradation,
      baselineSource: "registered metrics of version 1.2.0",
      rawUri: "s3://bucket/batches/churn/1.2.0/2026-01-01/b-1.json",
    });
    expect(msg.subject).toBe("[MLWatch] Performance drift: churn 1.2.0");
    expect(msg.body).toContain("rmse rose 100.0 % (1 → 2; threshold +10 %)");
    expect(msg.body).toContain("Batch b-1");
    expect(msg.fingerprint).toBe("performance:1.2.0:rmse");
    expect(msg.summary).toBe("churn 1.2.0: rmse degraded (high)");
  });
});
