/**
 * Calibration of a binary classifier's scores to outcomes, fitted on a labelled reference: the map
 * score → P(actual = 1 | score) that performance estimation applies to unlabelled rows.
 *
 * Two fits, both on grouped data (points x with `total` rows and `positives` of them actually 1):
 * - **isotonic**: the weighted pool-adjacent-violators algorithm — the non-decreasing step function
 *   closest in weighted least squares to positives/total (`scipy.optimize.isotonic_regression(y, weights=w)`
 *   gives the same fitted values); between fitted points it interpolates linearly and clips outside them, as
 *   scikit-learn's `IsotonicRegression(out_of_bounds="clip")` predicts. No shape assumption, but it needs data:
 *   with few rows its steps follow the noise.
 * - **platt**: Platt scaling on the score's logit, P = σ(a·logit(x) + b), fitted by maximum likelihood
 *   (Newton's method with step halving; the same optimum `scipy.optimize.minimize` finds). Two parameters,
 *   so it is stable on small references; a calibrated model is a = 1, b = 0; it cannot bend a non-sigmoid
 *   miscalibration.
 *
 * Rule (`chooseCalibration`): isotonic when the reference has at least 1,000 rows and at least 100 of each
 * class — the size below which scikit-learn's documentation warns that isotonic calibration overfits —
 * otherwise Platt.
 *
 * `calibrationError` is the expected calibration error over ten equal-width bins of the *score*,
 * Σ |Σ(actual) − Σ(p)| / n: how far the calibrated probability is from the observed rate where the scores
 * fall. (Binned by the probability instead, a fit that pools unlike scores into one value — a sigmoid
 * flattened over a non-monotone relation — would look perfect.) `crossFittedCalibrationError` measures it out of sample: each
 * reference row is put in one of two halves at random (seeded binomial thinning of every point's counts),
 * each half is calibrated on the other, and the two errors are averaged — an in-sample isotonic fit would
 * look perfect by construction.
 */
import { ValidationError } from "../errors.js";
import type { Variates } from "./estimation-sampling.js";

/** Grouped outcomes: at each x (ascending), `total` rows of which `positives` are 1. */
export interface GroupedOutcomes {
  readonly x: ArrayLike<number>;
  readonly total: ArrayLike<number>;
  readonly positives: ArrayLike<number>;
}

export type CalibrationMethod = "isotonic" | "platt";

/** A fitted calibration. */
export type Calibration =
  | { readonly method: "isotonic"; readonly x: Float64Array; readonly p: Float64Array }
  | { readonly method: "platt"; readonly a: number; readonly b: number };

/** Fewest rows, and fewest of each class, for isotonic calibration. */
export const isotonicMinRows = 1000;
export const isotonicMinPerClass = 100;

/** The calibration method the rule chooses for a reference (see the file comment). */
export function chooseCalibration(rows: number, positives: number): CalibrationMethod {
  return rows >= isotonicMinRows && positives >= isotonicMinPerClass && rows - positives >= isotonicMinPerClass ? "isotonic" : "platt";
}

/**
 * Weighted pool-adjacent-violators: the non-decreasing fit to y with weights w (points in the given order).
 * Points of weight 0 take their block's value. O(n).
 */
export function poolAdjacentViolators(y: ArrayLike<number>, w: ArrayLike<number>): Float64Array {
  const n = y.length;
  const value = new Float64Array(n);
  const weight = new Float64Array(n);
  const size = new Int32Array(n);
  let blocks = 0;
  for (let i = 0; i < n; i++) {
    value[blocks] = y[i];
    weight[blocks] = w[i];
    size[blocks] = 1;
    blocks++;
    while (blocks > 1 && value[blocks - 2] > value[blocks - 1]) {
      const wa = weight[blocks - 2];
      const wb = weight[blocks - 1];
      const total = wa + wb;
      value[blocks - 2] = total > 0 ? (value[blocks - 2] * wa + value[blocks - 1] * wb) / total : (value[blocks - 2] + value[blocks - 1]) / 2;
      weight[blocks - 2] = total;
      size[blocks - 2] += size[blocks - 1];
      blocks--;
    }
  }
  const out = new Float64Array(n);
  let i = 0;
  for (let b = 0; b < blocks; b++) for (let k = 0; k < size[b]; k++) out[i++] = value[b];
  return out;
}

/** Isotonic calibration of grouped outcomes (points with no rows are skipped). */
export function fitIsotonic(data: GroupedOutcomes): Calibration {
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (let i = 0; i < data.x.length; i++) {
    if (data.total[i] <= 0) continue;
    if (xs.length > 0 && data.x[i] <= xs[xs.length - 1]) throw new ValidationError("fitIsotonic requires ascending x");
    xs.push(data.x[i]);
    ys.push(data.positives[i] / data.total[i]);
    ws.push(data.total[i]);
  }
  if (xs.length === 0) throw new ValidationError("fitIsotonic requires at least one row");
  return { method: "isotonic", x: Float64Array.from(xs), p: poolAdjacentViolators(ys, ws) };
}

const logit = (x: number): number => {
  const c = Math.min(1 - 1e-6, Math.max(1e-6, x));
  return Math.log(c / (1 - c));
};
const sigmoid = (t: number): number => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));

