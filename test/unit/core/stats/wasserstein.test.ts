import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wassersteinDistance } from "../../../../lambdas/core/stats/wasserstein.js";

/** The merge walk before its runs had a loop of their own: one merged value at a time. */
function previousWalk(sa: Float64Array, sb: Float64Array): number {
  const n1 = sa.length;
  const n2 = sb.length;
  let i = 0;
  let j = 0;
  let previous = Math.min(sa[0], sb[0]);
  let total = 0;
  while (i < n1 || j < n2) {
    const v = i < n1 && (j >= n2 || sa[i] <= sb[j]) ? sa[i] : sb[j];
    total += Math.abs(i / n1 - j / n2) * (v - previous);
    while (i < n1 && sa[i] <= v) i++;
    while (j < n2 && sb[j] <= v) j++;
    previous = v;
  }
  return total;
}

/** Sorted samples with ties, both zeros and runs of either side: few distinct values or many. */
const sample = (maxLength: number) =>
  fc
    .array(fc.oneof(fc.integer({ min: -20, max: 20 }).map((k) => k / 4), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.constantFrom(-0, 0)), { minLength: 1, maxLength })
    .map((xs) => Float64Array.from(xs).sort());

describe("wassersteinDistance", () => {
  it("sums the same terms in the same order as the one-value-at-a-time walk: the same double (property)", () => {
    fc.assert(
      fc.property(sample(60), sample(400), fc.boolean(), (a, b, swap) => {
        const [x, y] = swap ? [b, a] : [a, b];
        return Object.is(wassersteinDistance(x, y, { sorted: true }), previousWalk(x, y));
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
