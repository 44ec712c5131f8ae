import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countAbove } from "../../../../lambdas/core/drift/cells.js";
import { wassersteinDistance } from "../../../../lambdas/core/stats/wasserstein.js";

/** The values of both samples, sorted, each once. */
function mergedDistinct(a: Float64Array, b: Float64Array): number[] {
  const all = Float64Array.from([...a, ...b]).sort();
  return Array.from(all).filter((v, k) => k === 0 || v !== all[k - 1]);
}

/** How many of the sorted values are ≤ v. */
const countUpTo = (sorted: Float64Array, v: number): number => sorted.length - countAbove(sorted, v);

/**
 * The definition, term by term in ascending order (the order the walk has always summed in): between
 * consecutive distinct values u₋ < u the CDFs are those at u₋.
 */
function byDefinition(a: Float64Array, b: Float64Array): number {
  const u = mergedDistinct(a, b);
  let total = Math.abs(0 / a.length - 0 / b.length) * 0;
  for (let k = 1; k < u.length; k++) total += Math.abs(countUpTo(a, u[k - 1]) / a.length - countUpTo(b, u[k - 1]) / b.length) * (u[k] - u[k - 1]);
  return total;
}

/** Sorted samples with ties, both zeros and runs of either side: few distinct values or many. */
const sample = (maxLength: number) =>
  fc
    .array(fc.oneof(fc.integer({ min: -20, max: 20 }).map((k) => k / 4), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.constantFrom(-0, 0)), { minLength: 1, maxLength })
    .map((xs) => Float64Array.from(xs).sort());

describe("wassersteinDistance", () => {
  it("sums the definition's terms in ascending order: the same double as term by term (property)", () => {
    fc.assert(
      fc.property(sample(60), sample(400), fc.boolean(), (a, b, swap) => {
        const [x, y] = swap ? [b, a] : [a, b];
        return Object.is(wassersteinDistance(x, y, { sorted: true }), byDefinition(x, y));
      }),
      { numRuns: 3000 },
    );
  });

  it("is 5 between [0, 1, 3] and [5, 6, 8], and 0 between a sample and itself", () => {
    expect(wassersteinDistance([0, 1, 3], [5, 6, 8])).toBe(5);
    expect(wassersteinDistance([5, 6, 8], [0, 1, 3])).toBe(5);
    expect(wassersteinDistance(Float64Array.of(1, 2, 2, 7), Float64Array.of(1, 2, 2, 7), { sorted: true })).toBe(0);
  });
});
