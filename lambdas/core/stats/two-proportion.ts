/**
 * Two-sided test that two proportions are equal: x₁ of n₁ against x₂ of n₂ (here: missing rows of the
 * baseline against missing rows of the current data).
 *
 * - When an expected cell of the 2 × 2 table [[x₁, n₁ − x₁], [x₂, n₂ − x₂]] is below 5 (Cochran's rule),
 *   Fisher's exact test (`fisherExact2x2`, = `scipy.stats.fisher_exact`): exact and conservative.
 * - Otherwise Pearson's chi-square on the table without continuity correction, which equals the pooled
 *   two-proportion z-test squared: z = (p̂₂ − p̂₁) / √(p̂(1 − p̂)(1/n₁ + 1/n₂)), p = P(χ²₁ > z²)
 *   (= `scipy.stats.chi2_contingency(table, correction=False)`).
 * A table with an empty row, or no event / no non-event at all, carries no evidence: p = 1.
 * Cost: O(1) for the chi-square path, O(min margin) for Fisher.
 *
 * @throws {ValidationError} when a count is negative, not an integer, or x > n.
 * @example
 * twoProportionTest(200, 10_000, 1, 5); // → { pValue: 0.0961…, method: "fisher" }
 */
import { ValidationError } from "../errors.js";
import { chiSquareSurvival } from "./chi-square-distribution.js";
import { fisherExact2x2 } from "./fisher-exact.js";

export interface TwoProportionResult {
  readonly pValue: number;
  readonly method: "fisher" | "chi_square";
}

export function twoProportionTest(x1: number, n1: number, x2: number, n2: number): TwoProportionResult {
  for (const v of [x1, n1, x2, n2]) {
    if (!(Number.isInteger(v) && v >= 0)) throw new ValidationError("twoProportionTest requires non-negative integer counts");
  }
  if (x1 > n1 || x2 > n2) throw new ValidationError("twoProportionTest requires x ≤ n in each sample");
  const n = n1 + n2;
  const events = x1 + x2;
  if (n1 === 0 || n2 === 0 || events === 0 || events === n) return { pValue: 1, method: "chi_square" };
  const minExpected = (Math.min(n1, n2) * Math.min(events, n - events)) / n;
  if (minExpected < 5) return { pValue: fisherExact2x2(x1, n1 - x1, x2, n2 - x2), method: "fisher" };
  const pooled = events / n;
  const z = (x2 / n2 - x1 / n1) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { pValue: chiSquareSurvival(z * z, 1), method: "chi_square" };
}
