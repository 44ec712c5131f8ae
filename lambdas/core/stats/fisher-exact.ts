/**
 * Fisher's exact test for a 2 × 2 table, two-sided.
 *
 * Table [[a, b], [c, d]] with fixed margins: the count a follows the hypergeometric distribution with
 * M = a + b + c + d rows, n = a + b in the first row and N = a + c in the first column,
 * P(x) = C(n, x) C(M − n, N − x) / C(M, N) on max(0, N − (M − n)) ≤ x ≤ min(n, N). The two-sided p-value
 * sums P(x) over every x with P(x) ≤ P(a)·(1 + 1e-7), as `scipy.stats.fisher_exact(table,
 * alternative='two-sided')` does (its relative tolerance for ties in probability).
 * Logs of binomial coefficients come from `logGamma`, so margins up to millions stay accurate.
 * Cost: O(min(n, N)) terms.
 *
 * @throws {ValidationError} when a cell is negative or not an integer.
 * @example
 * fisherExact2x2(1, 9, 11, 3); // → 0.002759456185220088
 */
import { ValidationError } from "../errors.js";
import { logGamma } from "./gamma.js";

/** ln C(n, k) for integers 0 ≤ k ≤ n. */
export function logChoose(n: number, k: number): number {
  if (k === 0 || k === n) return 0;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** Two-sided Fisher exact p-value of the table [[a, b], [c, d]]. */
export function fisherExact2x2(a: number, b: number, c: number, d: number): number {
  for (const x of [a, b, c, d]) {
    if (!(Number.isInteger(x) && x >= 0)) throw new ValidationError("fisherExact2x2 requires non-negative integer counts");
  }
  const M = a + b + c + d;
  const n = a + b;
  const N = a + c;
  const lo = Math.max(0, N - (M - n));
  const hi = Math.min(n, N);
  if (lo === hi) return 1;
  const base = logChoose(M, N);
  const logP = (x: number): number => logChoose(n, x) + logChoose(M - n, N - x) - base;
  const observed = logP(a);
  const cutoff = observed + Math.log1p(1e-7);
  let p = 0;
  for (let x = lo; x <= hi; x++) {
    const lp = logP(x);
    if (lp <= cutoff) p += Math.exp(lp);
  }
  return Math.min(1, p);
}
