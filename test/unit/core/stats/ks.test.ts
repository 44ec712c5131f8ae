import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countAbove } from "../../../../lambdas/core/drift/cells.js";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import { ksStatisticSorted, ksTwoSample, roundHalfEven } from "../../../../lambdas/core/stats/ks.js";
import { type FixtureData, loadReference, materialize, relativeError } from "../fixture-data.js";

interface KsCase {
  name: string;
  a: FixtureData;
  b: FixtureData;
  statistic: number;
  pValue: number;
  method: "exact" | "asymptotic";
  reference: string;
}

const cases: KsCase[] = loadReference().ksTwoSample;

describe("ksTwoSample against scipy.stats.ks_2samp(a, b) (method auto)", () => {
  it("covers sizes 5 … 200,000, both paths, ties and the exact → asymptotic fallback", () => {
    // Prepare
    const sizes = cases.flatMap((c) => [materialize(c.a).length, materialize(c.b).length]);
    // Assess
    expect(Math.min(...sizes)).toBeLessThanOrEqual(5);
    expect(Math.max(...sizes)).toBe(200_000);
    expect(cases.some((c) => c.method === "exact")).toBe(true);
    expect(cases.some((c) => c.method === "asymptotic" && Math.max(materialize(c.a).length, materialize(c.b).length) <= 10_000)).toBe(true);
    expect(cases.some((c) => c.pValue < 1e-100)).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    // Prepare
    const a = materialize(c.a);
    const b = materialize(c.b);
    // Act
    const result = ksTwoSample(a, b);
    // Assess — tolerances of issue 3: 1e-9 absolute on D, 1e-6 relative on p
    expect(Math.abs(result.statistic - c.statistic)).toBeLessThanOrEqual(1e-9);
    expect(relativeError(result.pValue, c.pValue)).toBeLessThanOrEqual(1e-6);
    expect(result.method).toBe(c.method);
  });

  it("gives the same answer for presorted input with { sorted: true }", () => {
    // Prepare
    const a = Float64Array.of(1, 2, 3, 4, 5);
    const b = Float64Array.of(3, 4, 5, 6, 7, 8);
    // Act
    const presorted = ksTwoSample(a, b, { sorted: true });
    const unsorted = ksTwoSample([5, 3, 1, 2, 4], [8, 3, 7, 4, 6, 5]);
    // Assess — scipy.stats.ks_2samp([1,2,3,4,5],[3,4,5,6,7,8]) → (0.5, 0.35714285714285715)
    expect(presorted).toEqual(unsorted);
    expect(presorted.statistic).toBe(0.5);
    expect(presorted.pValue).toBeCloseTo(0.35714285714285715, 15);
  });

  it("throws on an empty sample or NaN", () => {
    expect(() => ksTwoSample([], [1])).toThrow(ValidationError);
    expect(() => ksTwoSample([1], [])).toThrow("ksTwoSample requires at least one value in each sample");
    expect(() => ksTwoSample([1, NaN], [1])).toThrow(ValidationError);
  });

  it("keeps D in [0, 1] and p in [0, 1], symmetric in its arguments (property)", () => {
    const sample = fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const ab = ksTwoSample(a, b);
        const ba = ksTwoSample(b, a);
        return ab.statistic >= 0 && ab.statistic <= 1 && ab.pValue >= 0 && ab.pValue <= 1 &&
          ab.statistic === ba.statistic && Math.abs(ab.pValue - ba.pValue) <= 1e-12 * Math.max(1e-300, ab.pValue);
      }),
    );
  });

  it("ksStatisticSorted gives the same double as the definition, value by value in ascending order (property)", () => {
    /** The definition: at each distinct value in ascending order, the CDFs' difference; its largest either way. */
    const byDefinition = (a: Float64Array, b: Float64Array): number => {
      const all = Float64Array.from([...a, ...b]).sort();
      const upTo = (sorted: Float64Array, v: number): number => sorted.length - countAbove(sorted, v);
      let max = 0;
      let min = 0;
      all.forEach((v, k) => {
        if (k > 0 && v === all[k - 1]) return;
        const diff = upTo(a, v) / a.length - upTo(b, v) / b.length;
        if (diff > max) max = diff;
        else if (diff < min) min = diff;
      });
      return Math.max(max, -min);
    };
    const sample = (maxLength: number) =>
      fc
        .array(fc.oneof(fc.integer({ min: -20, max: 20 }).map((k) => k / 4), fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constantFrom(-0, 0)), { minLength: 1, maxLength })
        .map((xs) => Float64Array.from(xs).sort());
    fc.assert(
      fc.property(sample(60), sample(400), fc.boolean(), (a, b, swap) => {
        const [x, y] = swap ? [b, a] : [a, b];
        return Object.is(ksStatisticSorted(x, y), byDefinition(x, y));
      }),
      { numRuns: 3000 },
    );
  });

  it("rounds half to even like np.round", () => {
    expect([0.5, 1.5, 2.5, 3.49, 3.5, 7].map(roundHalfEven)).toEqual([0, 2, 2, 3, 4, 7]);
  });
});
