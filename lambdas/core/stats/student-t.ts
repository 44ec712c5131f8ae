/**
 * Survival function of Student's t distribution: P(T > t) for `dof` degrees of freedom.
 *
 * P(T > t) = ½ I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0, and 1 − P(T > |t|) for t < 0, with I the regularized
 * incomplete beta function. Agrees with `scipy.stats.t.sf(t, dof)` to ~1e-13 relative.
 * Cost: O(√ν) iterations.
 *
 * @throws {ValidationError} when dof ≤ 0 or t is NaN.
 * @example
 * studentTSurvival(2, 10); // → 0.03669401738537051
 */
import { ValidationError } from "../errors.js";
import { regularizedBeta } from "./beta.js";

export function studentTSurvival(t: number, dof: number): number {
  if (!(dof > 0)) throw new ValidationError("studentTSurvival requires positive degrees of freedom");
  if (Number.isNaN(t)) throw new ValidationError("studentTSurvival requires a number t");
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const tail = 0.5 * regularizedBeta(dof / (dof + t * t), dof / 2, 0.5);
  return t >= 0 ? tail : 1 - tail;
}
