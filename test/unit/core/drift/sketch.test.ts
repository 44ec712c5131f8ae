import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mergeSketches, sketchSorted, type QuantileSketch } from "../../../../lambdas/core/drift/sketch.js";
import { mergeMoments } from "../../../../lambdas/core/drift/summary.js";

/** max over x of |F_sketch(x) − F_exact(x)|, evaluated at every point of either (the sup is attained there). */
function cdfError(sketch: QuantileSketch, exact: Float64Array): number {
  const points = [...sketch.values, ...exact];
  let worst = 0;
  const le = (a: ArrayLike<number>, x: number): number => {
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (const x of points) worst = Math.max(worst, Math.abs(le(sketch.values, x) / sketch.values.length - le(exact, x) / exact.length));
  return worst;
}

const sorted = (xs: number[]): Float64Array => Float64Array.from(xs).sort();

describe("quantile sketch", () => {
  it("keeps every value up to its capacity (ε = 0) and refuses a capacity below 2", () => {
    const s = sketchSorted(sorted([3, 1, 2]), 4);
    expect(Array.from(s.values)).toEqual([1, 2, 3]);
    expect(s.rankError).toBe(0);
    expect(() => sketchSorted(sorted([1]), 1)).toThrow(/capacity/);
  });

  it("compresses to equi-rank points with ε = 1/(2K)", () => {
    const s = sketchSorted(sorted([1, 2, 3, 4, 5, 6, 7, 8]), 4);
    // ranks (k + ½)·8/4 = 1, 3, 5, 7 → the 1st, 3rd, 5th and 7th smallest
    expect(Array.from(s.values)).toEqual([1, 3, 5, 7]);
    expect(s).toMatchObject({ count: 8, rankError: 1 / 8 });
  });

  it("states a rank error that bounds the CDF error, for one sketch, one merge and a tree of merges (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 9 }),
        fc.integer({ min: 2, max: 40 }),
        (parts, capacity) => {
          const sketches = parts.map((p) => sketchSorted(sorted(p), capacity));
          const all = sorted(parts.flat());
          const once = mergeSketches(sketches, capacity);
          expect(once.count).toBe(all.length);
          expect(cdfError(once, all)).toBeLessThanOrEqual(once.rankError + 1e-12);
          expect(once.rankError).toBeLessThanOrEqual(1 / capacity + 1e-15); // ≤ (m + 1)/(2K) with m = 1
          let level = sketches;
          let depth = 0;
          while (level.length > 1) {
            const next: QuantileSketch[] = [];
            for (let i = 0; i < level.length; i += 2) next.push(mergeSketches(level.slice(i, i + 2), capacity));
            level = next;
            depth++;
          }
          expect(cdfError(level[0], all)).toBeLessThanOrEqual(level[0].rankError + 1e-12);
          expect(level[0].rankError).toBeLessThanOrEqual((depth + 1) / (2 * capacity) + 1e-15);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("stays exact when exact inputs fit together", () => {
    const m = mergeSketches([sketchSorted(sorted([5, 1]), 8), sketchSorted(sorted([3, 2, 4]), 8)], 8);
    expect(Array.from(m.values)).toEqual([1, 2, 3, 4, 5]);
    expect(m.rankError).toBe(0);
  });

  it("merges moments like one pass over all values (Chan's update)", () => {
    const a = [1, 2, 3, 10];
    const b = [-4, 7];
    const of = (xs: number[]) => {
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      return { count: xs.length, mean, m2: xs.reduce((s, x) => s + (x - mean) ** 2, 0), min: Math.min(...xs), max: Math.max(...xs) };
    };
    const merged = mergeMoments(of(a), of(b));
    const whole = of([...a, ...b]);
    expect(merged.count).toBe(6);
    expect(merged.mean).toBeCloseTo(whole.mean, 12);
    expect(merged.m2).toBeCloseTo(whole.m2, 10);
    expect([merged.min, merged.max]).toEqual([-4, 10]);
  });
});
