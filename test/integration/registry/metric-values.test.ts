/** Registered metrics whose name fixes their meaning are checked: errors ≥ 0, rates in [0, 1], R² ≤ 1. */
import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { register } from "./helpers.js";

describe("registered metric values", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("metric-values");
  });

  it("refuses impossible values by name, naming the metric and the rule, and registers nothing", async () => {
    for (const [metrics, pattern] of [
      [{ rmse: -0.1 }, /body\.metrics\.rmse: -0\.1 is impossible: rmse is an error or loss: must be 0 or more/],
      [{ "validation:logLoss": -2 }, /validation:logLoss.*0 or more/],
      [{ "test:accuracy": 1.01 }, /between 0 and 1/],
      [{ f1_score: -0.5 }, /between 0 and 1/],
      [{ "r2-score": 1.2 }, /at most 1/],
    ] as const) {
      const res = await register(stack, "impossible", { metrics });
      expect(res.status, JSON.stringify(metrics)).toBe(400);
      expect(res.body.error.message).toMatch(pattern);
    }
    expect((await stack.call("GET", "/models/impossible")).status).toBe(404);
  });

  it("accepts values at the bounds and any value of a metric whose meaning is not fixed", async () => {
    const res = await register(stack, "possible", { metrics: { rmse: 0, auc: 1, accuracy: 0, r2: -4.5, custom_score: -7, "val:mae": 3.2 } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});
