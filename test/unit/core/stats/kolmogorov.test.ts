import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import { kolmogorovSurvival } from "../../../../lambdas/core/stats/kolmogorov.js";
import { smirnovSurvival } from "../../../../lambdas/core/stats/smirnov.js";
import { loadReference, relativeError } from "../fixture-data.js";

interface Row {
  n: number;
  x: number;
  kstwoSf: number;
  smirnov: number;
}
const grid: Row[] = loadReference().kolmogorov;

describe("kolmogorovSurvival = scipy.stats.kstwo.sf(x, n)", () => {
  it("matches every branch of the Simard–L'Ecuyer switch (n 1 … 2·10⁶) to 1e-8 relative", () => {
    // Act
    const worst = Math.max(...grid.map((r) => relativeError(kolmogorovSurvival(r.n, r.x), r.kstwoSf)));
    // Assess
    expect(grid.length).toBeGreaterThan(300);
    expect(worst).toBeLessThanOrEqual(1e-8);
  });

  it("handles the bounds", () => {
    expect(kolmogorovSurvival(10, 0)).toBe(1);
    expect(kolmogorovSurvival(10, 1)).toBe(0);
    expect(kolmogorovSurvival(10, 0.04)).toBe(1); // nx ≤ 1/2
  });

  it("throws on a non-integer n", () => {
    expect(() => kolmogorovSurvival(2.5, 0.1)).toThrow(ValidationError);
  });
});

describe("smirnovSurvival = scipy.special.smirnov(n, x)", () => {
  it("matches the grid to 1e-8 relative", () => {
    // Act
    const worst = Math.max(...grid.map((r) => relativeError(smirnovSurvival(r.n, r.x), r.smirnov)));
    // Assess
    expect(worst).toBeLessThanOrEqual(1e-8);
  });

  it("throws on n = 0", () => {
    expect(() => smirnovSurvival(0, 0.1)).toThrow("smirnovSurvival requires a positive integer n");
  });
});
