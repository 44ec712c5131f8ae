import { describe, expect, it } from "vitest";
import {
  buildDriftReport,
  compareCategorical,
  compareNumeric,
  defaultDriftThresholds,
  downsampleSorted,
  prepareCategorical,
  prepareNumeric,
} from "../../../../lambdas/core/drift/index.js";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import { benjaminiHochberg } from "../../../../lambdas/core/stats/benjamini-hochberg.js";
import { psiBinEdges } from "../../../../lambdas/core/stats/psi.js";
import { type FixtureData, generate, loadReference, materialize, relativeError } from "../fixture-data.js";

const ref = loadReference();

const expand = (counts: Record<string, number>, missing: number): (string | null)[] => [
  ...Object.entries(counts).flatMap(([k, n]) => new Array<string>(n).fill(k)),
  ...new Array<null>(missing).fill(null),
];

describe("prepareNumeric / prepareCategorical", () => {
  it("drops NaN and sorts once; empty string, null and undefined are missing categories", () => {
    // Act
    const numeric = prepareNumeric([3, NaN, 1, 2]);
    const categorical = prepareCategorical(["a", "", "b", "a", null, undefined]);
    // Assess
    expect(Array.from(numeric.sorted)).toEqual([1, 2, 3]);
    expect(numeric).toMatchObject({ count: 3, missing: 1 });
    expect(categorical).toEqual({ counts: { a: 2, b: 1 }, count: 3, missing: 3 });
  });

  it("rejects infinities", () => {
    expect(() => prepareNumeric([1, Infinity])).toThrow(ValidationError);
  });
});

describe("compareNumeric against the scipy / numpy reference", () => {
  interface Case {
    name: string;
    baseline: FixtureData;
    current: FixtureData;
    bins: number;
    expected: Record<string, number>;
  }
  it.each((ref.numericDrift as Case[]).map((c) => [c.name, c] as const))("%s", (_n, c) => {
    // Prepare
    const baseline = prepareNumeric(materialize(c.baseline));
    const current = prepareNumeric(materialize(c.current));
    // Act
    // discreteValues 0: the continuous path (KS, quantile bins) the reference computes, also for tied samples
    const result = compareNumeric(baseline, current, { bins: c.bins, discreteValues: 0 });
    // Assess
    const e = c.expected;
    expect(result.baseline.count).toBe(e.baselineCount);
    expect(result.baseline.missingShare).toBeCloseTo(e.baselineMissing / (e.baselineCount + e.baselineMissing), 15);
    expect(result.current.missingShare).toBeCloseTo(e.currentMissing / (e.currentCount + e.currentMissing), 15);
    expect(Math.abs(result.tests.ks!.statistic - e.ksStatistic)).toBeLessThanOrEqual(1e-9);
    expect(relativeError(result.tests.ks!.pValue, e.ksPValue)).toBeLessThanOrEqual(1e-6);
    expect(relativeError(result.tests.psi!.value, e.psi)).toBeLessThanOrEqual(1e-12);
    expect(relativeError(result.tests.wasserstein!.distance, e.wasserstein)).toBeLessThanOrEqual(1e-10);
    // normalised by the robust scale min(np.std, IQR / 1.349)
    expect(relativeError(result.tests.wasserstein!.normalized!, e.wassersteinRobust)).toBeLessThanOrEqual(1e-10);
    expect(Math.abs(result.tests.jensenShannon!.distance - e.jensenShannon)).toBeLessThanOrEqual(1e-12);
  });

  it("omits the tests when one side has no values, and accepts precomputed edges", () => {
    // Prepare
    const full = prepareNumeric(generate({ kind: "normal", seed: 9, n: 50_000, loc: 0, scale: 1 }));
    const current = prepareNumeric(generate({ kind: "normal", seed: 10, n: 5_000, loc: 0.2, scale: 1 }));
    // Act
    const empty = compareNumeric(full, prepareNumeric([NaN, NaN]));
    const sketched = compareNumeric(downsampleSorted(full, 2_000), current, { edges: psiBinEdges(full.sorted) });
    const exact = compareNumeric(full, current);
    // Assess
    expect(Object.keys(empty.tests)).toEqual(["missingShare"]);
    expect(empty.current.missingShare).toBe(1);
    expect(sketched.baseline.count).toBe(50_000);
    expect(Math.abs(sketched.tests.ks!.statistic - exact.tests.ks!.statistic)).toBeLessThanOrEqual(1 / 2_000);
    expect(Math.abs(sketched.tests.psi!.value - exact.tests.psi!.value)).toBeLessThan(0.01);
  });

  it("takes PSI bins and spread of a sketched baseline from the full sample it came from", () => {
    // Prepare: a skewed baseline, so sketch quantiles and spread differ from the full sample's
    const full = prepareNumeric(generate({ kind: "normal", seed: 11, n: 60_000, loc: 0, scale: 1 }).map((x: number) => Math.exp(x)));
    const current = prepareNumeric(generate({ kind: "normal", seed: 12, n: 6_000, loc: 0.1, scale: 1 }).map((x: number) => Math.exp(x)));
    const sketch = downsampleSorted(full, 500);
    // Act
    const exact = compareNumeric(full, current);
    const fromSketch = compareNumeric(sketch, current);
    const sketchOnly = compareNumeric({ sorted: sketch.sorted, count: sketch.count, missing: sketch.missing }, current);
    // Assess: PSI and JS are exactly the full baseline's; normalised Wasserstein uses the full spread
    expect(fromSketch.tests.psi!.value).toBe(exact.tests.psi!.value);
    expect(fromSketch.tests.jensenShannon!.distance).toBe(exact.tests.jensenShannon!.distance);
    expect(fromSketch.tests.wasserstein!.scale).toBeCloseTo(exact.tests.wasserstein!.scale!, 12);
    expect(fromSketch.tests.outOfRange!.baselineMax).toBe(exact.tests.outOfRange!.baselineMax);
    // and without the full statistics the sketch alone would be (measurably) off
    expect(sketchOnly.tests.psi!.value).not.toBe(exact.tests.psi!.value);
  });
});

