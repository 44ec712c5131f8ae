import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import { checkGroups, combineFairness, fairnessFromStats, fairnessStats, mergedGroupsWarning } from "../../../../lambdas/core/performance/fairness.js";
import { generate, loadReference, type DataSpec } from "../fixture-data.js";

const ref = loadReference();

interface Case {
  name: string;
  groups?: string[];
  predicted?: number[];
  actual?: number[];
  generated?: { groups: DataSpec; predicted: DataSpec; actual: DataSpec };
  selectionRates: Record<string, number>;
  disparateImpact: number;
  truePositiveRates: Record<string, number>;
  tprGap: number;
}

/** The rows of a case, regenerated from its specs as test/fixtures/generate_reference.py builds them. */
function rowsOf(c: Case): { groups: string[]; predicted: number[]; actual: number[] } {
  if (!c.generated) return { groups: c.groups!, predicted: c.predicted!, actual: c.actual! };
  const u = generate(c.generated.groups);
  const v = generate(c.generated.predicted);
  const w = generate(c.generated.actual);
  const rate: Record<string, number> = { g0: 0.5, g1: 0.4, g2: 0.3 };
  const groups = Array.from(u, (x) => `g${Math.floor(x * 3)}`);
  const predicted = groups.map((g, i) => (v[i] < rate[g] ? 1 : 0));
  const actual = predicted.map((p, i) => (w[i] < 0.8 ? p : 1 - p));
  return { groups, predicted, actual };
}

describe("fairness (numpy reference: per-group selection and true-positive rates)", () => {
  it.each((ref.fairness as Case[]).map((c) => [c.name, c] as const))("%s", (_n, c) => {
    // Prepare
    const rows = rowsOf(c);
    // Act
    const f = fairnessFromStats(fairnessStats(rows.groups, rows.predicted, rows.actual));
    // Assess
    expect(Object.keys(f.selectionRates).sort()).toEqual(Object.keys(c.selectionRates).sort());
    for (const [g, rate] of Object.entries(c.selectionRates)) expect(f.selectionRates[g]).toBeCloseTo(rate, 14);
    for (const [g, rate] of Object.entries(c.truePositiveRates)) expect(f.truePositiveRates[g]).toBeCloseTo(rate, 14);
    expect(f.disparateImpact).toBeCloseTo(c.disparateImpact, 14);
    expect(f.tprGap).toBeCloseTo(c.tprGap, 14);
  });

  it("combines batches exactly: the window equals the rows taken together", () => {
    // Prepare
    const c = (ref.fairness as Case[])[1];
    const rows = rowsOf(c);
    const cut = 1234;
    const part = (a: number, b: number) => fairnessStats(rows.groups.slice(a, b), rows.predicted.slice(a, b), rows.actual.slice(a, b));
    // Act
    const combined = fairnessFromStats(combineFairness([part(0, cut), part(cut, rows.groups.length)]));
    // Assess
    expect(combined.disparateImpact).toBeCloseTo(c.disparateImpact, 14);
    expect(combined.tprGap).toBeCloseTo(c.tprGap, 14);
  });

  it("keeps group values as data (no prototype keys), and is null where undefined", () => {
    // Act
    const f = fairnessFromStats(fairnessStats(["__proto__", "constructor", "__proto__"], [1, 0, 1], [1, 1, 0]));
    const one = fairnessFromStats(fairnessStats(["a", "a"], [1, 0], [1, 0]));
    const noPositive = fairnessFromStats(fairnessStats(["a", "b"], [0, 0], [0, 1]));
    // Assess
    expect(f.selectionRates["__proto__"]).toBe(1);
    expect(f.selectionRates["constructor"]).toBe(0);
    expect(JSON.parse(JSON.stringify(f.selectionRates))).toEqual({ ["__proto__"]: 1, constructor: 0 });
    expect(one.disparateImpact).toBeNull();
    expect(one.tprGap).toBeNull();
    expect(noPositive.disparateImpact).toBeNull();
    expect(noPositive.truePositiveRates).toEqual(Object.assign(Object.create(null), { a: null, b: 0 }));
  });

  it("refuses groups of the wrong length, non-group values, non-binary labels and too many groups", () => {
    const labels = { predicted: [1, 0], actual: [0, 1] };
    expect(() => checkGroups(["a"], labels)).toThrow("groups has 1 rows but the predictions have 2");
    expect(() => checkGroups(["a", 1.5], labels)).toThrow("groups[1] is not a group value");
    expect(() => checkGroups(["a", "b"], { predicted: ["x", 0], actual: [0, 1] })).toThrow(/only for binary 0\/1 labels/);
    const many = Array.from({ length: 101 }, (_, i) => `g${i}`);
    expect(() => checkGroups(many, { predicted: many.map(() => 1), actual: many.map(() => 0) })).toThrow(ValidationError);
    expect(checkGroups([true, 2], labels)).toEqual(["1", "2"]);
  });
});

describe("mergedGroupsWarning", () => {
  it("warns when 1, \"1\" and true are counted as one group, naming the group and the types", () => {
    const warning = mergedGroupsWarning([1, "1", true, "a", "a", false, 0], "body.groups");
    expect(warning).toMatch(/^body\.groups: values of different types were counted as one group/);
    expect(warning).toContain('"1" (from boolean and number and string values)');
    expect(warning).toContain('"0" (from boolean and number values)');
    expect(warning).not.toContain('"a"');
  });

  it("says nothing when each group is sent one way", () => {
    expect(mergedGroupsWarning(["a", "b", "a"])).toBeUndefined();
    expect(mergedGroupsWarning([1, 2, 1])).toBeUndefined();
    expect(mergedGroupsWarning([true, false])).toBeUndefined();
  });
});
