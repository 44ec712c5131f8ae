/**
 * Benjamini–Hochberg adjusted p-values (false discovery rate) for m simultaneous tests.
 *
 * Sort the p-values ascending, p₍ᵢ₎ · m / i, take the running minimum from the largest down, cap at 1, and
 * return them in the input order. Equal to `scipy.stats.false_discovery_control(p, method='bh')`
 * (and statsmodels' `multipletests(method='fdr_bh')`).
 * Cost: O(m log m).
 *
 * @throws {ValidationError} when a p-value is outside [0, 1] or NaN.
 * @example
 * benjaminiHochberg([0.01, 0.04, 0.03]); // → [0.03, 0.04, 0.04]
 */
import { ValidationError } from "../errors.js";

export function benjaminiHochberg(pValues: ArrayLike<number>): number[] {
  const m = pValues.length;
  for (let i = 0; i < m; i++) {
    if (!(pValues[i] >= 0 && pValues[i] <= 1)) {
      throw new ValidationError("benjaminiHochberg requires p-values in [0, 1]");
    }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => pValues[x] - pValues[y]);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const index = order[rank - 1];
    running = Math.min(running, (pValues[index] * m) / rank);
    adjusted[index] = running;
  }
  return adjusted;
}
