/**
 * The probability that k given items of a pooled sample all come from one of its two parts, when the
 * rows of both parts are exchangeable (the null hypothesis "same distribution"):
 * P = C(m, k) / C(m + r, k) = Πᵢ₌₀^{k−1} (m − i) / (m + r − i), with m rows in that part and r in the other
 * (the hypergeometric probability `scipy.stats.hypergeom(M=m + r, n=m, N=k).pmf(k)`).
 *
 * Two drift rules use it as an exact one-sided p-value:
 * - a category seen k times in the current data (m = n₂ rows) and never in the baseline (r = n₁): given
 *   its k occurrences in the pooled data, the chance that none fell in the baseline;
 * - k current values above the baseline's maximum (or below its minimum): the chance that the k largest
 *   values of the pooled sample are all current ones. With ties, "strictly above every baseline value"
 *   implies "above after breaking ties at random", so the p-value stays valid (conservative).
 * Cost: O(k) for k ≤ 10,000 (a product of ratios, full relative accuracy), O(1) via log-gamma beyond.
 *
 * @throws {ValidationError} when the counts are not integers with 0 ≤ k ≤ m and r ≥ 0.
 * @example
 * allFromOnePartProbability(2, 200, 10_000); // → 0.000382… (C(200, 2) / C(10 200, 2))
 */
import { ValidationError } from "../errors.js";
import { logChoose } from "./fisher-exact.js";

export function allFromOnePartProbability(k: number, m: number, r: number): number {
  for (const v of [k, m, r]) {
    if (!(Number.isInteger(v) && v >= 0)) throw new ValidationError("allFromOnePartProbability requires non-negative integer counts");
  }
  if (k > m) throw new ValidationError("allFromOnePartProbability requires k ≤ m");
  if (k === 0) return 1;
  if (r === 0) return 1;
  if (k > 10_000) return Math.exp(logChoose(m, k) - logChoose(m + r, k));
  // The product in logs keeps full relative accuracy when m + r is large (log-gamma differences would not).
  let log = 0;
  for (let i = 0; i < k; i++) log += Math.log((m - i) / (m + r - i));
  return Math.exp(log);
}
