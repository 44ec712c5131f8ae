import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import { regressionMetrics } from "../../../../lambdas/core/metrics/regression.js";
import { loadReference } from "../fixture-data.js";

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