describe("downsampleSorted", () => {
  it("keeps evenly spaced order statistics and the full counts", () => {
    const sample = downsampleSorted(prepareNumeric([8, 7, 6, 5, 4, 3, 2, 1, NaN]), 4);
    expect(Array.from(sample.sorted)).toEqual([2, 4, 6, 8]);
    expect(sample).toMatchObject({ count: 8, missing: 1 });
    expect(() => downsampleSorted(sample, 1)).toThrow(ValidationError);
  });
});

describe("compareCategorical against scipy.stats.chi2_contingency(correction=False)", () => {
  interface Case {
    name: string;
    baselineCounts: Record<string, number>;
    currentCounts: Record<string, number>;
    baselineMissing: number;
    currentMissing: number;
    expected: Record<string, number> & { newCategories: string[]; missingCategories: string[] };
  }
  it.each((ref.categoricalDrift as Case[]).map((c) => [c.name, c] as const))("%s", (_n, c) => {
    // Prepare
    const baseline = prepareCategorical(expand(c.baselineCounts, c.baselineMissing));
    const current = prepareCategorical(expand(c.currentCounts, c.currentMissing));
    // Act
    const result = compareCategorical(baseline, current);
    // Assess
    // chi-square over the pooled table (rare categories in one "other" cell), as the generator pools it
    expect(result.tests.chiSquare!.dof).toBe(c.expected.pooledDof);
    expect(result.tests.chiSquare!.pooledCategories).toBe(c.expected.pooledCategories);
    expect(Math.abs(result.tests.chiSquare!.statistic - c.expected.pooledChiSquareStatistic)).toBeLessThanOrEqual(1e-12 * Math.max(1, c.expected.pooledChiSquareStatistic));
    expect(relativeError(result.tests.chiSquare!.pValue, c.expected.pooledChiSquarePValue)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(result.tests.psi!.value - c.expected.psi)).toBeLessThanOrEqual(1e-12 * Math.max(1, c.expected.psi));
    expect(Math.abs(result.tests.jensenShannon!.distance - c.expected.jensenShannon)).toBeLessThanOrEqual(1e-12);
    expect([...result.newCategories].sort()).toEqual([...c.expected.newCategories].sort());
    expect([...result.missingCategories].sort()).toEqual([...c.expected.missingCategories].sort());
    expect(result.current.missingShare).toBeCloseTo(c.currentMissing / (current.count + c.currentMissing), 15);
  });
});

