/**
 * Quantile of a sorted sample by linear interpolation — numpy's default (`np.quantile(a, q)`,
 * method 'linear', Hyndman & Fan type 7).
 *
 * The virtual index is (n − 1)·q; with i = ⌊(n − 1)·q⌋ and γ its fractional part the quantile is
 * a[i] + γ·(a[i+1] − a[i]), evaluated as numpy's `_lerp` does (from the upper end, b − (b − a)(1 − γ),
 * when γ ≥ ½) so the edges are bit-identical to numpy's and a value equal to an edge lands in the same bin.
 * Cost: O(1) per quantile on sorted input.
 *
 * @throws {ValidationError} when the sample is empty or q is outside [0, 1].
 * @example
 * quantileSorted(Float64Array.of(1, 2, 3, 4), 0.5); // → 2.5
 */
import { ValidationError } from "../errors.js";

export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new ValidationError("quantileSorted requires at least one value");
  if (!(q >= 0 && q <= 1)) throw new ValidationError("quantileSorted requires q in [0, 1]");
  const virtual = (n - 1) * q;
  if (virtual >= n - 1) return sorted[n - 1];
  const previous = Math.floor(virtual);
  const gamma = virtual - previous;
  const a = sorted[previous];
  const b = sorted[previous + 1];
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}
