import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { regressionMetrics } from "../../../../lambdas/core/metrics/regression.js";
import { classificationMetrics } from "../../../../lambdas/core/metrics/classification.js";
import {
  classificationStats,
  combineStats,
  metricsFromStats,
  regressionStats,
  type WindowClassificationMetrics,
  type WindowRegressionMetrics,
} from "../../../../lambdas/core/performance/sufficient-stats.js";

const close = (a: number | null, b: number | null, tol = 1e-9): void => {
  if (a === null || b === null) {
    expect(a).toBe(b);
    return;
  }
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
};

describe("regression sufficient statistics", () => {
  it("recombines two batches into exactly the metrics of their union", () => {
    const value = fc.integer({ min: -100_000, max: 100_000 }).map((x) => x / 100);
    const rows = fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(rows, rows, (a, b) => {
        const stats = (r: [number, number][]) => regressionStats(r.map((x) => x[0]), regressionMetrics(r.map((x) => x[0]), r.map((x) => x[1])));
        const combined = metricsFromStats(combineStats([stats(a), stats(b)])) as WindowRegressionMetrics;
        const all = [...a, ...b];
        const expected = regressionMetrics(all.map((x) => x[0]), all.map((x) => x[1]));
        close(combined.rmse, expected.rmse, 1e-7);
        close(combined.mae, expected.mae, 1e-7);
        close(combined.mape, expected.mape, 1e-6);
        expect(combined.mapeExcluded).toBe(expected.mapeExcluded);
        expect(combined.count).toBe(expected.count);
        // R² = 1 − SSE/M2 amplifies rounding when M2 is tiny; compare where the actuals vary meaningfully.
        const spread = Math.max(...all.map((x) => x[0])) - Math.min(...all.map((x) => x[0]));
        if (spread > 1e-3 || spread === 0) close(combined.r2, expected.r2, 1e-6);
      }),
      { numRuns: 1000 },
    );
  });

  it("follows the engine's force_finite rule for constant actuals and null R² for one row", () => {
    const s1 = regressionStats([5, 5], regressionMetrics([5, 5], [5, 5]));
    const s2 = regressionStats([5], regressionMetrics([5], [6]));
    expect((metricsFromStats(s1) as WindowRegressionMetrics).r2).toBe(1);
    expect((metricsFromStats(s2) as WindowRegressionMetrics).r2).toBeNull();
    expect((metricsFromStats(combineStats([s1, s2])) as WindowRegressionMetrics).r2).toBe(0);
  });

  it("excludes zero actuals from MAPE and answers null when every actual is 0", () => {
    const s = regressionStats([0, 0], regressionMetrics([0, 0], [1, 2]));
    expect((metricsFromStats(s) as WindowRegressionMetrics).mape).toBeNull();
    expect((metricsFromStats(s) as WindowRegressionMetrics).mapeExcluded).toBe(2);
  });
});

describe("classification sufficient statistics", () => {
  it("recombines confusion matrices into the metrics of the union (binary and multiclass)", () => {
    const label = fc.constantFrom(0, 1, 2, "3");
    const rows = fc.array(fc.tuple(label, label), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(rows, rows, (a, b) => {
        const stats = (r: [string | number, string | number][]) => classificationStats(classificationMetrics(r.map((x) => x[0]), r.map((x) => x[1])));
        const combined = metricsFromStats(combineStats([stats(a), stats(b)])) as WindowClassificationMetrics;
        const all = [...a, ...b];
        const expected = classificationMetrics(all.map((x) => x[0]), all.map((x) => x[1]));
        close(combined.accuracy, expected.accuracy);
        close(combined.precision, expected.precision);
        close(combined.recall, expected.recall);
        close(combined.f1, expected.f1);
        expect(combined.averaging).toBe(expected.averaging);
        expect(combined.confusionMatrix).toEqual(expected.confusionMatrix);
      }),
      { numRuns: 1000 },
    );
  });

  it("weights batch AUCs by rows and keeps log loss exact", () => {
    const m1 = classificationMetrics([0, 1, 1, 0], null, [0.2, 0.8, 0.6, 0.7]);
    const m2 = classificationMetrics([1, 0], null, [0.9, 0.1]);
    const combined = metricsFromStats(combineStats([classificationStats(m1), classificationStats(m2)])) as WindowClassificationMetrics;
    expect(combined.auc).toBeCloseTo(((m1.auc as number) * 4 + (m2.auc as number) * 2) / 6, 12);
    const all = classificationMetrics([0, 1, 1, 0, 1, 0], null, [0.2, 0.8, 0.6, 0.7, 0.9, 0.1]);
    expect(combined.logLoss).toBeCloseTo(all.logLoss as number, 12);
  });

  it("refuses to combine regression with classification", () => {
    const r = regressionStats([1], regressionMetrics([1], [1]));
    const c = classificationStats(classificationMetrics([1], [1]));
    expect(() => combineStats([r, c])).toThrow(/one task/);
    expect(() => combineStats([])).toThrow(/at least one batch/);
  });
});
