/**
 * Classification quality metrics: accuracy, precision, recall, F1, ROC AUC, log loss, confusion matrix.
 *
 * Labels are compared as strings (`1` and `"1"` are the same class). The problem is binary when every label
 * is 0 or 1: precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2PR/(P+R) for the positive label 1, 0 when a
 * denominator is 0 (scikit-learn's `zero_division` default). Otherwise multiclass: the unweighted mean over
 * the classes of the per-class precision, recall and F1 (`average='macro'`). Accuracy is the share of exact
 * matches. All as `sklearn.metrics.precision_recall_fscore_support` / `accuracy_score` define them.
 *
 * Scores (binary only: the probability of class 1): when `predicted` is null the predicted labels are the
 * scores thresholded at 0.5 (score ≥ 0.5 → 1); `auc` (`rocAuc`, omitted when only one class is present) and
 * `logLoss` come from the scores.
 * The confusion matrix has rows = actual, columns = predicted, over the sorted union of the labels
 * (`sklearn.metrics.confusion_matrix` layout; numeric labels sort numerically).
 * Cost: O(n + k²) plus O(n log n) for AUC.
 *
 * @throws {ValidationError} when the inputs are empty or differ in length, neither predictions nor scores are
 *   given, or scores are given for a multiclass problem.
 * @example
 * classificationMetrics([1, 0, 1, 1], [1, 0, 0, 1]).f1; // → 0.8
 */
import { ValidationError } from "../errors.js";
import { logLoss } from "./log-loss.js";
import { rocAuc } from "./roc-auc.js";

export type ClassLabel = string | number | boolean;

export interface ConfusionMatrix {
  /** Class labels in row/column order. */
  readonly labels: string[];
  /** matrix[i][j] = rows whose actual is labels[i] and prediction labels[j]. */
  readonly matrix: number[][];
}

export interface ClassificationMetrics {
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly auc?: number;
  readonly logLoss?: number;
  readonly confusionMatrix: ConfusionMatrix;
  readonly averaging: "binary" | "macro";
  readonly count: number;
}

const ratio = (numerator: number, denominator: number): number => (denominator === 0 ? 0 : numerator / denominator);

function sortLabels(labels: string[]): string[] {
  const numeric = labels.every((l) => l.trim() !== "" && Number.isFinite(Number(l)));
  return numeric ? labels.sort((a, b) => Number(a) - Number(b)) : labels.sort();
}

/**
 * Accuracy, precision, recall and F1 from a confusion matrix: binary (positive class "1") when the labels
 * are exactly ["0", "1"], else macro averages over the classes. The matrix is used as given (not copied). O(k²).
 */
export function metricsFromConfusion(labels: string[], matrix: number[][]): ClassificationMetrics {
  const k = labels.length;
  const binary = k === 2 && labels[0] === "0" && labels[1] === "1";
  let correct = 0;
  let n = 0;
  const perClass = labels.map((_, c) => {
    let column = 0;
    let row = 0;
    for (let r = 0; r < k; r++) {
      column += matrix[r][c];
      row += matrix[c][r];
    }
    const tp = matrix[c][c];
    correct += tp;
    n += row;
    return { precision: ratio(tp, column), recall: ratio(tp, row), f1: ratio(2 * tp, column + row) };
  });
  const mean = (key: "precision" | "recall" | "f1"): number => perClass.reduce((s, c) => s + c[key], 0) / k;
  const pick = binary ? perClass[1] : { precision: mean("precision"), recall: mean("recall"), f1: mean("f1") };
  return {
    accuracy: ratio(correct, n),
    precision: pick.precision,
    recall: pick.recall,
    f1: pick.f1,
    confusionMatrix: { labels, matrix },
    averaging: binary ? "binary" : "macro",
    count: n,
  };
}

export function classificationMetrics(
  actual: ArrayLike<ClassLabel>,
  predicted: ArrayLike<ClassLabel> | null,
  scores?: ArrayLike<number>,
): ClassificationMetrics {
  const n = actual.length;
  if (n === 0) throw new ValidationError("classificationMetrics requires at least one row");
  if (predicted === null && scores === undefined) {
    throw new ValidationError("classificationMetrics requires predicted labels or scores");
  }
  if ((predicted !== null && predicted.length !== n) || (scores !== undefined && scores.length !== n)) {
    throw new ValidationError("classificationMetrics requires inputs of equal length");
  }
  const truth = Array.from(actual, String);
  let guess: string[];
  if (predicted !== null) {
    guess = Array.from(predicted, String);
  } else {
    guess = Array.from(scores as ArrayLike<number>, (s) => {
      if (Number.isNaN(s)) throw new ValidationError("classificationMetrics requires scores without NaN");
      return s >= 0.5 ? "1" : "0";
    });
  }
  const labelSet = new Set<string>([...truth, ...guess]);
  const binary = [...labelSet].every((l) => l === "0" || l === "1");
  if (scores !== undefined && !binary) {
    throw new ValidationError("classificationMetrics accepts scores only for binary 0/1 labels");
  }
  const labels = binary ? ["0", "1"] : sortLabels([...labelSet]);
  const index = new Map(labels.map((l, i) => [l, i]));
  const k = labels.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < n; i++) matrix[index.get(truth[i]) as number][index.get(guess[i]) as number]++;
  const result = metricsFromConfusion(labels, matrix);
  if (scores === undefined) return result;
  const labels01 = truth.map((t) => (t === "1" ? 1 : 0));
  const both = labels01.some((l) => l === 1) && labels01.some((l) => l === 0);
  return {
    ...result,
    ...(both ? { auc: rocAuc(labels01, scores) } : {}),
    logLoss: logLoss(labels01, scores),
  };
}