/** Negative log-likelihood of P = σ(a·z + b) on grouped outcomes. */
function plattLoss(z: Float64Array, total: ArrayLike<number>, positives: ArrayLike<number>, a: number, b: number): number {
  let loss = 0;
  for (let i = 0; i < z.length; i++) {
    const t = a * z[i] + b;
    // log σ(t) = −log(1 + e^(−t)), log(1 − σ(t)) = −log(1 + e^t), both computed without overflow
    const logP = -(t >= 0 ? Math.log1p(Math.exp(-t)) : -t + Math.log1p(Math.exp(t)));
    const logQ = -(t >= 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)));
    loss -= positives[i] * logP + (total[i] - positives[i]) * logQ;
  }
  return loss;
}

/**
 * Platt scaling on the logit: maximum-likelihood a, b of P = σ(a·logit(x) + b), x clipped to [1e-6, 1 − 1e-6].
 * Newton's method with step halving, at most 100 iterations; a reference with one class only (separable)
 * has no finite optimum and is refused.
 */
export function fitPlatt(data: GroupedOutcomes): Calibration {
  const n = data.x.length;
  const z = new Float64Array(n);
  let rows = 0;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    z[i] = logit(data.x[i]);
    rows += data.total[i];
    pos += data.positives[i];
  }
  if (pos <= 0 || pos >= rows) throw new ValidationError("fitPlatt requires both classes in the reference");
  let a = 1;
  let b = 0;
  let loss = plattLoss(z, data.total, data.positives, a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a * z[i] + b);
      const r = data.total[i] * p - data.positives[i];
      const v = data.total[i] * p * (1 - p);
      ga += r * z[i];
      gb += r;
      haa += v * z[i] * z[i];
      hab += v * z[i];
      hbb += v;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    let next = plattLoss(z, data.total, data.positives, a - da, b - db);
    while (next > loss && step > 1e-10) {
      step /= 2;
      next = plattLoss(z, data.total, data.positives, a - step * da, b - step * db);
    }
    if (next > loss) break;
    a -= step * da;
    b -= step * db;
    const improved = loss - next;
    loss = next;
    if (improved <= 1e-12 * Math.max(1, Math.abs(loss)) && Math.abs(step * da) + Math.abs(step * db) < 1e-10) break;
  }
  return { method: "platt", a, b };
}

/** Fits the given method. */
export function fitCalibration(method: CalibrationMethod, data: GroupedOutcomes): Calibration {
  return method === "isotonic" ? fitIsotonic(data) : fitPlatt(data);
}

/** P(actual = 1) at score x under a calibration. */
export function calibrate(c: Calibration, x: number): number {
  if (c.method === "platt") return sigmoid(c.a * logit(x) + c.b);
  const xs = c.x;
  const n = xs.length;
  if (x <= xs[0]) return c.p[0];
  if (x >= xs[n - 1]) return c.p[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  const t = (x - xs[lo]) / (xs[hi] - xs[lo]);
  return c.p[lo] + t * (c.p[hi] - c.p[lo]);
}

/** Expected calibration error of probabilities p at scores x against grouped outcomes (ten equal-width bins of x). */
export function calibrationError(x: ArrayLike<number>, p: ArrayLike<number>, total: ArrayLike<number>, positives: ArrayLike<number>): number {
  const gap = new Float64Array(10);
  let rows = 0;
  for (let i = 0; i < p.length; i++) {
    const k = Math.min(9, Math.floor(x[i] * 10));
    gap[k] += positives[i] - total[i] * p[i];
    rows += total[i];
  }
  if (rows === 0) return 0;
  let sum = 0;
  for (const g of gap) sum += Math.abs(g);
  return sum / rows;
}

/**
 * Out-of-sample calibration error of `method` on a reference: two seeded random halves, each calibrated on
 * the other (see the file comment). A half without both classes is skipped; NaN when both are.
 */
export function crossFittedCalibrationError(method: CalibrationMethod, data: GroupedOutcomes, random: Variates): number {
  const n = data.x.length;
  const halves = [
    { total: new Float64Array(n), positives: new Float64Array(n) },
    { total: new Float64Array(n), positives: new Float64Array(n) },
  ];
  for (let i = 0; i < n; i++) {
    const posA = random.binomial(data.positives[i], 0.5);
    const negA = random.binomial(data.total[i] - data.positives[i], 0.5);
    halves[0].positives[i] = posA;
    halves[0].total[i] = posA + negA;
    halves[1].positives[i] = data.positives[i] - posA;
    halves[1].total[i] = data.total[i] - posA - negA;
  }
  const errors: number[] = [];
  for (const [fitOn, testOn] of [
    [halves[0], halves[1]],
    [halves[1], halves[0]],
  ]) {
    let pos = 0;
    let rows = 0;
    for (let i = 0; i < n; i++) {
      pos += fitOn.positives[i];
      rows += fitOn.total[i];
    }
    if (pos <= 0 || pos >= rows) continue;
    const fit = fitCalibration(method, { x: data.x, total: fitOn.total, positives: fitOn.positives });
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) p[i] = calibrate(fit, data.x[i]);
    errors.push(calibrationError(data.x, p, testOn.total, testOn.positives));
  }
  return errors.length === 0 ? Number.NaN : errors.reduce((s, e) => s + e, 0) / errors.length;
}
