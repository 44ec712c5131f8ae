/**
 * Jensen–Shannon distance, base 2, between two discrete distributions.
 *
 * Both vectors are first normalised to sum 1; with m = (p + q)/2,
 * JSD = √( (KL(p‖m) + KL(q‖m)) / 2 / ln 2 ), where KL terms with pᵢ = 0 contribute 0 (scipy's `rel_entr`).
 * Lies in [0, 1]; symmetric. Equal to `scipy.spatial.distance.jensenshannon(p, q, base=2)` to ~1e-12.
 * Used on the unsmoothed bin (or category) shares — no 1e-4 substitution as in PSI.
 * Cost: O(k) for k bins.
 *
 * @throws {ValidationError} when the vectors differ in length, are empty, hold negative values or sum to 0.
 * @example
 * jensenShannonDistance([1, 0], [0, 1]); // → 1
 */
import { ValidationError } from "../errors.js";

export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new ValidationError("jensenShannonDistance requires vectors of equal length");
  if (p.length === 0) throw new ValidationError("jensenShannonDistance requires at least one element");
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0) || !(q[i] >= 0)) throw new ValidationError("jensenShannonDistance requires non-negative values");
    sp += p[i];
    sq += q[i];
  }
  if (sp === 0 || sq === 0) throw new ValidationError("jensenShannonDistance requires vectors with a positive sum");
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    const m = (pi + qi) / 2;
    if (pi > 0) total += pi * Math.log(pi / m);
    if (qi > 0) total += qi * Math.log(qi / m);
  }
  const js = total / 2 / Math.LN2;
  return Math.sqrt(Math.max(0, js));
}