describe("buildDriftReport: BH adjustment and the decision rule", () => {
  const normal = (seed: number, n: number, loc = 0, scale = 1) =>
    prepareNumeric(generate({ kind: "normal", seed, n, loc, scale }));

  it("adjusts every p-value of the check (KS, chi-square, missing share, category change, share shift) together with Benjamini–Hochberg", () => {
    // Prepare
    const features = {
      a: { baseline: normal(1, 2000), current: normal(2, 2000, 0.1) },
      b: { baseline: normal(3, 2000), current: normal(4, 2000) },
      c: {
        baseline: prepareCategorical(expand({ x: 500, y: 500 }, 0)),
        current: prepareCategorical(expand({ x: 450, y: 550 }, 0)),
      },
    };
    // Act
    const report = buildDriftReport(features);
    // Assess
    const { a, b, c } = report.features;
    // no cell is missing anywhere: the missing-share tests (p ≡ 1) are left out of the family
    expect(a.tests.missingShare).toBeUndefined();
    // c's share of "y" moved 50 % → 55 % (≥ shareShift): its share-shift test joins the family
    // and an out-of-range test joins once its gate is met (≥ minCount values outside; share ≥ 0.001 is 2 values here)
    const gated = (f: typeof a) => (f.tests.outOfRange && f.tests.outOfRange.below + f.tests.outOfRange.above >= 5 ? [f.tests.outOfRange as { pValue: number; adjustedPValue?: number }] : []);
    const tests = [a.tests.ks!, ...gated(a), b.tests.ks!, ...gated(b), c.tests.chiSquare!, c.tests.shareShift!];
    const adjusted = benjaminiHochberg(tests.map((x) => x.pValue));
    expect(tests.map((x) => x.adjustedPValue)).toEqual(adjusted);
    expect(report.thresholds).toEqual(defaultDriftThresholds);
  });

  it("does not page for a negligible shift on a million rows, but does for a real one", () => {
    // Prepare: 0.02 sd shift — significant at this size, practically irrelevant
    const baseline = normal(11, 1_000_000);
    const features = {
      tiny: { baseline, current: normal(12, 1_000_000, 0.02) },
      real: { baseline, current: normal(13, 1_000_000, 0.5) },
    };
    // Act
    const report = buildDriftReport(features);
    // Assess
    expect(report.features.tiny.tests.ks!.adjustedPValue).toBeLessThan(0.05);
    expect(report.features.tiny.driftDetected).toBe(false);
    expect(report.features.tiny.severity).toBe("none");
    expect(report.features.tiny.reason).toMatch(/negligible/);
    expect(report.features.real.driftDetected).toBe(true);
    expect(report.features.real.rulesFired).toEqual(["numerical-shift"]);
    expect(report.features.real.severity).toBe("moderate");
    expect(report.driftShare).toBe(0.5);
    expect(report.driftDetected).toBe(true);
  }, 120_000);

  it("flags a missing-share jump on its own and a frequent new category", () => {
    // Prepare
    const withMissing = Float64Array.from(generate({ kind: "normal", seed: 21, n: 1000, loc: 0, scale: 1 }), (v, i) => (i % 10 === 0 ? NaN : v));
    const features = {
      holes: { baseline: normal(22, 1000), current: prepareNumeric(withMissing) },
      colour: {
        baseline: prepareCategorical(expand({ red: 500, blue: 500 }, 0)),
        current: prepareCategorical(expand({ red: 450, blue: 450, green: 100 }, 0)),
      },
    };
    // Act
    const report = buildDriftReport(features);
    // Assess
    expect(report.features.holes.driftDetected).toBe(true);
    expect(report.features.holes.rulesFired).toEqual(["missing-share-jump"]);
    expect(report.features.holes.severity).toBe("moderate");
    expect(report.features.holes.reason).toMatch(/missing share rose from 0 to 0.1/);
    expect(report.features.colour.rulesFired).toContain("category-change");
    expect(report.features.colour.newCategories).toEqual(["green"]);
    expect(report.features.colour.reason).toMatch(/new category "green"/);
  });

  it("grades severity from PSI and honours per-check thresholds", () => {
    // Prepare
    const features = { x: { baseline: normal(31, 5000), current: normal(32, 5000, 1) } };
    // Act
    const strict = buildDriftReport(features);
    const lenient = buildDriftReport(features, { psi: 100, wassersteinNormalized: 100, outOfRangeShare: 1 });
    // Assess
    expect(strict.features.x.tests.psi!.value).toBeGreaterThan(0.25);
    expect(strict.features.x.severity).toBe("high");
    expect(lenient.features.x.driftDetected).toBe(false);
    expect(lenient.thresholds.psi).toBe(100);
  });

  it("flags a baseline feature absent from the current data as schema drift and lists unexpected new ones", () => {
    // Act
    const report = buildDriftReport(
      {
        kept: { baseline: normal(41, 100), current: normal(42, 100) },
        dropped: { baseline: normal(43, 100) },
        added: { current: prepareCategorical(["a", "b"]) },
      },
      {},
      { unexpectedFeatures: ["extra"] },
    );
    // Assess
    expect(report.features.dropped).toMatchObject({ driftDetected: true, severity: "high", comparable: false, rulesFired: ["feature-missing"], tests: {} });
    expect(report.features.dropped.reason).toMatch(/feature missing from the current data \(schema drift\)/);
    expect(report.features.added).toMatchObject({ type: "categorical", driftDetected: false, comparable: false });
    expect(report.unexpectedFeatures).toEqual(["added", "extra"]);
    expect(report.driftShare).toBe(0.5);
    expect(report.driftDetected).toBe(true);
  });

  it("throws on a type mismatch or an invalid threshold", () => {
    const mixed = { f: { baseline: normal(1, 10), current: prepareCategorical(["a"]) } };
    expect(() => buildDriftReport(mixed)).toThrow(ValidationError);
    expect(() => buildDriftReport({}, { pValue: -1 })).toThrow('drift threshold "pValue" must be a number in [0, 1]');
    expect(() => buildDriftReport({}, { minCount: 2.5 })).toThrow('drift threshold "minCount" must be an integer');
    expect(() => buildDriftReport({}, { psiModerate: 0.1 } as never)).toThrow('unknown drift threshold "psiModerate"');
  });
});
