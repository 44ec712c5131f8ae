import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../lambdas/core/errors.ts";
import { classificationMetrics } from "../../../../lambdas/core/metrics/classification.ts";
import { logLoss } from "../../../../lambdas/core/metrics/log-loss.ts";
import { regressionMetrics } from "../../../../lambdas/core/metrics/regression.ts";
import { rocAuc } from "../../../../lambdas/core/metrics/roc-auc.ts";
import { metricTrend } from "../../../../lambdas/core/metrics/trend.ts";
import { loadReference, relativeError } from "../fixture-data.ts";

const ref = loadReference();

describe("regressionMetrics (scikit-learn definitions, numpy reference)", () => {
  it.each((ref.regression as { actual: number[]; predicted: number[]; expected: Record<string, number | null> }[]).map(
    (c, i) => [i, c] as const,
  ))("case %i", (_i, c) => {
    // Act
    const m = regressionMetrics(c.actual, c.predicted);
    // Assess
    for (const key of ["rmse", "mae", "mape", "r2"] as const) {
      const expected = c.expected[key];
      if (expected === null) expect(m[key]).toBeNull();
      else expect(Math.abs((m[key] as number) - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
    }
    expect(m.mapeExcluded).toBe(c.expected.mapeExcluded);
    expect(m.count).toBe(c.expected.count);
  });

  it("throws on empty or mismatched input", () => {
    expect(() => regressionMetrics([], [])).toThrow("regressionMetrics requires at least one row");
    expect(() => regressionMetrics([1], [1, 2])).toThrow(ValidationError);
    expect(() => regressionMetrics([NaN], [1])).toThrow(ValidationError);
  });
});

describe("classificationMetrics (scikit-learn definitions, numpy reference)", () => {
  interface Case {
    name: string;
    actual: (string | number)[];
    predicted: (string | number)[] | null;
    scores: number[] | null;
    expected: Record<string, unknown> & { auc?: number; logLoss?: number };
  }
  it.each((ref.classification as Case[]).map((c) => [c.name, c] as const))("%s", (_n, c) => {
    // Act
    const m = classificationMetrics(c.actual, c.predicted, c.scores ?? undefined);
    // Assess
    for (const key of ["accuracy", "precision", "recall", "f1"] as const) {
      expect(m[key]).toBeCloseTo(c.expected[key] as number, 14);
    }
    expect(m.confusionMatrix).toEqual(c.expected.confusionMatrix);
    expect(m.averaging).toBe(c.expected.averaging);
    expect(m.count).toBe(c.expected.count);
    if (c.expected.auc !== undefined) expect(m.auc).toBeCloseTo(c.expected.auc, 12);
    if (c.expected.logLoss !== undefined) expect(relativeError(m.logLoss as number, c.expected.logLoss)).toBeLessThanOrEqual(1e-12);
  });

  it("omits AUC when only one class is present and rejects scores for multiclass", () => {
    expect(classificationMetrics([1, 1], null, [0.2, 0.9]).auc).toBeUndefined();
    expect(() => classificationMetrics(["a", "b"], ["a", "c"], [0.1, 0.2])).toThrow(ValidationError);
    expect(() => classificationMetrics([1], null)).toThrow("classificationMetrics requires predicted labels or scores");
  });

  it("rocAuc averages tied scores (sklearn.metrics.roc_auc_score([0,1,0,1],[0.5,0.5,0.2,0.9]) = 0.875)", () => {
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9])).toBe(0.875);
    expect(() => rocAuc([1, 1], [0.1, 0.2])).toThrow("rocAuc requires both classes to be present");
  });

  it("logLoss clips at 1e-15: a confident miss costs −ln(1e-15)", () => {
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 12);
    expect(() => logLoss([2], [0.5])).toThrow(ValidationError);
  });
});

describe("metricTrend = scipy.stats.linregress(t, value)", () => {
  it.each((ref.trend as { points: { t: number; value: number }[]; slope: number; intercept: number; pValue: number }[]).map(
    (c, i) => [i, c] as const,
  ))("case %i", (_i, c) => {
    // Act
    const trend = metricTrend(c.points, "lower");
    // Assess
    expect(relativeError(trend.slope, c.slope)).toBeLessThanOrEqual(1e-10);
    expect(Math.abs(trend.intercept - c.intercept)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(c.intercept)));
    expect(relativeError(trend.pValue, c.pValue)).toBeLessThanOrEqual(1e-8);
    expect(trend.n).toBe(c.points.length);
  });

  it("names the direction by which side is better", () => {
    // Prepare: accuracy falling steadily
    const points = [0.9, 0.8, 0.7, 0.61, 0.5].map((value, t) => ({ t, value }));
    // Act / Assess
    expect(metricTrend(points, "higher").direction).toBe("degrading");
    expect(metricTrend(points, "lower").direction).toBe("improving");
    expect(metricTrend(points.slice(0, 2), "lower").direction).toBe("flat");
    expect(metricTrend([1, 1, 1].map((value, t) => ({ t, value })), "lower")).toMatchObject({ slope: 0, pValue: 1, direction: "flat" });
  });

  it("throws on fewer than two points or identical times", () => {
    expect(() => metricTrend([{ t: 1, value: 1 }], "lower")).toThrow("metricTrend requires at least two points");
    expect(() => metricTrend([{ t: 1, value: 1 }, { t: 1, value: 2 }], "lower")).toThrow(ValidationError);
  });
});
