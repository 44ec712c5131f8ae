/**
 * Sufficient statistics of a batch, so that the metrics of any set of batches (a day, a 30-day window, a
 * version) are exact recombinations of what was stored per batch — not averages of averages.
 *
 * Regression: n, SSE = Σeᵢ², SAE = Σ|eᵢ|, SAPE = Σ|eᵢ/yᵢ| over the rows with yᵢ ≠ 0 and their count, and the
 * actuals' mean and M2 = Σ(yᵢ − ȳ)². Per batch, SSE, SAE and SAPE are taken from the statistics engine's
 * `regressionMetrics` (SSE = RMSE²·n, SAE = MAE·n, SAPE = MAPE/100 · rows with y ≠ 0); mean and M2 by Welford.
 * Two sets combine with Chan et al.'s pairwise update M2 = M2ₐ + M2ᵦ + δ²·nₐnᵦ/n (δ = ȳᵦ − ȳₐ), which stays
 * accurate where Σy² − (Σy)²/n would cancel. The combined metrics follow `regressionMetrics`' conventions:
 * RMSE = √(SSE/n), MAE = SAE/n, MAPE in percent over rows with y ≠ 0 (null when none), R² = 1 − SSE/M2 with
 * scikit-learn's force_finite rule for constant actuals, null below two rows.
 *
 * Classification: the confusion matrix (rows actual, columns predicted) over its labels. Matrices combine by
 * label; accuracy, precision, recall and F1 of the combination follow `classificationMetrics`' definitions
 * (binary when every label is 0/1, else macro averages; 0 when a denominator is 0). ROC AUC cannot be
 * recombined from per-batch summaries: the window's AUC is the row-count-weighted mean of the batches' AUCs
 * (over the batches that have one). Log loss is a mean of per-row terms, so its count-weighted mean is exact.
 * Cost: O(k²) per combination for k labels; O(1) for regression.
 */
import { ValidationError } from "../errors.js";
import { metricsFromConfusion, type ClassificationMetrics } from "../metrics/classification.js";
import { regressionFromSums, type RegressionMetrics } from "../metrics/regression.js";

/** Sufficient statistics of regression rows. */
export interface RegressionStats {
  readonly task: "regression";
  readonly n: number;
  readonly sse: number;
  readonly sae: number;
  readonly sape: number;
  /** Rows with actual ≠ 0 (those MAPE is taken over). */
  readonly percentRows: number;
  readonly meanActual: number;
  readonly m2Actual: number;
}

/** Sufficient statistics of classification rows. */
export interface ClassificationStats {
  readonly task: "classification";
  readonly n: number;
  readonly labels: string[];
  /** matrix[i][j]: rows whose actual is labels[i] and prediction labels[j]. */
  readonly matrix: number[][];
  /** Σ AUC·rows over the batches that have an AUC, and those rows. */
  readonly aucWeighted: number;
  readonly aucRows: number;
  /** Σ log loss·rows over the batches scored with probabilities, and those rows. */
  readonly logLossWeighted: number;
  readonly logLossRows: number;
}

export type BatchStats = RegressionStats | ClassificationStats;

/** Regression metrics of a set of batches: the same quantities the engine gives for one batch. */
export type WindowRegressionMetrics = RegressionMetrics;

/**
 * Classification metrics of a set of batches, as the engine gives them for one batch, except that `auc` is
 * the row-count-weighted mean of the batches' AUCs (omitted when no batch has one).
 */
export type WindowClassificationMetrics = ClassificationMetrics;

export type WindowMetrics = WindowRegressionMetrics | WindowClassificationMetrics;

/**
 * The sufficient statistics of one regression batch.
 * @param actual the batch's actual values (finite)
 * @param metrics `regressionMetrics(actual, predicted)` of the same rows
 */
export function regressionStats(actual: ArrayLike<number>, metrics: RegressionMetrics): RegressionStats {
  const n = actual.length;
  if (n === 0 || n !== metrics.count) throw new ValidationError("regressionStats requires the actuals the metrics were computed from");
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const delta = actual[i] - mean;
    mean += delta / (i + 1);
    m2 += delta * (actual[i] - mean);
  }
  const percentRows = n - metrics.mapeExcluded;
  return {
    task: "regression",
    n,
    sse: metrics.rmse * metrics.rmse * n,
    sae: metrics.mae * n,
    sape: metrics.mape === null ? 0 : (metrics.mape / 100) * percentRows,
    percentRows,
    meanActual: mean,
    m2Actual: m2,
  };
}

