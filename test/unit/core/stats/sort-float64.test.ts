import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortedNumbers, sortFloat64, sortNumbersInPlace } from "../../../../lambdas/core/stats/sort-float64.js";
import { generate } from "../fixture-data.js";

/** A seeded xorshift32 stream of uniforms in [0, 1): the property tests' sample generator. */
function xorshift(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

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

describe("sortedNumbers", () => {
  it("returns the values that are not NaN in Float64Array.prototype.sort's order, leaving its input as it was (property)", () => {
    const cells = fc.array(fc.oneof(fc.double(), fc.constant(NaN)), { minLength: 0, maxLength: 3000 });
    fc.assert(
      fc.property(cells, (xs) => {
        const input = Float64Array.from(xs);
        const expected = Float64Array.from(xs.filter((x) => !Number.isNaN(x))).sort();
        const actual = sortedNumbers(input);
        return actual.length === expected.length && actual.every((v, i) => Object.is(v, expected[i])) && input.every((v, i) => Object.is(v, xs[i]));
      }),
      { numRuns: 100 },
    );
  });

  it("sorts a large sample with missing values, all-missing and constant columns", () => {
    // Prepare
    const values = generate({ kind: "normal", seed: 7, n: 50_000, loc: 0, scale: 10, decimals: 4 });
    for (let i = 0; i < values.length; i += 13) values[i] = NaN;
    const expected = values.filter((v) => !Number.isNaN(v)).sort();
    // Act
    const sorted = sortedNumbers(values);
    // Assess
    expect(sorted).toEqual(expected);
    expect(sortedNumbers(new Float64Array(600).fill(NaN))).toEqual(new Float64Array(0));
    expect(Array.from(sortedNumbers(Float64Array.from({ length: 600 }, (_, i) => (i % 2 ? 0 : -0)))).slice(299, 301)).toEqual([-0, 0]);
  }, 60_000);
});

describe("sortNumbersInPlace", () => {
  /** The values of xs that are not NaN in the built-in sort's order, then NaN: what the array must hold after. */
  const expectedOf = (xs: ArrayLike<number>): Float64Array => {
    const numbers = Array.from(xs).filter((x) => !Number.isNaN(x));
    return Float64Array.from([...Float64Array.from(numbers).sort(), ...new Array<number>(xs.length - numbers.length).fill(NaN)]);
  };
  const same = (a: Float64Array, b: Float64Array): boolean => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

  it("leaves the non-NaN values in Float64Array.prototype.sort's order, then the NaN, and returns their count (property)", () => {
    const cells = fc.array(fc.oneof(fc.double(), fc.constant(NaN)), { minLength: 0, maxLength: 3000 });
    fc.assert(
      fc.property(cells, (xs) => {
        const values = Float64Array.from(xs);
        const count = sortNumbersInPlace(values);
        return count === xs.filter((x) => !Number.isNaN(x)).length && same(values, expectedOf(xs));
      }),
      { numRuns: 100 },
    );
  });

  it("sorts large columns one after another with its reused scratch, smaller and larger ones, and again to the same", () => {
    // Prepare: the scratch array of the first call serves the smaller second; the third needs a larger one
    const columns = [60_000, 20_000, 90_000].map((n, k) => {
      const values = generate({ kind: "normal", seed: 11 + k, n, loc: 5, scale: 3, decimals: 5 });
      for (let i = k; i < values.length; i += 17) values[i] = NaN;
      return values;
    });
    const expected = columns.map(expectedOf);
    // Act
    const counts = columns.map((values) => sortNumbersInPlace(values));
    // Assess
    columns.forEach((values, k) => {
      expect(same(values, expected[k])).toBe(true);
      expect(counts[k]).toBe(values.length - Math.ceil((values.length - k) / 17));
      expect(sortNumbersInPlace(values)).toBe(counts[k]);
      expect(same(values, expected[k])).toBe(true);
    });
  }, 60_000);
});

describe("sortFloat64 on the shapes measured data takes", () => {
  const check = (values: Float64Array): boolean => {
    const expected = Float64Array.from(values).sort();
    const actual = sortFloat64(Float64Array.from(values));
    // sortedNumbers on the same values with NaN (missing) among them: the same order, the NaN left out.
    const withMissing = Float64Array.from(Array.from(values).flatMap((v, i) => (i % 8 === 3 ? [NaN, v] : [v])));
    const numbers = sortedNumbers(withMissing);
    // sortNumbersInPlace on the same: the values in that order first, the NaN after them.
    const inPlace = Float64Array.from(withMissing);
    const count = sortNumbersInPlace(inPlace);
    return (
      actual.every((v, i) => Object.is(v, expected[i])) &&
      numbers.length === expected.length &&
      numbers.every((v, i) => Object.is(v, expected[i])) &&
      count === expected.length &&
      inPlace.every((v, i) => (i < count ? Object.is(v, expected[i]) : Number.isNaN(v)))
    );
  };

  it("orders skewed, spiky, tied and signed-zero samples like the built-in sort (property)", () => {
    // Heavy tails (a dense core far from the extremes), spikes of one repeated value, few distinct values
    // and both zeros: the bucket sort's recursion and its fallbacks.
    const sample = fc.record({
      n: fc.integer({ min: 512, max: 4000 }),
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      shape: fc.constantFrom("lognormal", "cauchy", "spike", "few", "zeros", "tiny-range", "huge-range"),
    });
    fc.assert(
      fc.property(sample, ({ n, seed, shape }) => {
        const u = xorshift(seed);
        const values = Float64Array.from({ length: n }, () => {
          const r = u();
          switch (shape) {
            case "lognormal":
              return Math.exp(8 * (r - 0.5));
            case "cauchy":
              return Math.tan(Math.PI * (r - 0.5));
            case "spike":
              return r < 0.7 ? 3.25 : r;
            case "few":
              return Math.floor(r * 3);
            case "zeros":
              return r < 0.3 ? -0 : r < 0.6 ? 0 : r - 0.5;
            case "tiny-range":
              return 1 + r * 2 ** -40;
            default:
              return (r - 0.5) * 1e308 * 3;
          }
        });
        return check(values);
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it("orders large skewed columns like the built-in sort: dense first-pass buckets and large sub-buckets (property)", () => {
    // Tens of thousands of values: a first-pass bucket of more than 16,384 values (a dense core) and
    // second-pass sub-buckets of more than 24 (a cluster inside a bucket) take their own paths.
    const sample = fc.record({
      n: fc.integer({ min: 20_000, max: 60_000 }),
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      shape: fc.constantFrom("cauchy", "cluster", "lognormal", "zeros"),
    });
    fc.assert(
      fc.property(sample, ({ n, seed, shape }) => {
        const u = xorshift(seed);
        const values = Float64Array.from({ length: n }, () => {
          const r = u();
          switch (shape) {
            case "cauchy":
              return Math.tan(Math.PI * (r - 0.5));
            case "cluster":
              return r < 0.1 ? 7 + u() * 1e-9 : r * 1000;
            case "lognormal":
              return Math.exp(12 * (r - 0.5));
            default:
              return r < 0.2 ? -0 : r < 0.4 ? 0 : r < 0.5 ? u() * 1e-300 : r;
          }
        });
        return check(values);
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it("keeps infinities at the ends", () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => (i % 7 === 0 ? Infinity : i % 11 === 0 ? -Infinity : Math.sin(i)));
    expect(check(values)).toBe(true);
  });
});
