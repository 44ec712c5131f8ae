/** Exact gates: thresholds as the decimals they are written as, counts against counts. */
import { describe, expect, it } from "vitest";
import { decimalRational, effectReaches, shareChangeReaches, shareReaches } from "../../../../lambdas/core/drift/exact.js";

describe("exact gates", () => {
  it("reads a threshold as its decimal spelling", () => {
    expect(decimalRational(0.05)).toEqual({ num: 5n, den: 100n });
    expect(decimalRational(1e-7)).toEqual({ num: 1n, den: 10_000_000n });
    expect(decimalRational(3)).toEqual({ num: 3n, den: 1n });
    expect(decimalRational(2.5e21)).toEqual({ num: 2_500_000_000_000_000_000_000n, den: 1n });
    expect(() => decimalRational(-1)).toThrow();
  });

  it("puts a change equal to the gate on the firing side, where doubles fall short (20 → 120 of 2,000)", () => {
    // The double arithmetic the issue saw
    expect(120 / 2000 - 20 / 2000).toBeLessThan(0.05);
    // Act / Assess
    expect(shareChangeReaches(20, 2000, 120, 2000, 0.05)).toBe(true);
    expect(shareChangeReaches(40, 2000, 140, 2000, 0.05)).toBe(true);
    expect(shareChangeReaches(20, 2000, 119, 2000, 0.05)).toBe(false);
    expect(shareChangeReaches(120, 2000, 20, 2000, 0.05)).toBe(true);
    expect(shareReaches(1, 1000, 0.001)).toBe(true);
    expect(shareReaches(9, 10_000, 0.001)).toBe(false);
    expect(() => shareReaches(0.5, 10, 0.1)).toThrow("an exact gate requires non-negative integer counts");
  });

  it("compares floating-point effect sizes with a relative tolerance of 1e-9", () => {
    expect(effectReaches(0.1 - 1e-12, 0.1)).toBe(true);
    expect(effectReaches(0.0999, 0.1)).toBe(false);
    expect(effectReaches(null, 0)).toBe(false);
  });
});