/** The sufficient statistics of one classification batch, from `classificationMetrics` of its rows. */
export function classificationStats(metrics: ClassificationMetrics): ClassificationStats {
  return {
    task: "classification",
    n: metrics.count,
    labels: [...metrics.confusionMatrix.labels],
    matrix: metrics.confusionMatrix.matrix.map((row) => [...row]),
    aucWeighted: metrics.auc === undefined ? 0 : metrics.auc * metrics.count,
    aucRows: metrics.auc === undefined ? 0 : metrics.count,
    logLossWeighted: metrics.logLoss === undefined ? 0 : metrics.logLoss * metrics.count,
    logLossRows: metrics.logLoss === undefined ? 0 : metrics.count,
  };
}

/** Orders labels as `classificationMetrics` does: numerically when every label is a number, else as text. */
export function sortLabels(labels: Iterable<string>): string[] {
  const list = [...new Set(labels)];
  const binary = list.every((l) => l === "0" || l === "1");
  if (binary) return ["0", "1"];
  const numeric = list.every((l) => l.trim() !== "" && Number.isFinite(Number(l)));
  return numeric ? list.sort((a, b) => Number(a) - Number(b)) : list.sort();
}

function combineRegression(a: RegressionStats, b: RegressionStats): RegressionStats {
  const n = a.n + b.n;
  const delta = b.meanActual - a.meanActual;
  return {
    task: "regression",
    n,
    sse: a.sse + b.sse,
    sae: a.sae + b.sae,
    sape: a.sape + b.sape,
    percentRows: a.percentRows + b.percentRows,
    meanActual: a.meanActual + (delta * b.n) / n,
    m2Actual: a.m2Actual + b.m2Actual + (delta * delta * a.n * b.n) / n,
  };
}

/** Labels that occur (a binary matrix lists 0 and 1 even when one never occurs). */
function occurring(s: ClassificationStats): string[] {
  return s.labels.filter((_, i) => s.matrix[i].some((v) => v > 0) || s.matrix.some((row) => row[i] > 0));
}

function combineClassification(a: ClassificationStats, b: ClassificationStats): ClassificationStats {
  // Only labels that occur: a multiclass union must not average over a 0/1 padding label that never occurred.
  const labels = sortLabels([...occurring(a), ...occurring(b)]);
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0));
  for (const s of [a, b]) {
    s.labels.forEach((actual, i) => {
      s.labels.forEach((predicted, j) => {
        if (s.matrix[i][j] > 0) matrix[index.get(actual) as number][index.get(predicted) as number] += s.matrix[i][j];
      });
    });
  }
  return {
    task: "classification",
    n: a.n + b.n,
    labels,
    matrix,
    aucWeighted: a.aucWeighted + b.aucWeighted,
    aucRows: a.aucRows + b.aucRows,
    logLossWeighted: a.logLossWeighted + b.logLossWeighted,
    logLossRows: a.logLossRows + b.logLossRows,
  };
}

/**
 * Combines the statistics of several batches of one task.
 * @throws {ValidationError} when the list is empty or mixes regression and classification.
 */
export function combineStats(stats: readonly BatchStats[]): BatchStats {
  if (stats.length === 0) throw new ValidationError("combineStats requires at least one batch");
  const task = stats[0].task;
  if (stats.some((s) => s.task !== task)) throw new ValidationError("combineStats requires batches of one task (regression or classification)");
  let total = stats[0];
  for (let i = 1; i < stats.length; i++) {
    total = task === "regression" ? combineRegression(total as RegressionStats, stats[i] as RegressionStats) : combineClassification(total as ClassificationStats, stats[i] as ClassificationStats);
  }
  return total;
}

/** The metrics of combined statistics (see the file comment for the definitions). */
export function metricsFromStats(stats: BatchStats): WindowMetrics {
  if (stats.task === "regression") {
    // Welford and the pairwise update give exactly 0 for constant actuals, as the engine's two-pass sum does.
    const { n, sse, sae, sape, percentRows, m2Actual } = stats;
    return regressionFromSums({ n, sse, sae, sape, percentRows, ssTotal: m2Actual });
  }
  const base = metricsFromConfusion([...stats.labels], stats.matrix.map((r) => [...r]));
  return {
    ...base,
    ...(stats.aucRows > 0 ? { auc: stats.aucWeighted / stats.aucRows } : {}),
    ...(stats.logLossRows > 0 ? { logLoss: stats.logLossWeighted / stats.logLossRows } : {}),
  };
}

/** The value of one metric in a metrics object, or undefined when it has none (null R², no AUC). */
export function metricValue(metrics: WindowMetrics | Readonly<Record<string, unknown>>, name: string): number | undefined {
  const value = (metrics as Record<string, unknown>)[name];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
