/**
 * Regression quality metrics: RMSE, MAE, MAPE, R².
 *
 * With eᵢ = actualᵢ − predictedᵢ over n rows:
 * - RMSE = √(Σ eᵢ² / n), MAE = Σ |eᵢ| / n — `sklearn.metrics.root_mean_squared_error`, `mean_absolute_error`.
 * - MAPE = 100 · mean(|eᵢ| / |actualᵢ|) over the rows whose actual ≠ 0, in percent; `mapeExcluded` counts the
 *   rows left out (scikit-learn's `mean_absolute_percentage_error` would divide by machine epsilon instead and
 *   return a fraction — we exclude, so one zero does not explode the figure). `null` when every actual is 0.
 * - R² = 1 − Σ eᵢ² / Σ (actualᵢ − mean)², `sklearn.metrics.r2_score` with its `force_finite` convention: a
 *   constant actual gives 1 when the predictions are perfect, else 0. `null` for fewer than two rows.
 * Cost: O(n), two passes.
 *
 * @throws {ValidationError} when the inputs are empty, differ in length, or hold a non-finite value.
 * @example
 * regressionMetrics([3, -0.5, 2, 7], [2.5, 0, 2, 8]);
 * // → { rmse: 0.6123724356957945, mae: 0.5, mape: 32.73809523809524, mapeExcluded: 0, r2: 0.9486081370449679, count: 4 }
 */
import { ValidationError } from "../errors.js";

export interface RegressionMetrics {
  readonly rmse: number;
  readonly mae: number;
  /** Mean absolute percentage error in percent over rows with actual ≠ 0; null when there are none. */
  readonly mape: number | null;
  /** Rows left out of MAPE because their actual is 0. */
  readonly mapeExcluded: number;
  /** Coefficient of determination; null with fewer than two rows. */
  readonly r2: number | null;
  readonly count: number;
}

export function regressionMetrics(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionMetrics {
  const n = actual.length;
  if (n !== predicted.length) throw new ValidationError("regressionMetrics requires actual and predicted of equal length");
  if (n === 0) throw new ValidationError("regressionMetrics requires at least one row");
  let sumSquared = 0;
  let sumAbsolute = 0;
  let sumPercent = 0;
  let percentRows = 0;
  let sumActual = 0;
  for (let i = 0; i < n; i++) {
    const y = actual[i];
    const p = predicted[i];
    if (!Number.isFinite(y) || !Number.isFinite(p)) {
      throw new ValidationError("regressionMetrics requires finite actual and predicted values");
    }
    const e = y - p;
    sumSquared += e * e;
    sumAbsolute += Math.abs(e);
    if (y !== 0) {
      sumPercent += Math.abs(e) / Math.abs(y);
      percentRows++;
    }
    sumActual += y;
  }
  const mean = sumActual / n;
  let sumTotal = 0;
  for (let i = 0; i < n; i++) sumTotal += (actual[i] - mean) ** 2;
  return regressionFromSums({ n, sse: sumSquared, sae: sumAbsolute, sape: sumPercent, percentRows, ssTotal: sumTotal });
}

/** The sums regression metrics are made of; also what a window of batches adds up. */
export interface RegressionSums {
  /** Rows. */
  readonly n: number;
  /** Σ (actual − predicted)². */
  readonly sse: number;
  /** Σ |actual − predicted|. */
  readonly sae: number;
  /** Σ |actual − predicted| / |actual| over rows whose actual ≠ 0. */
  readonly sape: number;
  /** Rows whose actual ≠ 0. */
  readonly percentRows: number;
  /** Σ (actual − mean actual)². */
  readonly ssTotal: number;
}

/**
 * RMSE, MAE, MAPE and R² from their sums (scikit-learn's definitions; R² is 1 for a perfect fit of
 * constant actuals and 0 otherwise when the actuals do not vary). O(1).
 */
export function regressionFromSums(sums: RegressionSums): RegressionMetrics {
  const { n, sse, sae, sape, percentRows, ssTotal } = sums;
  let r2: number | null = null;
  if (n >= 2) r2 = ssTotal === 0 ? (sse === 0 ? 1 : 0) : 1 - sse / ssTotal;
  return {
    rmse: Math.sqrt(sse / n),
    mae: sae / n,
    mape: percentRows > 0 ? (100 * sape) / percentRows : null,
    mapeExcluded: n - percentRows,
    r2,
    count: n,
  };
}
