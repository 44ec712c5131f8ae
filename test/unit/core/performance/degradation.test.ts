import { describe, expect, it } from "vitest";
import { evaluateDegradation, performanceDrift } from "../../../../lambdas/core/performance/degradation.js";
import { defaultPerformanceThresholds, mergeThresholds } from "../../../../lambdas/core/performance/thresholds.js";

const t = defaultPerformanceThresholds;

describe("evaluateDegradation with the default thresholds", () => {
  it("flags RMSE up more than 10 % and not up 9 %", () => {
    const bad = evaluateDegradation("regression", { rmse: 1.11, mae: 0.5, r2: 0.95 }, { rmse: 1, mae: 0.5 }, t, 100);
    expect(bad.degraded).toBe(true);
    expect(bad.findings.map((f) => f.metric)).toEqual(["rmse"]);
    expect(bad.findings[0].change).toBeCloseTo(11, 9);
    expect(bad.findings[0].message).toBe("rmse rose 11.0 % (1 → 1.11; threshold +10 %)");
    expect(bad.severity).toBe("moderate");
    const ok = evaluateDegradation("regression", { rmse: 1.09, mae: 0.5, r2: 0.95 }, { rmse: 1, mae: 0.5 }, t, 100);
    expect(ok).toMatchObject({ checked: true, degraded: false, severity: "none" });
  });

  it("flags MAE and R² below 0.9, high severity from twice the threshold", () => {
    const r = evaluateDegradation("regression", { rmse: 1, mae: 0.7, r2: 0.75 }, { rmse: 1, mae: 0.5, r2: 0.95 }, t, 100);
    expect(r.findings.map((f) => [f.metric, f.severity])).toEqual([
      ["mae", "high"],
      ["r2", "high"],
    ]);
    expect(r.findings[1].message).toBe("r2 is 0.75, below the floor 0.9 (baseline 0.95)");
  });

  it("applies the R² floor without a baseline", () => {
    const r = evaluateDegradation("regression", { rmse: 1, mae: 0.7, r2: 0.85 }, {}, t, 100);
    expect(r.checked).toBe(true);
    expect(r.findings.map((f) => f.metric)).toEqual(["r2"]);
  });

  it("flags accuracy or F1 down more than 5 points", () => {
    const r = evaluateDegradation("classification", { accuracy: 0.86, f1: 0.8, precision: 0.1 }, { accuracy: 0.92, f1: 0.84, precision: 0.9 }, t, 100);
    expect(r.findings.map((f) => f.metric)).toEqual(["accuracy"]);
    expect(r.findings[0].change).toBeCloseTo(6, 9);
    expect(r.findings[0].message).toBe("accuracy fell 6.0 points (0.92 → 0.86; threshold 5 points)");
  });

  it("turns a rule off with null, honours per-model overrides and minCount", () => {
    const custom = mergeThresholds({ accuracyDropPoints: null, f1DropPoints: 1 }, { minCount: 50 });
    expect(evaluateDegradation("classification", { accuracy: 0.5, f1: 0.82 }, { accuracy: 0.9, f1: 0.84 }, custom, 100).findings.map((f) => f.metric)).toEqual(["f1"]);
    expect(evaluateDegradation("classification", { accuracy: 0.5, f1: 0.5 }, { accuracy: 0.9, f1: 0.84 }, custom, 10)).toMatchObject({ checked: false, degraded: false });
  });

  it("is not checked when there is nothing to compare with", () => {
    expect(evaluateDegradation("classification", { accuracy: 0.5 }, {}, t, 10)).toMatchObject({ checked: false, degraded: false });
  });

  it("reports a rise from a perfect baseline without a relative change", () => {
    const r = evaluateDegradation("regression", { rmse: 0.1, r2: 0.99 }, { rmse: 0 }, t, 10);
    expect(r.findings[0]).toMatchObject({ metric: "rmse", change: null, severity: "high" });
  });
});

describe("mergeThresholds", () => {
  it("layers settings, undefined keeping the value below", () => {
    const m = mergeThresholds({ rmseIncreasePct: 20 }, { rmseIncreasePct: undefined, r2Min: 0.8 });
    expect(m).toMatchObject({ rmseIncreasePct: 20, r2Min: 0.8, maeIncreasePct: 10 });
  });
  it("refuses negative values and r2Min above 1", () => {
    expect(() => mergeThresholds({ rmseIncreasePct: -1 })).toThrow(/rmseIncreasePct/);
    expect(() => mergeThresholds({ r2Min: 1.5 })).toThrow(/r2Min/);
    expect(() => mergeThresholds({ highFactor: 0.5 })).toThrow(/highFactor/);
  });
});

describe("performanceDrift", () => {
  it("is the signed percent change of the primary metric and says whether it is worse", () => {
    expect(performanceDrift("rmse", { rmse: 1.25 }, { rmse: 1 })).toEqual({ metric: "rmse", baseline: 1, current: 1.25, changePct: 25, worse: true, degradationPct: 25 });
    expect(performanceDrift("accuracy", { accuracy: 0.8 }, { accuracy: 0.9 })?.degradationPct).toBeCloseTo(11.111, 3);
    expect(performanceDrift("r2", { r2: 0.95 }, { r2: 0.9 })?.degradationPct).toBeCloseTo(-5.556, 3);
    expect(performanceDrift("accuracy", { accuracy: 0.8 }, { accuracy: 0.9 })?.changePct).toBeCloseTo(-11.111, 3);
    expect(performanceDrift("accuracy", { accuracy: 0.8 }, { accuracy: 0.9 })?.worse).toBe(true);
    expect(performanceDrift("rmse", { rmse: 1 }, {})).toBeUndefined();
    expect(performanceDrift("rmse", { rmse: 1 }, { rmse: 0 })).toBeUndefined();
  });
});

describe("evaluateDegradation's reason when nothing is compared", () => {
  it("names the rule that is off when a baseline exists for the metric (auc is off by default)", () => {
    // Prepare: a classification batch with only auc in its baseline, and every rule but auc's on by default
    const current = { accuracy: 0.8, f1: 0.7, auc: 0.7 };
    // Act
    const r = evaluateDegradation("classification", current, { auc: 0.9 }, t, 100);
    // Assess
    expect(r).toMatchObject({ checked: false, degraded: false });
    expect(r.reason).toBe("no rule applies: the baseline has auc (thresholds.aucDropPoints is off); set a threshold to judge it");
  });

  it("says there is no baseline to compare with when there is none", () => {
    const r = evaluateDegradation("classification", { accuracy: 0.8, f1: 0.7, auc: 0.7 }, {}, t, 100);
    expect(r.reason).toBe("no baseline metric to compare with and no absolute rule applies");
  });

  it("judges auc once its rule is set", () => {
    const r = evaluateDegradation("classification", { accuracy: 0.8, auc: 0.7 }, { auc: 0.9 }, mergeThresholds({ aucDropPoints: 5 }), 100);
    expect(r).toMatchObject({ checked: true, degraded: true });
    expect(r.findings[0].message).toMatch(/^auc fell 20\.0 points/);
  });
});
