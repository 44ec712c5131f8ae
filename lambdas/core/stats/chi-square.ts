/**
 * Chi-square test of homogeneity for a 2 × k contingency table (baseline counts vs current counts).
 *
 * Expected count Eᵣᵢ = rowᵣ · colᵢ / total; statistic X² = Σ (Oᵣᵢ − Eᵣᵢ)² / Eᵣᵢ; dof = k − 1 (columns with a
 * zero total are not allowed); p = chi-square survival at X². No Yates continuity correction. Equal to
 * `scipy.stats.chi2_contingency([baselineCounts, currentCounts], correction=False)` (statistic, pvalue, dof);
 * when dof = 0 (one category) scipy answers statistic 0, p 1, and so do we.
 * Cost: O(k).
 *
 * @throws {ValidationError} when the vectors differ in length or are empty, a count is negative, a row sums
 *   to 0, or a category has zero count in both rows.
 * @example
 * chiSquareHomogeneity([10, 20], [20, 10]); // → { statistic: 6.666666666666667, pValue: 0.009823274507519235, dof: 1 }
 */
import { ValidationError } from "../errors.js";
import { chiSquareSurvival } from "./chi-square-distribution.js";

export interface ChiSquareResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly dof: number;
}

export function chiSquareHomogeneity(baseline: ArrayLike<number>, current: ArrayLike<number>): ChiSquareResult {
  const k = baseline.length;
  if (k !== current.length) throw new ValidationError("chiSquareHomogeneity requires count vectors of equal length");
  if (k === 0) throw new ValidationError("chiSquareHomogeneity requires at least one category");
  let rowB = 0;
  let rowC = 0;
  for (let i = 0; i < k; i++) {
    if (!(baseline[i] >= 0) || !(current[i] >= 0)) {
      throw new ValidationError("chiSquareHomogeneity requires non-negative counts");
    }
    if (baseline[i] + current[i] === 0) {
      throw new ValidationError("chiSquareHomogeneity requires every category to be observed at least once");
    }
    rowB += baseline[i];
    rowC += current[i];
  }
  if (rowB === 0 || rowC === 0) throw new ValidationError("chiSquareHomogeneity requires counts in both rows");
  const dof = k - 1;
  if (dof === 0) return { statistic: 0, pValue: 1, dof };
  const total = rowB + rowC;
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const column = baseline[i] + current[i];
    const eb = (rowB * column) / total;
    const ec = (rowC * column) / total;
    statistic += (baseline[i] - eb) ** 2 / eb + (current[i] - ec) ** 2 / ec;
  }
  return { statistic, pValue: chiSquareSurvival(statistic, dof), dof };
}
