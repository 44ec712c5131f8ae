/**
 * The decision rules one by one, the cases 1–7 at core level, and the properties (row order and
 * category names do not change a report). Data comes from seeded generators, never from hard-coded
 * results: each expectation is a property of the rule (flagged / not flagged, which rule, bounds).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildDriftReport,
  compareCategorical,
  compareNumeric,
  downsampleSorted,
  prepareCategorical,
  prepareNumeric,
  type FeaturePair,
} from "../../../../lambdas/core/drift/index.js";
import { ksTwoSample } from "../../../../lambdas/core/stats/ks.js";
import { generate } from "../fixture-data.js";

/** xorshift32 uniforms (same algorithm as the fixtures), for Cauchy, lognormal and Zipf draws. */
function uniforms(seed: number, n: number): Float64Array {
  return generate({ kind: "uniform", seed, n, loc: 0, scale: 1 });
}
const normal = (seed: number, n: number, loc = 0, scale = 1) => generate({ kind: "normal", seed, n, loc, scale });
const cauchy = (seed: number, n: number, loc = 0) => uniforms(seed, n).map((u) => loc + Math.tan(Math.PI * (u - 0.5)));
const withMissing = (values: Float64Array, seed: number, share: number): Float64Array => {
  const u = uniforms(seed, values.length);
  return values.map((v, i) => (u[i] < share ? NaN : v));
};
function zipf(seed: number, n: number, k: number, names: (i: number) => string = (i) => `c${i}`): string[] {
  const cdf: number[] = [];
  let s = 0;
  for (let r = 1; r <= k; r++) cdf.push((s += 1 / r));
  return Array.from(uniforms(seed, n), (u) => {
    const x = u * s;
    let i = 0;
    while (cdf[i] < x) i++;
    return names(i);
  });
}

describe("missing-share rule: two-proportion test + effect size (case 1)", () => {
  it("does not flag 1 of 5 or 2 of 20 missing cells against a 2 % baseline (the old rule flagged both)", () => {
    // Prepare
    const baseline = prepareNumeric(withMissing(normal(1, 10_000), 2, 0.02));
    const five = prepareNumeric(Float64Array.from([...normal(3, 4), NaN]));
    const twenty = prepareNumeric(Float64Array.from([...normal(4, 18), NaN, NaN]));
    // Act
    const report = buildDriftReport({ a: { baseline, current: five }, b: { baseline, current: twenty } });
    // Assess
    expect(report.features.a.current.missingShare - report.features.a.baseline.missingShare).toBeGreaterThan(0.05);
    expect(report.features.a.tests.missingShare!.method).toBe("fisher");
    expect(report.features.a.tests.missingShare!.adjustedPValue).toBeGreaterThan(0.05);
    expect(report.driftDetected).toBe(false);
    expect(report.features.b.reason).toMatch(/missing share rose from 0\.0\d+ to 0\.1, not significant/);
  });

  it("flags a significant jump, and not a significant change below missingShareJump", () => {
    // Prepare
    const baseline = prepareNumeric(normal(5, 100_000));
    const jump = prepareNumeric(withMissing(normal(6, 2_000), 7, 0.1));
    const small = prepareNumeric(withMissing(normal(8, 100_000), 9, 0.02));
    // Act
    const report = buildDriftReport({ jump: { baseline, current: jump }, small: { baseline, current: small } });
    // Assess
    expect(report.features.jump.rulesFired).toEqual(["missing-share-jump"]);
    expect(report.features.small.tests.missingShare!.adjustedPValue).toBeLessThan(1e-10);
    expect(report.features.small.driftDetected).toBe(false);
  });
});

