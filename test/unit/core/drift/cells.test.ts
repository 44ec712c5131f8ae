/**
 * Value cells of discrete numerical features and the share-shift test, against the scipy references of
 * test/fixtures/generate_reference.py (`discrete_cases`, `share_shift_cases`); the membership filter's
 * stated false-positive rate.
 */
import { describe, expect, it } from "vitest";
import { compareCategorical, compareNumeric, downsampleSorted, prepareNumeric } from "../../../../lambdas/core/drift/index.js";
import { bloomMayContain, buildBloomFilter } from "../../../../lambdas/core/drift/membership.js";
import { countsFrom } from "../../../../lambdas/core/drift/samples.js";
import { type FixtureData, loadReference, materialize, relativeError } from "../fixture-data.js";

const ref = loadReference();

interface DiscreteCase {
  name: string;
  baseline: FixtureData;
  current: FixtureData;
  expected: {
    cells: string[];
    values: number;
    newValues: number;
    chiSquareStatistic: number;
    chiSquarePValue: number;
    dof: number;
    psi: number;
    jensenShannon: number;
    shareShift: { category: string; pValue: number; candidates: number; cells: number } | null;
  };
}

describe("discrete numerical features on value cells (scipy reference)", () => {
  it.each((ref.discreteDrift as DiscreteCase[]).map((c) => [c.name, c] as const))("%s", (_n, c) => {
    // Prepare
    const baseline = prepareNumeric(materialize(c.baseline));
    const current = prepareNumeric(materialize(c.current));
    // Act
    const r = compareNumeric(baseline, current);
    // Assess
    const e = c.expected;
    expect(r.tests.ks).toBeUndefined();
    expect(r.tests.discrete).toMatchObject({ values: e.values, newValues: e.newValues });
    expect(relativeError(r.tests.chiSquare!.statistic, e.chiSquareStatistic)).toBeLessThanOrEqual(1e-12);
    expect(relativeError(r.tests.chiSquare!.pValue, e.chiSquarePValue)).toBeLessThanOrEqual(1e-9);
    expect(r.tests.chiSquare!.dof).toBe(e.dof);
    expect(relativeError(r.tests.psi!.value, e.psi)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(r.tests.jensenShannon!.distance - e.jensenShannon)).toBeLessThanOrEqual(1e-12);
    expect(relativeError(r.tests.shareShift!.pValue, e.shareShift!.pValue)).toBeLessThanOrEqual(1e-9);
    expect(r.tests.shareShift).toMatchObject({ candidates: e.shareShift!.candidates, cells: e.shareShift!.cells });
    expect(e.cells).toContain(r.tests.shareShift!.category);
  });

  it("compares a sketched baseline on the full sample's exact value counts", () => {
    // Prepare: 200,000 values in {0, 1, 2}, sketched to 1,000 order statistics
    const full = prepareNumeric(Float64Array.from({ length: 200_000 }, (_, i) => i % 10 === 0 ? 2 : i % 3 === 0 ? 1 : 0));
    const current = prepareNumeric(Float64Array.from({ length: 3_000 }, (_, i) => (i % 10 === 0 ? 2 : i % 3 === 0 ? 1 : 0)));
    // Act
    const exact = compareNumeric(full, current);
    const sketched = compareNumeric(downsampleSorted(full, 1_000), current);
    // Assess
    expect(sketched.tests.chiSquare).toEqual(exact.tests.chiSquare);
    expect(sketched.tests.psi).toEqual(exact.tests.psi);
    expect(sketched.tests.discrete).toEqual({ values: 3, newValues: 0, vanishedValues: [] });
  });
});

describe("share shift (scipy reference)", () => {
  it.each((ref.shareShift as { name: string; baselineCounts: Record<string, number>; currentCounts: Record<string, number>; shareShift: DiscreteCase["expected"]["shareShift"] }[]).map((c) => [c.name, c] as const))(
    "%s",
    (_n, c) => {
      // Prepare
      const total = (x: Record<string, number>) => Object.values(x).reduce((s, v) => s + v, 0);
      const b = { counts: countsFrom(c.baselineCounts), count: total(c.baselineCounts), missing: 0 };
      const k = { counts: countsFrom(c.currentCounts), count: total(c.currentCounts), missing: 0 };
      // Act
      const shift = compareCategorical(b, k).tests.shareShift;
      // Assess
      if (c.shareShift === null) {
        expect(shift).toBeUndefined();
        return;
      }
      expect(shift).toMatchObject({ category: c.shareShift.category, candidates: c.shareShift.candidates, cells: c.shareShift.cells });
      expect(relativeError(shift!.pValue, c.shareShift.pValue)).toBeLessThanOrEqual(1e-9);
      expect(shift!.change).toBeCloseTo(shift!.current - shift!.baseline, 15);
    },
  );
});

describe("membership filter", () => {
  it("never misses a member and errs on about its stated rate for non-members", () => {
    // Prepare
    const members = Array.from({ length: 50_000 }, (_, i) => `member-${i}`);
    // Act
    const filter = buildBloomFilter(members, members.length, 0.001);
    // Assess
    expect(members.every((m) => bloomMayContain(filter, m))).toBe(true);
    let wrong = 0;
    for (let i = 0; i < 200_000; i++) if (bloomMayContain(filter, `other-${i}`)) wrong++;
    expect(wrong / 200_000).toBeLessThan(0.002);
    expect(filter.data.length).toBeLessThan(50_000 * 1.9);
  });
});
