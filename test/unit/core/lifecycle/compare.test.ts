import { describe, expect, it } from "vitest";
import { compareVersionMetrics } from "../../../../lambdas/core/lifecycle/compare.js";

describe("compareVersionMetrics", () => {
  it("gives deltas against the first version and the best on the primary metric", () => {
    const result = compareVersionMetrics(
      [
        { version: "1.0.0", metrics: { rmse: 2, mae: 0 } },
        { version: "1.1.0", metrics: { rmse: 1.5, mae: 1 } },
        { version: "1.2.0", metrics: { rmse: 1.5 } },
      ],
      "rmse",
      "lower",
    );
    expect(result.best).toEqual({ version: "1.1.0", value: 1.5 });
    expect(result.metrics.map((m) => m.name)).toEqual(["rmse", "mae"]);
    expect(result.metrics[0].deltas["1.1.0"]).toEqual({ absolute: -0.5, relative: -0.25 });
    expect(result.metrics[1].deltas["1.1.0"]).toEqual({ absolute: 1, relative: null });
    expect(result.metrics[1].deltas["1.2.0"]).toEqual({ absolute: null, relative: null });
  });

  it("requires two versions", () => {
    expect(() => compareVersionMetrics([{ version: "1.0.0", metrics: {} }], "auc", "higher")).toThrow("at least two versions");
  });
});