describe("categorical rules: pooled chi-square, noise-corrected PSI, category change (case 2)", () => {
  it("does not flag 200 rows of 500 Zipf categories against 10,000 from the same distribution", () => {
    // Prepare: 20 independent draws
    const reports = Array.from({ length: 20 }, (_, i) =>
      buildDriftReport({ k: { baseline: prepareCategorical(zipf(100 + i, 10_000, 500)), current: prepareCategorical(zipf(200 + i, 200, 500)) } }),
    );
    // Assess: chi-square runs on pooled cells, the PSI noise is subtracted, rare newcomers are not a change
    const flagged = reports.filter((r) => r.driftDetected).length;
    expect(flagged).toBeLessThanOrEqual(2);
    const k = reports[0].features.k.tests;
    expect(k.chiSquare!.pooledCategories).toBeGreaterThan(400);
    expect(k.psi!.expectedNoise).toBeCloseTo((k.psi!.cells! - 1) * (1 / 10_000 + 1 / 200), 12);
    expect(k.psi!.value).toBeGreaterThan(k.psi!.corrected!);
    expect(reports.some((r) => r.features.k.newCategories!.length > 0)).toBe(true);
    expect(reports.every((r) => !r.features.k.rulesFired.includes("category-change"))).toBe(true);
  });

  it("needs minCount rows for a new category: 2 in 200 is not a change, 20 in 200 is", () => {
    // Prepare
    const baseline = prepareCategorical(zipf(300, 10_000, 20));
    const rows = zipf(301, 200, 20);
    const two = prepareCategorical([...rows.slice(2), "brand-new", "brand-new"]);
    const twenty = prepareCategorical([...rows.slice(20), ...new Array<string>(20).fill("brand-new")]);
    // Act
    const a = compareCategorical(baseline, two);
    const report = buildDriftReport({ two: { baseline, current: two }, twenty: { baseline, current: twenty } });
    // Assess
    expect(a.newCategories).toEqual(["brand-new"]);
    expect(a.tests.categoryChange).toBeUndefined();
    expect(report.features.two.driftDetected).toBe(false);
    expect(report.features.twenty.rulesFired).toContain("category-change");
    expect(report.features.twenty.reason).toMatch(/new category "brand-new" \(20 rows\)/);
  });
});

describe("out-of-range rule: degenerate columns move in either direction (case 3)", () => {
  it.each([6, 4])("flags 10,000 × 5 against 2,000 × %d, severity high", (value) => {
    // Act
    const report = buildDriftReport({ c: { baseline: prepareNumeric(new Float64Array(10_000).fill(5)), current: prepareNumeric(new Float64Array(2_000).fill(value)) } });
    // Assess
    expect(report.features.c.rulesFired).toContain("out-of-range");
    expect(report.features.c.severity).toBe("high");
    expect(report.features.c.tests.outOfRange).toMatchObject({ share: 1, baselineMin: 5, baselineMax: 5 });
    expect(report.features.c.reason).toMatch(/2000 of 2000 current values \(1\) outside the baseline range \[5, 5\]/);
  });

  it("does not flag a near-constant column whose current values stay inside its support", () => {
    // Prepare: 98 % zeros, a few ones
    const base = new Float64Array(10_000).map((_, i) => (i % 50 === 0 ? 1 : 0));
    const cur = new Float64Array(2_000).map((_, i) => (i % 50 === 7 ? 1 : 0));
    // Act
    const report = buildDriftReport({ c: { baseline: prepareNumeric(base), current: prepareNumeric(cur) } });
    // Assess
    expect(report.features.c.tests.outOfRange!.share).toBe(0);
    expect(report.features.c.driftDetected).toBe(false);
  });
});

describe("robust effect size for heavy tails (case 4)", () => {
  it("flags a Cauchy location shift of 0.3 (5,000 each) through the IQR scale", () => {
    // Act
    const report = buildDriftReport({ x: { baseline: prepareNumeric(cauchy(11, 5_000)), current: prepareNumeric(cauchy(12, 5_000, 0.3)) } });
    // Assess
    const w = report.features.x.tests.wasserstein!;
    expect(w.scaleMethod).toBe("iqr");
    expect(report.features.x.rulesFired).toContain("numerical-shift");
  });

  it("keeps the lognormal σ = 0.5, location +0.04 shift at 60,000 rows each unflagged", () => {
    // Prepare
    const baseline = normal(13, 60_000).map((z) => Math.exp(0.5 * z));
    const current = normal(14, 60_000).map((z) => Math.exp(0.04 + 0.5 * z));
    // Act
    const report = buildDriftReport({ x: { baseline: prepareNumeric(baseline), current: prepareNumeric(current) } });
    // Assess
    expect(report.features.x.tests.ks!.adjustedPValue).toBeLessThan(1e-6);
    expect(report.features.x.driftDetected).toBe(false);
    expect(report.features.x.reason).toMatch(/negligible/);
  });
});

