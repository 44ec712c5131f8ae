import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import { classificationMetrics } from "../../../../lambdas/core/metrics/classification.js";
import { logLoss } from "../../../../lambdas/core/metrics/log-loss.js";
import { rocAuc } from "../../../../lambdas/core/metrics/roc-auc.js";
import { loadReference, relativeError } from "../fixture-data.js";

const ref = loadReference();

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

