/**
 * Exact null distribution of the two-sample, two-sided Kolmogorov–Smirnov statistic: P(D ≥ h / lcm(n₁, n₂)).
 *
 * Under H₀ every interleaving of the two samples is equally likely, i.e. every monotone lattice path from
 * (0, 0) to (m, n). D ≥ h/lcm exactly when the path touches |x·n/g − y·m/g| ≥ h (g = gcd).
 * - n₁ = n₂ (`probabilityOutsideSquare`): the reflection-principle sum
 *   2 Σ_k (−1)^(k+1) C(2n, n − kh) / C(2n, n), evaluated by Horner as 2·A₀(1 − A₁(1 − A₂(…))) with
 *   A_k = Π_{j<h} (n − kh − j)/(n + kh + j + 1), which has no cancellation.
 * - n₁ ≠ n₂ (`probabilityOutsideBand`): Hodges' "inside" lattice recursion, carried as a probability of
 *   having left the band (Viehmann 2021, arXiv:2102.08037):
 *   B(i, j) = (i·B(i−1, j) + j·B(i, j−1)) / (i + j) inside the band, B = 1 outside; the answer is B(m, n).
 *   Values stay in [0, 1], so no overflow and full relative accuracy for tiny p-values.
 *
 * These are the two computations `scipy.stats.ks_2samp(a, b, method='exact')` performs
 * (`_compute_prob_outside_square`, `_compute_outer_prob_inside_method`); results agree to ~1e-12 relative.
 * Cost: O(n + h) for the square; O(m · (2h·g/m + 1)) for the band, at most O(m·n).
 *
 * @throws {ValidationError} when the sizes are not positive integers or h is outside [0, lcm].
 * @example
 * probabilityOutsideSquare(5, 3); // → 0.35714285714285715, P(D ≥ 0.6) for n₁ = n₂ = 5
 */
import { ValidationError } from "../errors.js";

/** P(D_{n,n} ≥ h/n). */
export function probabilityOutsideSquare(n: number, h: number): number {
  if (!(Number.isInteger(n) && n > 0 && Number.isInteger(h) && h >= 0 && h <= n)) {
    throw new ValidationError("probabilityOutsideSquare requires integers n > 0 and 0 ≤ h ≤ n");
  }
  if (h === 0) return 1;
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let a = 1;
    for (let j = 0; j < h; j++) a = ((n - k * h - j) * a) / (n + k * h + j + 1);
    p = a * (1 - p);
  }
  return 2 * p;
}

/** Greatest common divisor of two non-negative integers. */
export function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** P(D_{n1,n2} ≥ h / lcm(n1, n2)), for any sizes (used when n1 ≠ n2). */
export function probabilityOutsideBand(n1: number, n2: number, h: number): number {
  if (!(Number.isInteger(n1) && n1 > 0 && Number.isInteger(n2) && n2 > 0 && Number.isInteger(h) && h >= 0)) {
    throw new ValidationError("probabilityOutsideBand requires positive integer sizes and an integer h ≥ 0");
  }
  if (h === 0) return 1;
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const g = gcd(m, n);
  const mg = m / g;
  const ng = n / g;
  // column[j] holds B(i, j) for the current i inside the band; entries never inside stay 1 (outside).
  const column = new Float64Array(n + 1).fill(1);
  const firstMax = Math.min(Math.ceil(h / mg), n + 1);
  for (let j = 0; j < firstMax; j++) column[j] = 0;
  for (let i = 1; i <= m; i++) {
    const minJ = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    const maxJ = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxJ <= minJ) return 1;
    // B(i, minJ − 1) is outside (1) unless minJ = 0, where its weight j = 0 makes it irrelevant.
    let below = minJ === 0 ? 0 : 1;
    for (let j = minJ; j < maxJ; j++) {
      below = (column[j] * i + below * j) / (i + j);
      column[j] = below;
    }
  }
  return column[n];
}