describe("sketched baselines: the true baseline size, conservative in ε (case 5)", () => {
  it("decides like the exact full-data computation on 1M vs 100k rows with 1 % of one feature at +20 sd", () => {
    // Prepare
    const full = prepareNumeric(normal(15, 1_000_000));
    const current = normal(16, 100_000);
    const extremes = normal(17, 1_000);
    for (let i = 0; i < 1_000; i++) current[i * 100] = 20 + extremes[i];
    const cur = prepareNumeric(current);
    const sketch = downsampleSorted(full, 10_000);
    // Act
    const exact = buildDriftReport({ x: { baseline: full, current: cur } }).features.x;
    const sketched = buildDriftReport({ x: { baseline: sketch, current: cur } }).features.x;
    const asIfTenThousand = ksTwoSample(sketch.sorted, cur.sorted, { sorted: true });
    // Assess
    expect(exact.driftDetected).toBe(true);
    expect(sketched.driftDetected).toBe(exact.driftDetected);
    expect(sketched.rulesFired).toEqual(exact.rulesFired);
    const ks = sketched.tests.ks!;
    expect(ks.baselineSize).toBe(1_000_000);
    expect(ks.sketch!.rankError).toBe(1e-4);
    expect(exact.tests.ks!.statistic).toBeGreaterThanOrEqual(ks.sketch!.statisticLowerBound);
    expect(exact.tests.ks!.statistic).toBeLessThanOrEqual(ks.sketch!.statisticUpperBound);
    expect(ks.pValue).toBeGreaterThanOrEqual(exact.tests.ks!.pValue);
    expect(ks.pValue).toBeLessThan(1e-6);
    // the old computation (n₁ = sketch size) lost this drift
    expect(asIfTenThousand.pValue).toBeGreaterThan(0.05);
  }, 120_000);

  it("takes the out-of-range bounds and robust scale from the full baseline", () => {
    // Prepare
    const full = prepareNumeric(normal(18, 50_000));
    const sketch = downsampleSorted(full, 1_000);
    const current = prepareNumeric(normal(19, 1_000));
    // Act
    const exact = compareNumeric(full, current);
    const sketched = compareNumeric(sketch, current);
    // Assess
    expect(sketched.tests.outOfRange).toEqual(exact.tests.outOfRange);
    expect(sketched.tests.wasserstein!.scale).toBeCloseTo(exact.tests.wasserstein!.scale!, 12);
  });
});

