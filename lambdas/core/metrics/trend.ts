/**
 * Trend of a quality metric over time: least-squares line value = intercept + slope·t, its two-sided
 * p-value, and whether the metric is improving, degrading or flat.
 *
 * slope = cov(t, value) / var(t) (population moments), intercept = mean(value) − slope·mean(t),
 * r = cov / √(var(t)·var(value)), T = r·√((n−2) / ((1 − r + 1e-20)(1 + r + 1e-20))), p = 2·P(T_{n−2} > |T|) —
 * `scipy.stats.linregress(t, value)` exactly. The direction is `flat` when p ≥ 0.05 or n < 3; otherwise a
 * falling line is `improving` when lower is better (`direction: "lower"`, e.g. RMSE), and so on.
 * A constant metric (scipy would answer p = NaN) gives slope 0, p = 1, flat.
 * Cost: O(n).
 *
 * @throws {ValidationError} when there are fewer than two points, a value is not finite, or every t is equal
 *   (scipy raises too).
 * @example
 * metricTrend([{ t: 1, value: 0.9 }, { t: 2, value: 0.8 }, { t: 3, value: 0.7 }, { t: 4, value: 0.61 }], "higher").direction; // → "degrading"
 */
import { ValidationError } from "../errors.js";
import { studentTSurvival } from "../stats/student-t.js";

/** p-value below which a trend counts as real. */
export const TREND_SIGNIFICANCE = 0.05;

export interface TrendPoint {
  readonly t: number;
  readonly value: number;
}

export interface MetricTrend {
  readonly slope: number;
  readonly intercept: number;
  readonly pValue: number;
  readonly direction: "improving" | "degrading" | "flat";
  readonly n: number;
}

export function metricTrend(points: readonly TrendPoint[], direction: "lower" | "higher"): MetricTrend {
  const n = points.length;
  if (n < 2) throw new ValidationError("metricTrend requires at least two points");
  if (direction !== "lower" && direction !== "higher") {
    throw new ValidationError('metricTrend requires direction "lower" or "higher"');
  }
  let sumT = 0;
  let sumV = 0;
  for (const { t, value } of points) {
    if (!Number.isFinite(t) || !Number.isFinite(value)) {
      throw new ValidationError("metricTrend requires finite t and value");
    }
    sumT += t;
    sumV += value;
  }
  const meanT = sumT / n;
  const meanV = sumV / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const { t, value } of points) {
    const dt = t - meanT;
    const dv = value - meanV;
    sxx += dt * dt;
    sxy += dt * dv;
    syy += dv * dv;
  }
  if (sxx === 0) throw new ValidationError("metricTrend requires at least two distinct times");
  sxx /= n;
  sxy /= n;
  syy /= n;
  const slope = sxy / sxx;
  const intercept = meanV - slope * meanT;
  let pValue: number;
  if (syy === 0) {
    pValue = 1;
  } else if (n === 2) {
    pValue = 0; // two distinct values: a perfect line, as scipy
  } else {
    const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
    const dof = n - 2;
    const tStat = r * Math.sqrt(dof / ((1 - r + 1e-20) * (1 + r + 1e-20)));
    pValue = Math.min(1, 2 * studentTSurvival(Math.abs(tStat), dof));
  }
  let trend: MetricTrend["direction"] = "flat";
  if (n >= 3 && pValue < TREND_SIGNIFICANCE && slope !== 0) {
    const improving = direction === "lower" ? slope < 0 : slope > 0;
    trend = improving ? "improving" : "degrading";
  }
  return { slope, intercept, pValue, direction: trend, n };
}
