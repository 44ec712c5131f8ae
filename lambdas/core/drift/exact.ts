/**
 * Gates that floating point cannot defeat: every share and count comparison of the decision rule is made
 * on integers, and a threshold is read as the decimal its JSON spelling denotes.
 *
 * A threshold t (a double from JSON or the defaults) is taken as the rational its shortest round-trip
 * decimal spelling names (`String(t)`: 0.05 → 5/100, 1e-7 → 1/10⁷), so "a share of x/n reaches t" is
 * x·den ≥ num·n in BigInt arithmetic — exact. A difference of two shares x₂/n₂ − x₁/n₁ is
 * (x₂n₁ − x₁n₂)/(n₁n₂), compared the same way. Consequence: a missing share going 1 % → 6 % of 2,000 rows
 * (20 → 120) is a change of exactly 5/100 and reaches a 0.05 gate (in doubles it is 0.049999999999999996).
 * Effect sizes that are not ratios of counts (PSI, normalised Wasserstein) are compared with a stated
 * relative tolerance: a value within {@link EFFECT_TOLERANCE} of its threshold counts as reaching it.
 * Cost: O(digits) per comparison.
 */
import { ValidationError } from "../errors.js";

/** Relative tolerance of the floating-point effect-size gates (PSI, normalised Wasserstein). */
export const EFFECT_TOLERANCE = 1e-9;

/** The rational num/den a finite, non-negative double's shortest decimal spelling denotes. */
export function decimalRational(x: number): { num: bigint; den: bigint } {
  if (!(Number.isFinite(x) && x >= 0)) throw new ValidationError("decimalRational requires a finite non-negative number");
  const [mantissa, exponent] = String(x).toLowerCase().split("e");
  const [whole, fraction = ""] = mantissa.split(".");
  const scale = fraction.length - (exponent === undefined ? 0 : Number(exponent));
  const digits = BigInt(whole + fraction);
  return scale >= 0 ? { num: digits, den: 10n ** BigInt(scale) } : { num: digits * 10n ** BigInt(-scale), den: 1n };
}

function count(x: number): bigint {
  if (!(Number.isInteger(x) && x >= 0)) throw new ValidationError("an exact gate requires non-negative integer counts");
  return BigInt(x);
}

/** part / whole ≥ threshold, exactly (whole > 0). */
export function shareReaches(part: number, whole: number, threshold: number): boolean {
  const { num, den } = decimalRational(threshold);
  return count(part) * den >= num * count(whole);
}

/** |x₂/n₂ − x₁/n₁| ≥ threshold, exactly (n₁, n₂ > 0). */
export function shareChangeReaches(x1: number, n1: number, x2: number, n2: number, threshold: number): boolean {
  const { num, den } = decimalRational(threshold);
  const diff = count(x2) * count(n1) - count(x1) * count(n2);
  return (diff < 0n ? -diff : diff) * den >= num * count(n1) * count(n2);
}

/** value ≥ threshold for effect sizes computed in floating point, with the relative tolerance {@link EFFECT_TOLERANCE}. */
export function effectReaches(value: number | null | undefined, threshold: number): boolean {
  if (value === null || value === undefined || Number.isNaN(value)) return false;
  return value >= threshold - EFFECT_TOLERANCE * Math.max(1, Math.abs(threshold));
}