describe("prototype-safe category names (case 6)", () => {
  const hostile = ["toString", "constructor", "__proto__", "valueOf", "hasOwnProperty"];

  it("compares a column where every row is toString, and keeps built-in names in PSI, chi-square and the lists", () => {
    // Act
    const all = buildDriftReport({ k: { baseline: prepareCategorical(new Array<string>(50).fill("toString")), current: prepareCategorical(new Array<string>(30).fill("toString")) } });
    const mixed = compareCategorical(prepareCategorical([...new Array<string>(100).fill("a"), ...new Array<string>(100).fill("__proto__")]), prepareCategorical([...new Array<string>(100).fill("a"), ...new Array<string>(50).fill("constructor")]));
    // Assess
    expect(all.features.k).toMatchObject({ comparable: true, driftDetected: false });
    expect(mixed.newCategories).toEqual(["constructor"]);
    expect(mixed.missingCategories).toEqual(["__proto__"]);
    expect(mixed.tests.chiSquare!.dof).toBe(2);
  });

  it("property: renaming categories to built-in member names changes nothing but the names", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 200 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 200 }),
        (b, c) => {
          const plain = (i: number) => `cat${i}`;
          const named = (i: number) => hostile[i];
          const r1 = buildDriftReport({ k: { baseline: prepareCategorical(b.map(plain)), current: prepareCategorical(c.map(plain)) } }).features.k;
          const r2 = buildDriftReport({ k: { baseline: prepareCategorical(b.map(named)), current: prepareCategorical(c.map(named)) } }).features.k;
          const rename = (s: string) => s.replace(/cat(\d)/g, (_, d: string) => hostile[Number(d)]);
          const sorted = (xs: string[]) => [...xs].sort();
          // Names only move within ties (lists are "most frequent first, then by name"): compare as sets,
          // and the reason with every category name blanked.
          const blank = (s: string) => s.replace(/"(cat\d|toString|constructor|__proto__|valueOf|hasOwnProperty)"/g, '"·"');
          const { categoryChange: ch1, shareShift: s1, ...t1 } = r1.tests;
          const { categoryChange: ch2, shareShift: s2, ...t2 } = r2.tests;
          expect(s2 === undefined ? undefined : { ...s2, category: "" }).toEqual(s1 === undefined ? undefined : { ...s1, category: "" });
          expect(r2.driftDetected).toBe(r1.driftDetected);
          expect(r2.rulesFired).toEqual(r1.rulesFired);
          expect(t2).toEqual(t1);
          expect(ch2?.pValue).toBe(ch1?.pValue);
          expect(sorted(ch2?.categories ?? [])).toEqual(sorted((ch1?.categories ?? []).map(rename)));
          expect(sorted(r2.newCategories!)).toEqual(sorted(r1.newCategories!.map(rename)));
          expect(sorted(r2.missingCategories!)).toEqual(sorted(r1.missingCategories!.map(rename)));
          expect(blank(r2.reason)).toBe(blank(r1.reason));
        },
      ),
      { numRuns: 100, seed: 12 },
    );
  });

  it("accepts feature names that are built-in member names", () => {
    // Prepare
    const features: Record<string, FeaturePair> = Object.create(null);
    for (const name of hostile) features[name] = { baseline: prepareNumeric(normal(20, 100)), current: prepareNumeric(normal(21, 100)) };
    // Act
    const report = buildDriftReport(features);
    // Assess
    expect(Object.keys(report.features).sort()).toEqual([...hostile].sort());
    expect(Object.hasOwn(report.features, "__proto__")).toBe(true);
  });
});

describe("permutation invariance", () => {
  it("property: shuffling the rows of either side leaves the report unchanged", () => {
    const values = Array.from(normal(30, 300, 0.2));
    const base = Array.from(normal(31, 400));
    const cats = zipf(32, 300, 8);
    const baseCats = zipf(33, 400, 8);
    const reference = buildDriftReport({ x: { baseline: prepareNumeric(base), current: prepareNumeric(values) }, k: { baseline: prepareCategorical(baseCats), current: prepareCategorical(cats) } });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const u = uniforms(seed, 700);
        const order = (n: number, offset: number) => Array.from({ length: n }, (_, i) => i).sort((a, b) => u[offset + a] - u[offset + b]);
        const o1 = order(300, 0);
        const o2 = order(400, 300);
        const shuffled = buildDriftReport({
          x: { baseline: prepareNumeric(o2.map((i) => base[i])), current: prepareNumeric(o1.map((i) => values[i])) },
          k: { baseline: prepareCategorical(o2.map((i) => baseCats[i])), current: prepareCategorical(o1.map((i) => cats[i])) },
        });
        expect(JSON.stringify(shuffled)).toBe(JSON.stringify(reference));
      }),
      { numRuns: 25, seed: 7 },
    );
  });
});

describe("schema drift (case 7)", () => {
  it("flags a feature absent from every current record, like the same feature sent all-null", () => {
    // Prepare
    const baseline = prepareNumeric(normal(40, 1_000));
    // Act
    const report = buildDriftReport({
      absent: { baseline },
      allNull: { baseline, current: prepareNumeric(new Float64Array(500).fill(NaN)) },
      kept: { baseline, current: prepareNumeric(normal(41, 500)) },
    });
    // Assess
    expect(report.features.absent).toMatchObject({ driftDetected: true, rulesFired: ["feature-missing"], severity: "high" });
    expect(report.features.allNull.rulesFired).toEqual(["missing-share-jump"]);
    expect(report.driftShare).toBeCloseTo(2 / 3, 12);
  });
});
