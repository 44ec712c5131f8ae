/**
 * Checks a batch's columns before any metric is computed, so a caller learns exactly what is wrong:
 * lengths that differ, values that are not finite numbers (regression), labels that are not class labels
 * (classification), scores outside [0, 1] or given for more than two classes.
 *
 * Class labels are strings (1–256 characters), integers or booleans (true → 1, false → 0, so `true` and `1`
 * are the same class, as the metrics compare labels as text). A fractional number is not a label — a
 * probability belongs in `scores`. At most `maxClasses` distinct labels. Regression values beyond ±1e50 are
 * refused (`maxMagnitude`). Up to five problems are named.
 * Cost: O(n).
 */
import { ValidationError } from "../errors.js";
import type { Task } from "./metric-names.js";
import { multiclassHistogram, type MulticlassHistogram } from "./estimation-histogram.js";

/** Most distinct class labels in one batch (the confusion matrix is stored with the batch). */
export const maxClasses = 100;

/**
 * Largest regression value accepted: sums of squares over millions of rows must stay within what the
 * table stores (DynamoDB numbers reach 1e125).
 */
export const maxMagnitude = 1e50;

/** Columns that passed the checks. */
export type CheckedColumns =
  | { readonly task: "regression"; readonly predicted: Float64Array; readonly actual: Float64Array; readonly count: number }
  | {
      readonly task: "classification";
      readonly predicted: Array<string | number>;
      readonly actual: Array<string | number>;
      readonly scores?: Float64Array;
      /** Per-class scores (a probability vector per row over `classes`), kept as one-vs-rest histograms for estimation. */
      readonly multiclass?: MulticlassHistogram;
      readonly count: number;
    };

const describe = (v: unknown): string => {
  if (v === null) return "null";
  if (v === undefined) return "missing";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === "object") return Array.isArray(v) ? "an array" : "an object";
  return String(v);
};

class Problems {
  private readonly list: string[] = [];
  private extra = 0;
  public add(message: string): void {
    if (this.list.length < 5) this.list.push(message);
    else this.extra++;
  }
  public get empty(): boolean {
    return this.list.length === 0;
  }
  public throwIfAny(): void {
    if (this.empty) return;
    throw new ValidationError(this.list.join("; ") + (this.extra > 0 ? `; and ${this.extra} more problems` : ""));
  }
}

/** A class label as the metrics compare it, or undefined when the value is not a label. */
export function toLabel(v: unknown): string | number | undefined {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number") return Number.isInteger(v) ? v : undefined;
  if (typeof v === "string") return v.length >= 1 && v.length <= 256 ? v : undefined;
  return undefined;
}

/** Why `v` is not a class label (for messages). */
export function labelProblem(v: unknown): string {
  if (typeof v === "number" && Number.isFinite(v)) return `${describe(v)} is not a class label (task classification; labels are strings, integers or booleans — send probabilities as scores)`;
  if (typeof v === "string") return `${describe(v)} is not a class label (labels are 1-256 characters)`;
  return `${describe(v)} is not a class label (task classification)`;
}

/**
 * Checks and converts a batch's columns.
 * @param names the field names to use in messages, e.g. `{ predictions: "predictions", actuals: "actuals", scores: "scores" }`
 * @throws {ValidationError} naming every problem found (up to five).
 */
