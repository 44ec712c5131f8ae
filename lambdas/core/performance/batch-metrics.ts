/**
 * The metrics of one checked batch — from the statistics engine (`regressionMetrics`,
 * `classificationMetrics`) — and its sufficient statistics for window aggregation.
 * Cost: the engine's, O(n) (+ O(n log n) for AUC).
 */
import { classificationMetrics, type ClassificationMetrics } from "../metrics/classification.js";
import { regressionMetrics, type RegressionMetrics } from "../metrics/regression.js";
import type { CheckedColumns } from "./batch-columns.js";
import type { QualityMetric } from "./metric-names.js";
import { type BatchStats, classificationStats, regressionStats } from "./sufficient-stats.js";

/** A batch's metrics and statistics. */
export interface BatchEvaluation {
  readonly metrics: RegressionMetrics | ClassificationMetrics;
  readonly stats: BatchStats;
  /** The judged metrics by canonical name. */
  readonly values: Partial<Record<QualityMetric, number | null>>;
}

/** Computes a batch's metrics with the statistics engine. */
export function evaluateBatch(columns: CheckedColumns): BatchEvaluation {
  if (columns.task === "regression") {
    const metrics = regressionMetrics(columns.actual, columns.predicted);
    return {
      metrics,
      stats: regressionStats(columns.actual, metrics),
      values: { rmse: metrics.rmse, mae: metrics.mae, mape: metrics.mape, r2: metrics.r2 },
    };
  }
  const metrics = classificationMetrics(columns.actual, columns.predicted, columns.scores);
  return {
    metrics,
    stats: classificationStats(metrics),
    values: {
      accuracy: metrics.accuracy,
      precision: metrics.precision,
      recall: metrics.recall,
      f1: metrics.f1,
      ...(metrics.auc !== undefined ? { auc: metrics.auc } : {}),
      ...(metrics.logLoss !== undefined ? { logLoss: metrics.logLoss } : {}),
    },
  };
}
