import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import { compareWithBaseline } from "../../../../lambdas/drift/check.js";
import { ColumnCollector } from "../../../../lambdas/drift/columns.js";
import { loadRecords } from "../../../../lambdas/drift/ingest.js";
import { constraintsToJson, parseConstraints, suggestConstraints } from "../../../../lambdas/drift/model-monitor/constraints.js";
import { profileFromModelMonitor } from "../../../../lambdas/drift/model-monitor/import.js";
import { JsonPath } from "../../../../lambdas/drift/model-monitor/read-json.js";
import { statisticsFromProfile } from "../../../../lambdas/drift/model-monitor/statistics.js";
import { type BaselineProfile, buildProfile, otherCategory, profileKinds } from "../../../../lambdas/drift/profile.js";
import { mulberry32 } from "../../../../lambdas/core/stats/seeded.js";
import statistics from "../../../fixtures/model-monitor/statistics.json" with { type: "json" };
import constraints from "../../../fixtures/model-monitor/constraints.json" with { type: "json" };

const meta = { model: "m", baselineId: "20250101T000000000Z-abcdef", createdAt: "2025-01-01T00:00:00.000Z" };
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function importFixture(stats: unknown = statistics, cons: unknown = constraints) {
  return profileFromModelMonitor({ statistics: stats, constraints: cons }, meta);
}

function normal(n: number, mean: number, sd: number, seed: number): number[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const u = 1 - rand();
    const v = rand();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  });
}

describe("importing a Model Monitor baseline", () => {
  it("builds numerical profiles from the KLL sketch and categorical ones from the buckets", () => {
    const { profile, warnings } = importFixture();

    expect(warnings).toEqual([]);
    expect(profile.source).toEqual({ kind: "model_monitor" });
    expect(profile.features).toEqual(["age", "income", "plan"]);
    expect(profileKinds(profile)).toEqual({ age: "numerical", income: "numerical", plan: "categorical" });
    const age = profile.profiles.age;
    if (age.type !== "numerical") throw new Error("numerical expected");
    const stats = statistics.features[0].numerical_statistics!;
    expect(age).toMatchObject({ count: stats.common.num_present, missing: 0, min: stats.min, max: stats.max, std: stats.std_dev });
    expect(age.sketch.exact).toBe(false);
    expect(age.sketch.rankError).toBeGreaterThan(0);
    expect(age.psi.edges).toHaveLength(9);
    const income = profile.profiles.income;
    expect(income.missing).toBe(37);
    const plan = profile.profiles.plan;
    if (plan.type !== "categorical") throw new Error("categorical expected");
    expect(Object.keys(plan.counts).sort()).toEqual(["basic", "plus", "pro"]);
    expect(plan.truncated).toBe(false);
    expect(profile.modelMonitor?.constraints.thresholds).toMatchObject({ comparisonThreshold: 0.1, comparisonMethod: "Robust", datatypeCheckThreshold: 0.1 });
  });

  it("pools values present but not listed in the categorical buckets under __other__", () => {
    const stats = clone(statistics);
    stats.features[2].string_statistics!.common.num_present += 50;
    const plan = importFixture(stats).profile.profiles.plan;
    if (plan.type !== "categorical") throw new Error("categorical expected");
    expect(plan.counts[otherCategory]).toBe(50);
    expect(plan.truncated).toBe(true);
  });

  it("renames header-less CSV columns _c0 → c0 and skips Unknown columns with a warning", () => {
    const stats = clone(statistics) as { features: Record<string, unknown>[] };
    stats.features[0].name = "_c0";
    stats.features.push({ name: "empty", inferred_type: "Unknown" });
    const cons = clone(constraints);
    cons.features[0].name = "_c0";
    const { profile, warnings } = importFixture(stats, cons);
    expect(profile.features).toEqual(["c0", "income", "plan"]);
    expect(warnings).toEqual(["empty: inferred_type Unknown (no value present in the baseline), not compared"]);
  });

  it.each([
    ["a missing sketch", (s: any) => delete s.features[0].numerical_statistics.distribution.kll.sketch, "modelMonitor.statistics.features[0].numerical_statistics.distribution.kll.sketch: is required"],
    ["a non-numeric sketch item", (s: any) => (s.features[1].numerical_statistics.distribution.kll.sketch.data[7][1] = "x"), "modelMonitor.statistics.features[1].numerical_statistics.distribution.kll.sketch.data[7][1]: must be a finite number"],
    ["a negative count", (s: any) => (s.features[2].string_statistics.distribution.categorical.buckets[1].count = -1), "modelMonitor.statistics.features[2].string_statistics.distribution.categorical.buckets[1].count: must be ≥ 0"],
    ["an unknown type", (s: any) => (s.features[0].inferred_type = "Float"), "modelMonitor.statistics.features[0].inferred_type: must be one of"],
    ["an item outside [min, max]", (s: any) => (s.features[0].numerical_statistics.distribution.kll.sketch.data[7][0] = 1e9), "modelMonitor.statistics.features[0].numerical_statistics.distribution.kll.sketch.data[7][0]: 1000000000 lies outside"],
    ["no features", (s: any) => (s.features = []), "modelMonitor.statistics.features: must describe at least one feature"],
    ["a bad feature name", (s: any) => (s.features[0].name = "a b"), "modelMonitor.statistics.features[0].name: feature name"],
    ["buckets counting more than present", (s: any) => (s.features[2].string_statistics.common.num_present = 3), "modelMonitor.statistics.features[2].string_statistics.common.num_present: is 3, fewer than"],
  ])("refuses statistics with %s, naming the JSON path", (_what, spoil, message) => {
    const stats = clone(statistics);
    spoil(stats);
    expect(() => importFixture(stats)).toThrow(ValidationError);
    expect(() => importFixture(stats)).toThrow(message);
  });

  it.each([
    ["a completeness above 1", (c: any) => (c.features[0].completeness = 1.5), "modelMonitor.constraints.features[0].completeness: must be ≤ 1"],
    ["a non-boolean is_non_negative", (c: any) => (c.features[0].num_constraints.is_non_negative = "yes"), "modelMonitor.constraints.features[0].num_constraints.is_non_negative: must be true or false"],
    ["an unknown comparison method", (c: any) => (c.monitoring_config.distribution_constraints.comparison_method = "Fancy"), "modelMonitor.constraints.monitoring_config.distribution_constraints.comparison_method: must be one of"],
    ["a non-string domain value", (c: any) => (c.features[2].string_constraints.domains[0] = 3), "modelMonitor.constraints.features[2].string_constraints.domains[0]: must be a string"],
    ["no features array", (c: any) => delete c.features, "modelMonitor.constraints.features: is required"],
  ])("refuses constraints with %s, naming the JSON path", (_what, spoil, message) => {
    const cons = clone(constraints);
    spoil(cons);
    expect(() => importFixture(statistics, cons)).toThrow(message);
  });

  it("reads linf_simple and the guide's misspelt comparion_method key", () => {
    const c = parseConstraints({ features: [], monitoring_config: { distribution_constraints: { comparion_method: "linf_simple", comparison_threshold: 0.2 } } }, new JsonPath("c"));
    expect(c.thresholds).toMatchObject({ comparisonMethod: "Simple", comparisonThreshold: 0.2, categoricalComparisonThreshold: 0.2 });
  });
});

