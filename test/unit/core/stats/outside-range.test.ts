/**
 * The exact out-of-range tail against exact rational (and 50-digit) references from
 * test/fixtures/generate_reference.py (`outside_range_exact`, itself checked there by permutation).
 */
import { describe, expect, it } from "vitest";
import { outsideRangeExpected, outsideRangeTail } from "../../../../lambdas/core/stats/outside-range.js";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import { loadReference, relativeError } from "../fixture-data.js";

const ref = loadReference();

describe("outsideRangeTail", () => {
  it.each((ref.outsideRange as { k: number; n1: number; n2: number; pValue: number; expected: number }[]).map((c) => [`k=${c.k} n1=${c.n1} n2=${c.n2}`, c] as const))(
    "%s agrees with the exact reference",
    (_name, c) => {
      // Act
      const p = outsideRangeTail(c.k, c.n1, c.n2);
      // Assess
      expect(relativeError(p, c.pValue)).toBeLessThanOrEqual(1e-9);
      expect(relativeError(outsideRangeExpected(c.n1, c.n2), c.expected)).toBeLessThanOrEqual(1e-15);
    },
  );

  it("is a distribution: P(K ≥ 0) = 1, decreasing in k, and 1 for a baseline of fewer than two values", () => {
    expect(outsideRangeTail(0, 100, 50)).toBe(1);
    const tail = Array.from({ length: 51 }, (_, k) => outsideRangeTail(k, 100, 50));
    for (let k = 1; k < tail.length; k++) expect(tail[k]).toBeLessThanOrEqual(tail[k - 1]);
    // P(K = n₂) = (n₂ + 1)·n₁(n₁ − 1)/(N(N − 1))·C(N − 2, n₂)⁻¹·… — checked through the sum of the masses
    let mass = 0;
    for (let k = 0; k <= 50; k++) mass += tail[k] - (k < 50 ? tail[k + 1] : 0);
    expect(mass).toBeCloseTo(1, 12);
    expect(outsideRangeTail(7, 1, 10)).toBe(1);
  });

  it("throws on counts that are not a table", () => {
    expect(() => outsideRangeTail(11, 10, 10)).toThrow(ValidationError);
    expect(() => outsideRangeTail(1.5, 10, 10)).toThrow("outsideRangeTail requires non-negative integer counts");
  });
});