export function checkBatchColumns(
  task: Task,
  predictions: readonly unknown[],
  actuals: readonly unknown[],
  scores?: readonly unknown[],
  names: { predictions: string; actuals: string; scores: string } = { predictions: "predictions", actuals: "actuals", scores: "scores" },
): CheckedColumns {
  const n = predictions.length;
  const problems = new Problems();
  if (n === 0) problems.add(`${names.predictions} must hold at least one row`);
  if (actuals.length !== n) problems.add(`${names.predictions} has ${n} rows but ${names.actuals} has ${actuals.length}`);
  if (scores !== undefined && scores.length !== n) problems.add(`${names.predictions} has ${n} rows but ${names.scores} has ${scores.length}`);
  problems.throwIfAny();

  if (task === "regression") {
    if (scores !== undefined) problems.add(`${names.scores} are only accepted for task classification`);
    const predicted = new Float64Array(n);
    const actual = new Float64Array(n);
    for (const [column, source, target] of [
      [names.predictions, predictions, predicted],
      [names.actuals, actuals, actual],
    ] as const) {
      for (let i = 0; i < n; i++) {
        const v = source[i];
        if (typeof v !== "number" || !Number.isFinite(v)) problems.add(`${column}[${i}] = ${describe(v)} is not a finite number (task regression)`);
        else if (Math.abs(v) > maxMagnitude) problems.add(`${column}[${i}] = ${v} is beyond ±1e50, the largest value tracked (rescale the target)`);
        else target[i] = v;
      }
    }
    problems.throwIfAny();
    return { task, predicted, actual, count: n };
  }

  const predicted: Array<string | number> = new Array(n);
  const actual: Array<string | number> = new Array(n);
  for (const [column, source, target] of [
    [names.predictions, predictions, predicted],
    [names.actuals, actuals, actual],
  ] as const) {
    for (let i = 0; i < n; i++) {
      const label = toLabel(source[i]);
      if (label === undefined) problems.add(`${column}[${i}] = ${labelProblem(source[i])}`);
      else target[i] = label;
    }
  }
  let checkedScores: Float64Array | undefined;
  if (scores !== undefined) {
    checkedScores = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = scores[i];
      if (typeof v !== "number" || !(v >= 0 && v <= 1)) problems.add(`${names.scores}[${i}] = ${describe(v)} is not a probability in [0, 1]`);
      else checkedScores[i] = v;
    }
  }
  problems.throwIfAny();
  const labels = new Set<string>();
  for (let i = 0; i < n; i++) {
    labels.add(String(predicted[i]));
    labels.add(String(actual[i]));
  }
  if (labels.size > maxClasses) problems.add(`at most ${maxClasses} distinct class labels per batch, found ${labels.size}`);
  if (checkedScores !== undefined && [...labels].some((l) => l !== "0" && l !== "1")) {
    const sample = [...labels].filter((l) => l !== "0" && l !== "1").slice(0, 3).join(", ");
    problems.add(`${names.scores} are accepted only for binary 0/1 labels (probability of class 1); found label(s) ${sample} — for more classes give each row's scores as an array, one per class, with classes`);
  }
  problems.throwIfAny();
  return { task, predicted, actual, ...(checkedScores ? { scores: checkedScores } : {}), count: n };
}

/**
 * A classification batch with per-class scores: its labels checked as any batch's, then each row's scores
 * as a probability vector over `classes` (estimation-multiclass.ts `multiclassHistogram`: length, values,
 * sum, labels among the classes), kept as one-vs-rest histograms — labelled with `actuals`, unlabelled
 * without.
 * @throws {ValidationError} naming the rows at fault
 */
export function withClassScores(
  task: Task,
  predictions: readonly unknown[],
  actuals: readonly unknown[] | undefined,
  scores: readonly unknown[],
  classes: readonly string[],
  names: { predictions: string; actuals: string; scores: string },
): CheckedColumns {
  if (task !== "classification") throw new ValidationError(`${names.scores} are only accepted for task classification`);
  const columns = checkBatchColumns(task, predictions, actuals ?? predictions, undefined, names);
  if (columns.task !== "classification") throw new ValidationError(`${names.scores} are only accepted for task classification`);
  if (scores.length !== columns.count) throw new ValidationError(`${names.predictions} has ${columns.count} rows but ${names.scores} has ${scores.length}`);
  const multiclass = multiclassHistogram(scores as ArrayLike<ArrayLike<unknown>>, classes, columns.predicted, actuals === undefined ? undefined : columns.actual, names);
  return { ...columns, multiclass };
}