describe("exporting a baseline in Model Monitor's format", () => {
  function nativeProfile(n: number): BaselineProfile {
    const x = normal(n, 10, 2, 7);
    const records = x.map((v, i) => ({ x: i % 50 === 0 ? null : v, k: Math.round(v), c: ["a", "b", "c"][i % 3] }));
    const collector = new ColumnCollector({ categorical: ["c"] });
    collector.addRecords(records);
    return buildProfile(collector.finish(), { ...meta, rows: collector.rows, source: { kind: "inline" } });
  }

  it("writes statistics.json with a KLL sketch, 10 buckets and categorical counts", () => {
    const profile = nativeProfile(500);
    const doc = statisticsFromProfile(profile) as any;
    const x = doc.features.find((f: any) => f.name === "x");
    expect(x.inferred_type).toBe("Fractional");
    expect(doc.features.find((f: any) => f.name === "k").inferred_type).toBe("Integral");
    expect(x.numerical_statistics.common).toEqual({ num_present: 490, num_missing: 10 });
    expect(x.numerical_statistics.distribution.kll.buckets).toHaveLength(10);
    expect(x.numerical_statistics.distribution.kll.buckets.reduce((s: number, b: any) => s + b.count, 0)).toBe(490);
    expect(x.numerical_statistics.distribution.kll.sketch.data[0]).toHaveLength(490);
    const c = doc.features.find((f: any) => f.name === "c");
    expect(c.string_statistics.distribution.categorical.buckets.map((b: any) => b.value).sort()).toEqual(["a", "b", "c"]);
  });

  it("suggests constraints the way Model Monitor's baselining job does", () => {
    const doc = constraintsToJson(suggestConstraints(nativeProfile(500))) as any;
    expect(doc.features.find((f: any) => f.name === "x")).toEqual({ name: "x", inferred_type: "Fractional", completeness: 0.98, num_constraints: { is_non_negative: true } });
    expect(doc.features.find((f: any) => f.name === "c").string_constraints).toEqual({ domains: ["a", "b", "c"] });
    expect(doc.monitoring_config).toMatchObject({ evaluate_constraints: "Enabled", emit_metrics: "Enabled", datatype_check_threshold: 0.1, distribution_constraints: { comparison_threshold: 0.1, comparison_method: "Robust" } });
  });

  it.each([
    ["an exact baseline", 500],
    ["a sketched baseline", 30_000],
  ])("imports an exported pair of %s back to the same decisions", (_what, n) => {
    const original = nativeProfile(n);
    const exported = { statistics: JSON.parse(JSON.stringify(statisticsFromProfile(original))), constraints: JSON.parse(JSON.stringify(constraintsToJson(suggestConstraints(original)))) };
    const { profile: imported } = profileFromModelMonitor(exported, meta);

    expect(imported.profiles.x).toEqual(original.profiles.x);
    const decisions: boolean[] = [];
    for (const [shift, seed] of [[0, 11], [0.3, 12], [1.5, 13]]) {
      const current = loadRecords(normal(800, 10 + shift, 2, seed).map((v, i) => ({ x: v, k: Math.round(v), c: ["a", "b", "c"][i % (shift > 1 ? 2 : 3)] })), { kinds: profileKinds(original), onlyKnown: true });
      const a = compareWithBaseline(original, current);
      const b = compareWithBaseline(imported, current);
      expect(b.driftDetected).toBe(a.driftDetected);
      decisions.push(a.driftDetected);
      for (const name of ["x", "k", "c"]) {
        expect(b.features[name].driftDetected).toBe(a.features[name].driftDetected);
        expect(b.features[name].tests.ks?.pValue).toBe(a.features[name].tests.ks?.pValue);
      }
    }
    // Both verdicts occur, so agreement is not agreement on a constant.
    expect(decisions).toContain(true);
    expect(decisions).toContain(false);
  });
});
