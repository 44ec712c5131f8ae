import { describe, expect, it } from "vitest";
import { metricRangeProblem } from "../../../../lambdas/core/performance/metric-ranges.js";
import { canonicalMetric } from "../../../../lambdas/core/performance/metric-names.js";

describe("metricRangeProblem", () => {
  it("errors and losses must be 0 or more, whatever the spelling or split", () => {
    for (const name of ["rmse", "validation:rmse", "MSE", "val_mae", "test/logLoss", "mean_absolute_percentage_error", "train.cross-entropy"]) {
      expect(metricRangeProblem(name, -0.001), name).toMatch(/0 or more/);
      expect(metricRangeProblem(name, 0), name).toBeUndefined();
      expect(metricRangeProblem(name, 1e6), name).toBeUndefined();
    }
  });

  it("rates and areas lie in [0, 1]; R² is at most 1", () => {
    for (const name of ["auc", "validation:auc", "Accuracy", "precision", "recall", "F1-Score", "roc_auc"]) {
      expect(metricRangeProblem(name, 1.0001), name).toMatch(/between 0 and 1/);
      expect(metricRangeProblem(name, -0.1), name).toMatch(/between 0 and 1/);
      expect(metricRangeProblem(name, 0), name).toBeUndefined();
      expect(metricRangeProblem(name, 1), name).toBeUndefined();
    }
    expect(metricRangeProblem("r2", 1.01)).toMatch(/at most 1/);
    expect(metricRangeProblem("r2_score", -100)).toBeUndefined();
  });

  it("leaves names it does not know free, including prototype member names", () => {
    for (const name of ["custom", "constructor", "toString", "throughput", "loss_weight"]) expect(metricRangeProblem(name, -5), name).toBeUndefined();
  });

  it("canonicalMetric does not find Object's members", () => {
    for (const name of ["constructor", "toString", "valueOf", "hasOwnProperty", "__proto__"]) expect(canonicalMetric(name), name).toBeUndefined();
  });
});
