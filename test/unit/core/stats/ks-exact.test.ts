import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import { gcd, probabilityOutsideBand, probabilityOutsideSquare } from "../../../../lambdas/core/stats/ks-exact.js";

describe("exact two-sample KS distribution", () => {
  it("agrees between the square formula and the band recursion when n1 = n2", () => {
    // Prepare
    const pairs = [[5, 1], [5, 3], [20, 7], [100, 13], [400, 40]];
    // Act / Assess
    for (const [n, h] of pairs) {
      expect(probabilityOutsideBand(n, n, h)).toBeCloseTo(probabilityOutsideSquare(n, h), 12);
    }
  });

  it("counts lattice paths for a tiny case by hand", () => {
    // 2 vs 2: P(D ≥ 1) = 2 of 6 interleavings (aabb, bbaa) — scipy.stats.ks_2samp([1,2],[3,4]).pvalue = 0.3333
    expect(probabilityOutsideSquare(2, 2)).toBeCloseTo(1 / 3, 15);
    expect(probabilityOutsideBand(2, 3, 6)).toBeCloseTo(2 / 10, 15); // aabbb, bbbaa of C(5,2) = 10
  });

  it("returns 1 for h = 0 and computes the gcd", () => {
    expect(probabilityOutsideSquare(7, 0)).toBe(1);
    expect(probabilityOutsideBand(7, 3, 0)).toBe(1);
    expect(gcd(12, 8)).toBe(4);
  });

  it("throws on invalid sizes", () => {
    expect(() => probabilityOutsideSquare(0, 0)).toThrow(ValidationError);
    expect(() => probabilityOutsideBand(3, 1.5, 1)).toThrow(ValidationError);
  });
});
