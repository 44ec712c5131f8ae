import { describe, expect, it } from "vitest";
import { canonicalBaseline, canonicalMetric } from "../../../../lambdas/core/performance/metric-names.js";

describe("canonicalMetric", () => {
  it.each([
    ["rmse", "rmse", ""],
    ["validation:rmse", "rmse", "validation"],
    ["test_accuracy", "accuracy", "test"],
    ["R2_score", "r2", ""],
    ["F1-Score", "f1", ""],
    ["val/roc_auc", "auc", "val"],
    ["log_loss", "logLoss", ""],
  ])("maps %s to %s", (name, metric, split) => {
    expect(canonicalMetric(name)).toEqual({ metric, split });
  });
  it("ignores unknown names", () => {
    expect(canonicalMetric("latency_ms")).toBeUndefined();
  });
});

describe("canonicalBaseline", () => {
  it("prefers unprefixed, then validation, then test, then train", () => {
    const b = canonicalBaseline({ "train:rmse": 0.5, "validation:rmse": 0.8, "test:rmse": 0.9, r2_score: 0.93, "test:accuracy": 0.7, "train:accuracy": 0.99 });
    expect(b.values).toEqual({ rmse: 0.8, r2: 0.93, accuracy: 0.7 });
    expect(b.sourceNames).toEqual({ rmse: "validation:rmse", r2: "r2_score", accuracy: "test:accuracy" });
  });
});
