import { describe, expect, it } from "vitest";
import { evaluatePolicyGates, gateDirection, retentionVictims, type MetricLookup } from "../../../../lambdas/core/lifecycle/policy.js";
import { liveMetrics } from "../../../../lambdas/core/performance/live-metrics.js";
import { classificationStats } from "../../../../lambdas/core/performance/sufficient-stats.js";
import { classificationMetrics } from "../../../../lambdas/core/metrics/classification.js";
import { fairnessStats } from "../../../../lambdas/core/performance/fairness.js";

const lookup = (registered: Record<string, number>, live: Record<string, number> = {}): MetricLookup => (m) =>
  m in registered ? { value: registered[m], source: "registered" } : m in live ? { value: live[m], source: "live" } : undefined;
const primary = { metric: "auc", direction: "higher" as const };

describe("evaluatePolicyGates", () => {
  it("evaluates every gate and lists each failed one with its value and rule", () => {
    // Act
    const r = evaluatePolicyGates(
      [{ metric: "auc", min: 0.85 }, { metric: "latencyP95Ms", max: 100 }, { metric: "disparateImpact", min: 0.8, max: 1.25 }, { metric: "auc", notWorseThanProduction: true }, { metric: "f1", min: 0.1 }],
      { version: "1.1.0", lookup: lookup({ auc: 0.8 }, { latencyP95Ms: 130, disparateImpact: 1.3 }) },
      { version: "1.0.0", lookup: lookup({ auc: 0.82 }) },
      primary,
    );
    // Assess
    expect(r.passed).toBe(false);
    expect(r.failed).toEqual([
      { metric: "auc", value: 0.8, rule: "min 0.85" },
      { metric: "latencyP95Ms", value: 130, rule: "max 100" },
      { metric: "disparateImpact", value: 1.3, rule: "max 1.25" },
      { metric: "auc", value: 0.8, rule: "notWorseThanProduction" },
      { metric: "f1", value: null, rule: "min 0.1" },
    ]);
    expect(r.checks.map((c) => c.source)).toEqual(["registered", "live", "live", "registered", null]);
  });

  it("passes bounds that hold exactly and notWorseThanProduction without a production value, in the metric's own direction", () => {
    // Act
    const r = evaluatePolicyGates(
      [{ metric: "auc", min: 0.85, max: 0.85 }, { metric: "latencyP95Ms", notWorseThanProduction: true }, { metric: "rmse", notWorseThanProduction: true }],
      { version: "2.0.0", lookup: lookup({ auc: 0.85, latencyP95Ms: 40, rmse: 1 }) },
      { version: "1.0.0", lookup: lookup({ latencyP95Ms: 50 }) },
      primary,
    );
    const worse = evaluatePolicyGates([{ metric: "latencyP95Ms", notWorseThanProduction: true }], { version: "2.0.0", lookup: lookup({ latencyP95Ms: 60 }) }, { version: "1.0.0", lookup: lookup({ latencyP95Ms: 50 }) }, primary);
    // Assess
    expect(r.passed).toBe(true);
    expect(worse.failed).toEqual([{ metric: "latencyP95Ms", value: 60, rule: "notWorseThanProduction" }]);
  });

  it("knows directions of quality and live metrics, the model's for its primary metric, and none for others", () => {
    expect(gateDirection({ metric: "rmse", notWorseThanProduction: true }, "auc", "higher")).toBe("lower");
    expect(gateDirection({ metric: "tprGap", notWorseThanProduction: true }, "auc", "higher")).toBe("lower");
    expect(gateDirection({ metric: "validation:loss", notWorseThanProduction: true }, "validation:loss", "lower")).toBe("lower");
    expect(gateDirection({ metric: "custom", notWorseThanProduction: true }, "auc", "higher")).toBeUndefined();
    expect(gateDirection({ metric: "custom", notWorseThanProduction: true, direction: "higher" }, "auc", "lower")).toBe("higher");
  });
});

describe("retentionVictims", () => {
  it("archives development and staging versions beyond the newest N, never production, archived or aliased ones", () => {
    const versions = [
      { version: "1.5.0", stage: "development" as const, aliases: [] },
      { version: "1.4.0", stage: "staging" as const, aliases: [] },
      { version: "1.3.0", stage: "staging" as const, aliases: [] },
      { version: "1.2.0", stage: "development" as const, aliases: ["challenger"] },
      { version: "1.1.0", stage: "production" as const, aliases: [] },
      { version: "1.0.0", stage: "archived" as const, aliases: [] },
      { version: "0.9.0", stage: "development" as const, aliases: [] },
    ];
    expect(retentionVictims(versions, 2)).toEqual(["1.3.0", "0.9.0"]);
    expect(retentionVictims(versions, 10)).toEqual([]);
  });
});

describe("liveMetrics", () => {
  it("names the window's quality, fairness and latency metrics", () => {
    // Prepare
    const predicted = [1, 0, 1, 1];
    const actual = [1, 0, 0, 1];
    const stats = classificationStats(classificationMetrics(actual, predicted));
    // Act
    const m = liveMetrics([{ stats, fairness: fairnessStats(["a", "a", "b", "b"], predicted, actual), latency: null }]);
    // Assess
    expect(m.get("accuracy")).toBe(0.75);
    expect(m.get("disparateImpact")).toBe(0.5);
    expect(m.has("latencyP95Ms")).toBe(false);
  });
});
