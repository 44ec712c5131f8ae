import { describe, expect, it } from "vitest";
import { benjaminiHochberg } from "../../../../lambdas/core/stats/benjamini-hochberg.js";
import { loadReference, relativeError } from "../fixture-data.js";

const ref = loadReference();

describe("benjaminiHochberg = scipy.stats.false_discovery_control(p, method='bh')", () => {
  it.each((ref.benjaminiHochberg as { pValues: number[]; adjusted: number[] }[]).map((c) => [JSON.stringify(c.pValues), c] as const))(
    "%s",
    (_n, c) => {
      const adjusted = benjaminiHochberg(c.pValues);
      adjusted.forEach((v, i) => expect(relativeError(v, c.adjusted[i])).toBeLessThanOrEqual(1e-14));
    },
  );

  it("returns an empty array for no tests and throws outside [0, 1]", () => {
    expect(benjaminiHochberg([])).toEqual([]);
    expect(() => benjaminiHochberg([1.2])).toThrow("benjaminiHochberg requires p-values in [0, 1]");
  });
});
