import { describe, expect, it } from "vitest";
import { compareWithBaseline, pairsOf } from "../../../../lambdas/drift/check.js";
import { ColumnCollector } from "../../../../lambdas/drift/columns.js";
import { loadRecords } from "../../../../lambdas/drift/ingest.js";
import { type MonitorConstraints, defaultMonitoringThresholds, suggestConstraints } from "../../../../lambdas/drift/model-monitor/constraints.js";
import { profileFromModelMonitor } from "../../../../lambdas/drift/model-monitor/import.js";
import { categoricalLInfinity, countByCheckType, evaluateConstraints, robustDistance } from "../../../../lambdas/drift/model-monitor/violations.js";
import { type BaselineProfile, buildProfile, profileKinds } from "../../../../lambdas/drift/profile.js";
import statistics from "../../../fixtures/model-monitor/statistics.json" with { type: "json" };
import constraints from "../../../fixtures/model-monitor/constraints.json" with { type: "json" };

const meta = { model: "m", baselineId: "20250101T000000000Z-abcdef", createdAt: "2025-01-01T00:00:00.000Z" };

function baseline(): BaselineProfile {
  // 300 rows: n ∈ 0…99 three times (Integral), f fractional, c in {a, b, c}, every value present.
  const records = Array.from({ length: 300 }, (_, i) => ({ n: i % 100, f: (i % 100) + 0.5, c: ["a", "b", "c"][i % 3] }));
  const collector = new ColumnCollector({ categorical: ["c"] });
  collector.addRecords(records);
  return buildProfile(collector.finish(), { ...meta, rows: collector.rows, source: { kind: "inline" } });
}

function violationsOf(profile: BaselineProfile, records: Record<string, unknown>[], c: MonitorConstraints = profile.modelMonitor?.constraints ?? suggestConstraints(profile)) {
  const data = loadRecords(records, { kinds: profileKinds(profile), onlyKnown: true });
  const report = compareWithBaseline(profile, data);
  const invalid: Record<string, number> = {};
  for (const [name, col] of data.columns) if (col.invalid > 0) invalid[name] = col.invalid;
  return evaluateConstraints(c, pairsOf(profile, data), report, { invalid, unexpectedFeatures: report.unexpectedFeatures });
}

const same = () => Array.from({ length: 300 }, (_, i) => ({ n: i % 100, f: (i % 100) + 0.5, c: ["a", "b", "c"][i % 3] }));

