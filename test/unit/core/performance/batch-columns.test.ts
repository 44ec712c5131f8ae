import { describe, expect, it } from "vitest";
import { checkBatchColumns } from "../../../../lambdas/core/performance/batch-columns.js";

describe("checkBatchColumns", () => {
  it("names lengths that differ", () => {
    expect(() => checkBatchColumns("regression", [1, 2, 3], [1, 2])).toThrow("predictions has 3 rows but actuals has 2");
    expect(() => checkBatchColumns("classification", [1, 0], [1, 0], [0.5])).toThrow("predictions has 2 rows but scores has 1");
  });

  it("names non-finite and non-numeric regression values with their index", () => {
    expect(() => checkBatchColumns("regression", [1, null, "3"], [1, 2, 3])).toThrow(
      'predictions[1] = null is not a finite number (task regression); predictions[2] = "3" is not a finite number (task regression)',
    );
  });

  it("refuses fractional labels for classification and points to scores", () => {
    expect(() => checkBatchColumns("classification", [0.7, 1], [1, 0])).toThrow(/predictions\[0\] = 0.7 is not a class label .*send probabilities as scores/);
  });

  it("refuses scores outside [0, 1] and scores for more than two classes", () => {
    expect(() => checkBatchColumns("classification", [1, 0], [1, 0], [0.5, 1.2])).toThrow("scores[1] = 1.2 is not a probability in [0, 1]");
    expect(() => checkBatchColumns("classification", ["a", "b"], ["a", "b"], [0.5, 0.2])).toThrow(/accepted only for binary 0\/1 labels .*found label\(s\) a, b/);
    expect(() => checkBatchColumns("regression", [1], [1], [0.5])).toThrow(/only accepted for task classification/);
  });

  it("refuses regression values beyond ±1e50", () => {
    expect(() => checkBatchColumns("regression", [1e51], [1])).toThrow("predictions[0] = 1e+51 is beyond ±1e50, the largest value tracked (rescale the target)");
  });

  it("caps the listed problems at five", () => {
    expect(() => checkBatchColumns("regression", new Array(8).fill(null), new Array(8).fill(1))).toThrow(/and 3 more problems$/);
  });

  it("converts booleans to 0/1 labels and keeps strings", () => {
    const c = checkBatchColumns("classification", [true, false, "x"], [1, 0, "x"]);
    expect(c.task === "classification" && c.predicted).toEqual([1, 0, "x"]);
  });
});
