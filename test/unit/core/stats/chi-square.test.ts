import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import { chiSquareHomogeneity } from "../../../../lambdas/core/stats/chi-square.js";
import { alignCategories, populationStabilityIndex, toShares } from "../../../../lambdas/core/stats/psi.js";
import { loadReference, relativeError } from "../fixture-data.js";

const ref = loadReference();

interface CategoricalCase {
  name: string;
  baselineCounts: Record<string, number>;
  currentCounts: Record<string, number>;
  expected: { chiSquareStatistic: number; chiSquarePValue: number; dof: number; psi: number; jensenShannon: number };
}

describe("chi-square homogeneity = scipy.stats.chi2_contingency([b, c], correction=False)", () => {
  it.each((ref.categoricalDrift as CategoricalCase[]).map((c) => [c.name, c] as const))("%s", (_n, c) => {
    // Prepare
    const aligned = alignCategories(c.baselineCounts, c.currentCounts);
    // Act
    const result = chiSquareHomogeneity(aligned.baseline, aligned.current);
    const psi = populationStabilityIndex(toShares(aligned.baseline), toShares(aligned.current));
    // Assess
    expect(result.dof).toBe(c.expected.dof);
    expect(relativeError(result.statistic, c.expected.chiSquareStatistic)).toBeLessThanOrEqual(1e-12);
    expect(relativeError(result.pValue, c.expected.chiSquarePValue)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(psi - c.expected.psi)).toBeLessThanOrEqual(1e-12 * Math.max(1, c.expected.psi));
  });

  it("throws on a category with no observation or an empty row", () => {
    expect(() => chiSquareHomogeneity([1, 0], [2, 0])).toThrow(ValidationError);
    expect(() => chiSquareHomogeneity([0, 0], [2, 1])).toThrow(ValidationError);
    expect(() => chiSquareHomogeneity([], [])).toThrow("chiSquareHomogeneity requires at least one category");
  });
});

