import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortFloat64 } from "../../../../lambdas/core/stats/sort-float64.js";
import { generate } from "../fixture-data.js";

describe("sortFloat64", () => {
  it("orders exactly like Float64Array.prototype.sort, −0 before +0 (property, radix path)", () => {
    const doubles = fc.array(fc.double({ noNaN: true }), { minLength: 512, maxLength: 3000 });
    fc.assert(
      fc.property(doubles, (xs) => {
        const expected = Float64Array.from(xs).sort();
        const actual = sortFloat64(Float64Array.from(xs));
        return actual.every((v, i) => Object.is(v, expected[i]));
      }),
      { numRuns: 50 },
    );
  });

  it("sorts a large tied sample in place and small arrays too", () => {
    // Prepare
    const values = generate({ kind: "normal", seed: 5, n: 100_000, loc: 0, scale: 10, decimals: 0 });
    const expected = Float64Array.from(values).sort();
    // Act
    const sorted = sortFloat64(values);
    // Assess
    expect(sorted).toBe(values);
    expect(sorted).toEqual(expected);
    expect(Array.from(sortFloat64(Float64Array.of(3, -0, 0, -1)))).toEqual([-1, -0, 0, 3]);
    // 100,000 values sorted twice: well under a second idle, 11 s measured at load 26 on 2 cores.
  }, 60_000);
});
