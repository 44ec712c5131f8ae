/**
 * Exact tail probability of the number of current values outside the baseline's range, under "same
 * distribution" (the n₁ + n₂ values exchangeable).
 *
 * With N = n₁ + n₂ values in random order, K = the current values above every baseline value plus those
 * below every baseline value. K = j exactly when the baseline values span a window of N − j positions whose
 * two ends are baseline values: j + 1 placements of the window, C(N − j − 2, n₁ − 2) ways to fill it, so
 * P(K = j) = (j + 1)·C(N − j − 2, n₁ − 2) / C(N, n₁)
 *          = (j + 1)·n₁(n₁ − 1)/(N(N − 1)) · Πᵢ₌₀^{j−1} (n₂ − i)/(N − 2 − i),   E[K] = 2n₂/(n₁ + 1),
 * and the p-value is P(K ≥ k) = Σ_{j ≥ k} P(K = j) (terms from the ratio P(j+1)/P(j) =
 * (j + 2)/(j + 1) · (n₂ − j)/(N − 2 − j), summed until they no longer change the sum).
 * Ties: "strictly outside [min, max]" implies "outside after breaking ties at random", so with ties the
 * probability of k strictly-outside values is at most this one: the p-value stays valid (conservative) —
 * a constant baseline column is the extreme case.
 * Reference: exact rational arithmetic (`fractions.Fraction`, `math.comb`) in
 * test/fixtures/generate_reference.py, checked there against a permutation simulation.
 * Cost: O(k + terms summed), in logs (no overflow for millions of values).
 *
 * @throws {ValidationError} when the counts are not integers with 0 ≤ k ≤ n₂.
 * @example
 * outsideRangeTail(30, 1_000, 1_000); // → 1.21e-8: 30 of 1,000 current values outside a 1,000-value baseline
 */
import { ValidationError } from "../errors.js";

/** E[K] = 2n₂/(n₁ + 1): the current values expected outside the baseline's range by chance. */
export function outsideRangeExpected(n1: number, n2: number): number {
  return (2 * n2) / (n1 + 1);
}

/** P(K ≥ k) for k current values of n₂ outside the range of n₁ baseline values. */
export function outsideRangeTail(k: number, n1: number, n2: number): number {
  for (const v of [k, n1, n2]) {
    if (!(Number.isInteger(v) && v >= 0)) throw new ValidationError("outsideRangeTail requires non-negative integer counts");
  }
  if (k > n2) throw new ValidationError("outsideRangeTail requires k ≤ n₂");
  // A baseline of fewer than two values has no interior: every current value is outside it (or none is).
  if (k === 0 || n1 < 2) return 1;
  const N = n1 + n2;
  let log = Math.log(k + 1) + Math.log(n1) + Math.log(n1 - 1) - Math.log(N) - Math.log(N - 1);
  for (let i = 0; i < k; i++) {
    log += Math.log((n2 - i) / (N - 2 - i));
    if (log < -800) return 0;
  }
  let term = Math.exp(log);
  let sum = 0;
  for (let j = k; j <= n2 && term > 0; j++) {
    const before = sum;
    sum += term;
    if (sum === before && j > k) break;
    term *= ((j + 2) / (j + 1)) * ((n2 - j) / (N - 2 - j));
  }
  return Math.min(1, sum);
}
