/**
 * Two-sample, two-sided Kolmogorov–Smirnov test.
 *
 * D = max over all observed values v of |F₁(v) − F₂(v)|, with Fᵢ the empirical CDFs counting values ≤ v
 * (ties between and within samples are handled by evaluating both CDFs after each distinct value, as
 * `np.searchsorted(side='right')` does). The p-value follows `scipy.stats.ks_2samp(a, b)` with its default
 * `method='auto'`:
 * - max(n₁, n₂) ≤ 10,000: exact. D is snapped to the lattice h/lcm(n₁, n₂) (h = round(D·lcm)) and
 *   P(D ≥ h/lcm) comes from `probabilityOutsideSquare` (n₁ = n₂) or `probabilityOutsideBand`. If that
 *   result is not within [0, 1], scipy falls back to the asymptotic path, and so do we.
 * - otherwise asymptotic: `kolmogorovSurvival(round(n₁n₂/(n₁+n₂)), D)` = `scipy.stats.kstwo.sf`.
 * The reported statistic is the lattice value on the exact path, the raw maximum otherwise, as scipy.
 * Tolerances met against scipy: 1e-9 absolute on D, 1e-6 relative on p (see the fixtures).
 *
 * Cost: O(n log n) to sort when the inputs are not already sorted, O(n₁ + n₂) for D, plus the p-value:
 * O(n) for n₁ = n₂, O(max · 2D·min) for n₁ ≠ n₂ on the exact path, ≤ O(en) on the asymptotic one.
 *
 * @throws {ValidationError} when a sample is empty or holds NaN.
 * @example
 * ksTwoSample([1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8]); // → { statistic: 0.5, pValue: 0.42857142857142855, method: "exact" }
 */
import { ValidationError } from "../errors.js";
import { gcd, probabilityOutsideBand, probabilityOutsideSquare } from "./ks-exact.js";
import { kolmogorovSurvival } from "./kolmogorov.js";
import { sortFloat64 } from "./sort-float64.js";

/** Largest sample size for which the exact distribution is used (scipy's MAX_AUTO_N). */
export const KS_EXACT_MAX_SIZE = 10_000;

export interface KsTwoSampleOptions {
  /**
   * Both inputs are already sorted ascending, so no copy and sort is needed.
   * @default false
   */
  readonly sorted?: boolean;
}

export interface KsTwoSampleResult {
  /** The KS statistic D in [0, 1]. */
  readonly statistic: number;
  /** Two-sided p-value. */
  readonly pValue: number;
  /** Which null distribution produced the p-value. */
  readonly method: "exact" | "asymptotic";
}

/** Round half to even, as numpy's `np.round`. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function sortedCopy(values: ArrayLike<number>): Float64Array {
  return sortFloat64(Float64Array.from(values));
}

/** The KS statistic of two sorted samples: max |F₁ − F₂| over the distinct values. */
export function ksStatisticSorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let max = 0;
  let min = 0;
  while (i < n1 || j < n2) {
    // A run of b below a's next value: a's CDF stays i / n1 (one double, computed once), b's rises; the
    // same differences as one value at a time, compared in the same order.
    if (i < n1 && j < n2 && b[j] < a[i]) {
      const ai = a[i];
      const fa = i / n1;
      do {
        const v = b[j];
        j++;
        while (j < n2 && b[j] <= v) j++;
        const diff = fa - j / n2;
        if (diff > max) max = diff;
        else if (diff < min) min = diff;
      } while (j < n2 && b[j] < ai);
      continue;
    }
    const v = i < n1 && (j >= n2 || a[i] <= b[j]) ? a[i] : b[j];
    while (i < n1 && a[i] <= v) i++;
    while (j < n2 && b[j] <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > max) max = diff;
    else if (diff < min) min = diff;
  }
  return Math.max(max, -min);
}

function hasNaN(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) return true;
  return false;
}

/** Two-sample, two-sided KS test, matching `scipy.stats.ks_2samp(a, b)` (method auto). */
export function ksTwoSample(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: KsTwoSampleOptions = {},
): KsTwoSampleResult {
  if (a.length === 0 || b.length === 0) {
    throw new ValidationError("ksTwoSample requires at least one value in each sample");
  }
  if (hasNaN(a) || hasNaN(b)) throw new ValidationError("ksTwoSample requires samples without NaN");
  const sa = options.sorted ? a : sortedCopy(a);
  const sb = options.sorted ? b : sortedCopy(b);
  const n1 = sa.length;
  const n2 = sb.length;
  let d = ksStatisticSorted(sa, sb);

  if (Math.max(n1, n2) <= KS_EXACT_MAX_SIZE) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, pValue: 1, method: "exact" };
    const p = n1 === n2 ? probabilityOutsideSquare(n1, h) : probabilityOutsideBand(n1, n2, h);
    if (p >= 0 && p <= 1) return { statistic: d, pValue: p, method: "exact" };
  }
  return { statistic: d, pValue: ksAsymptoticPValue(d, n1, n2), method: "asymptotic" };
}

/**
 * The asymptotic two-sided KS p-value for a statistic d between samples of n₁ and n₂ values:
 * `kolmogorovSurvival(round(n₁n₂/(n₁+n₂)), d)` = `scipy.stats.kstwo.sf(d, round(en))`, scipy's path when
 * max(n₁, n₂) > 10,000. The drift core uses it for a sketched baseline, with n₁ the full baseline size.
 */
export function ksAsymptoticPValue(d: number, n1: number, n2: number): number {
  if (!(n1 > 0 && n2 > 0)) throw new ValidationError("ksAsymptoticPValue requires positive sample sizes");
  if (d <= 0) return 1;
  const en = (n1 * n2) / (n1 + n2);
  const p = kolmogorovSurvival(roundHalfEven(en), Math.min(1, d));
  return Math.min(1, Math.max(0, p));
}