describe("Model Monitor constraint checks", () => {
  it("finds nothing when the current data is the baseline", () => {
    expect(violationsOf(baseline(), same())).toEqual([]);
  });

  it("data_type_check: fractional values in an Integral feature beyond datatype_check_threshold", () => {
    const rows = same().map((r, i) => (i < 60 ? { ...r, n: r.n + 0.25 } : r));
    const v = violationsOf(baseline(), rows).filter((x) => x.constraint_check_type === "data_type_check");
    expect(v).toHaveLength(1);
    expect(v[0].feature_name).toBe("n");
    expect(v[0].description).toContain("80.00% of the present values are Integral");
    // 20 of 300 (6.7%) stays under the 10% threshold.
    expect(violationsOf(baseline(), same().map((r, i) => (i < 20 ? { ...r, n: r.n + 0.25 } : r))).filter((x) => x.constraint_check_type === "data_type_check")).toEqual([]);
  });

  it("data_type_check: text in a numerical feature counts against its type", () => {
    const rows = same().map((r, i) => (i < 45 ? { ...r, f: "n/a" } : r));
    const v = violationsOf(baseline(), rows).filter((x) => x.constraint_check_type === "data_type_check");
    expect(v.map((x) => x.feature_name)).toEqual(["f"]);
  });

  it("completeness_check: a feature less complete than its constraint", () => {
    const rows = same().map((r, i) => (i % 10 === 0 ? { ...r, c: null } : r));
    const v = violationsOf(baseline(), rows).filter((x) => x.constraint_check_type === "completeness_check");
    expect(v).toEqual([{ feature_name: "c", constraint_check_type: "completeness_check", description: "Data completeness requirement is not met. Expected: at least 100.00% of the values present. Observed: 90.00%." }]);
  });

  it("baseline_drift_check: the L∞ distance beyond comparison_threshold, Robust subtracting the KS critical value", () => {
    const shifted = same().map((r) => ({ ...r, n: Math.min(99, r.n + 40), f: Math.min(99.5, r.f + 40) }));
    const v = violationsOf(baseline(), shifted).filter((x) => x.constraint_check_type === "baseline_drift_check");
    expect(v.map((x) => x.feature_name).sort()).toEqual(["f", "n"]);
    // D = 0.15 at n = m = 300: robust = 0.15 − 1.8·√(2/300) = 0.003 ≤ 0.1 → no violation with Robust…
    const small = same().map((r) => ({ ...r, n: Math.min(99, r.n + 15), f: Math.min(99.5, r.f + 15) }));
    const robust = violationsOf(baseline(), small).filter((x) => x.constraint_check_type === "baseline_drift_check");
    expect(robust).toEqual([]);
    // …but Simple reads D = 0.15 > 0.1 directly.
    const simple = { ...suggestConstraints(baseline()), thresholds: { ...defaultMonitoringThresholds, comparisonMethod: "Simple" as const } };
    expect(violationsOf(baseline(), small, simple).filter((x) => x.constraint_check_type === "baseline_drift_check").map((x) => x.feature_name).sort()).toEqual(["f", "n"]);
  });

  it("baseline_drift_check honours perform_comparison Disabled and per-feature overrides", () => {
    const shifted = same().map((r) => ({ ...r, n: Math.min(99, r.n + 40), f: Math.min(99.5, r.f + 40) }));
    const base = suggestConstraints(baseline());
    const off = { ...base, thresholds: { ...base.thresholds, performComparison: false } };
    expect(violationsOf(baseline(), shifted, off).filter((x) => x.constraint_check_type === "baseline_drift_check")).toEqual([]);
    const lenient = { ...base, features: base.features.map((f) => (f.name === "n" ? { ...f, overrides: { comparisonThreshold: 0.9 } } : f)) };
    expect(violationsOf(baseline(), shifted, lenient).filter((x) => x.constraint_check_type === "baseline_drift_check").map((x) => x.feature_name)).toEqual(["f"]);
  });

  it("categorical L∞ and the robust distance follow Deequ's formulas", () => {
    const { distance, n, m } = categoricalLInfinity({ a: 50, b: 50 }, { a: 80, b: 20 });
    expect(distance).toBeCloseTo(0.3, 12);
    expect(robustDistance(distance, n, m)).toBeCloseTo(0.3 - 1.8 * Math.sqrt(200 / 10_000), 12);
    expect(robustDistance(0.01, 100, 100)).toBe(0);
  });

  it("categorical_values_check: values outside the domain beyond domain_content_threshold", () => {
    const rows = same().map((r, i) => (i % 5 === 0 ? { ...r, c: "zzz" } : r));
    const v = violationsOf(baseline(), rows).filter((x) => x.constraint_check_type === "categorical_values_check");
    expect(v.map((x) => x.feature_name)).toEqual(["c"]);
    expect(v[0].description).toContain("Observed: 20.00%");
  });

  it("missing_column_check and extra_column_check: one per column", () => {
    const rows = same().map(({ n, c }) => ({ n, c, extra: 1 }));
    const v = violationsOf(baseline(), rows);
    expect(v.filter((x) => x.constraint_check_type === "missing_column_check").map((x) => x.feature_name)).toEqual(["f"]);
    expect(v.filter((x) => x.constraint_check_type === "extra_column_check").map((x) => x.feature_name)).toEqual(["extra"]);
    expect(countByCheckType(v)).toMatchObject({ missing_column_check: 1, extra_column_check: 1, data_type_check: 0 });
  });

  it("evaluate_constraints Disabled reports nothing", () => {
    const base = suggestConstraints(baseline());
    expect(violationsOf(baseline(), same().map(({ n }) => ({ n })), { ...base, evaluateConstraints: false })).toEqual([]);
  });

  it("evaluates an imported constraints.json against the imported statistics", () => {
    const { profile } = profileFromModelMonitor({ statistics, constraints }, meta);
    const rows = Array.from({ length: 400 }, (_, i) => ({ age: -5 + (i % 3), income: 20000 + i, plan: i % 4 === 0 ? "enterprise" : "basic" }));
    const types = new Set(violationsOf(profile, rows).map((x) => `${x.feature_name}:${x.constraint_check_type}`));
    expect(types).toContain("age:baseline_drift_check");
    expect(types).toContain("plan:categorical_values_check");
    expect(types).toContain("plan:baseline_drift_check");
  });
});
