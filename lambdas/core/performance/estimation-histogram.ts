/**
 * Score histograms: the sufficient statistics performance estimation works from, so that no raw row is
 * read again. A binary classifier's scores (probability of class 1) are counted in `scoreBins` equal-width
 * bins of [0, 1] (bin b holds scores in [b/B, (b+1)/B); a score of exactly 1 goes to the last bin), split by
 * the predicted label, and — when the rows are labelled — by the actual label too.
 *
 * Cells are stored sparse and flat, five numbers per non-empty bin: `[bin, n0, n1, y0, y1]` with n0/n1 the
 * rows predicted 0/1 and y0/y1 how many of those were actually 1 (0 for unlabelled rows). A day's or a
 * window's histogram is the cell-wise sum of its parts; the unlabelled rows of logged predictions are the
 * logged histogram minus the joined one (joined rows are a subset of the logged rows).
 *
 * With B = 500 bins, a score is known to within 0.002: the calibration is fitted and applied at bin centres
 * and ROC AUC treats scores within one bin as tied (both for estimates and for the realized AUC they are
 * checked against). Cost: O(n) to build, O(cells) to combine.
 */
import { ValidationError } from "../errors.js";

/** Equal-width score bins over [0, 1]. */
export const scoreBins = 500;

/** Numbers per cell: bin, n0, n1, y0, y1. */
export const cellStride = 5;

/** Counts of scored rows by score bin and predicted (and actual) label. */
export interface ScoreHistogram {
  /** Every row counted has an actual label (y0/y1 are meaningful). */
  readonly labelled: boolean;
  /** Flat cells `[bin, n0, n1, y0, y1, …]`, bins ascending, no empty cell. */
  readonly cells: number[];
}

/** The bin of a score in [0, 1]. */
export const binOf = (score: number): number => Math.min(scoreBins - 1, Math.floor(score * scoreBins));

/** The centre of a bin: the score a bin's rows are treated as having. */
export const binCentre = (bin: number): number => (bin + 0.5) / scoreBins;

/** Dense working arrays of one histogram. */
interface Dense {
  n0: Float64Array;
  n1: Float64Array;
  y0: Float64Array;
  y1: Float64Array;
}

const dense = (): Dense => ({ n0: new Float64Array(scoreBins), n1: new Float64Array(scoreBins), y0: new Float64Array(scoreBins), y1: new Float64Array(scoreBins) });

function toSparse(d: Dense, labelled: boolean): ScoreHistogram {
  const cells: number[] = [];
  for (let b = 0; b < scoreBins; b++) {
    if (d.n0[b] > 0 || d.n1[b] > 0) cells.push(b, d.n0[b], d.n1[b], labelled ? d.y0[b] : 0, labelled ? d.y1[b] : 0);
  }
  return { labelled, cells };
}

function addInto(d: Dense, h: ScoreHistogram, sign: 1 | -1): void {
  const c = h.cells;
  for (let i = 0; i + cellStride <= c.length; i += cellStride) {
    const b = c[i];
    d.n0[b] += sign * c[i + 1];
    d.n1[b] += sign * c[i + 2];
    d.y0[b] += sign * c[i + 3];
    d.y1[b] += sign * c[i + 4];
  }
}

/**
 * The histogram of scored rows.
 * @param scores probability of class 1 per row, in [0, 1]
 * @param predicted the predicted label per row ("0"/"1", 0/1)
 * @param actual the actual label per row, or undefined for unlabelled rows
 * @throws {ValidationError} when lengths differ or a label is not 0/1
 */
export function scoreHistogram(scores: ArrayLike<number>, predicted: ArrayLike<string | number>, actual?: ArrayLike<string | number>): ScoreHistogram {
  const n = scores.length;
  if (predicted.length !== n || (actual && actual.length !== n)) throw new ValidationError("scoreHistogram requires scores, predictions and actuals of equal length");
  const d = dense();
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (!(s >= 0 && s <= 1)) throw new ValidationError(`scoreHistogram: score ${s} is not a probability`);
    const p = String(predicted[i]);
    if (p !== "0" && p !== "1") throw new ValidationError("scoreHistogram requires 0/1 predicted labels");
    const b = binOf(s);
    const y = actual ? String(actual[i]) : "0";
    if (y !== "0" && y !== "1") throw new ValidationError("scoreHistogram requires 0/1 actual labels");
    if (p === "1") {
      d.n1[b]++;
      if (y === "1") d.y1[b]++;
    } else {
      d.n0[b]++;
      if (y === "1") d.y0[b]++;
    }
  }
  return toSparse(d, actual !== undefined);
}

/** K one-vs-rest score histograms over the same rows (estimation-multiclass.ts). */
export interface MulticlassHistogram {
  readonly classes: readonly string[];
  /** perClass[j]: score p_j, predicted 1 = predicted class j, actual 1 = actually class j. */
  readonly perClass: readonly ScoreHistogram[];
}

/**
 * Most classes a scored multiclass batch may have: with 500 score bins per class, 10 classes fill at most
 * 5,000 histogram cells, within the 8,000 a batch summary carries.
 */
export const maxScoredClasses = 10;

/** Largest |Σ scores − 1| accepted in a row. */
export const scoreSumTolerance = 0.01;


/**
 * The one-vs-rest histograms of scored multiclass rows.
 * @param scores one probability vector per row, in the order of `classes`
 * @param actual the actual class per row, or undefined for unlabelled rows
 * @throws {ValidationError} naming the row: a vector of another length, a value outside [0, 1], a sum off 1
 *   by more than 0.01, a predicted or actual class not in `classes`; fewer than 2 or more than 10 classes
 */
export function multiclassHistogram(
  scores: ArrayLike<ArrayLike<unknown>>,
  classes: readonly string[],
  predicted: ArrayLike<string | number>,
  actual?: ArrayLike<string | number>,
  names: { scores: string; predictions: string; actuals: string } = { scores: "scores", predictions: "predictions", actuals: "actuals" },
): MulticlassHistogram {
  const k = classes.length;
  if (k < 2 || k > maxScoredClasses) throw new ValidationError(`classes: give 2 to ${maxScoredClasses} classes, one per score column; got ${k}`);
  if (new Set(classes).size !== k) throw new ValidationError("classes: a class is listed twice");
  const n = scores.length;
  if (predicted.length !== n || (actual && actual.length !== n)) throw new ValidationError(`${names.scores} has ${n} rows but ${names.predictions} has ${predicted.length}`);
  const index = new Map(classes.map((c, j) => [c, j]));
  const columns = Array.from({ length: k }, () => new Float64Array(n));
  const pred = new Int32Array(n);
  const act = new Int32Array(n);
  const problems: string[] = [];
  for (let i = 0; i < n && problems.length < 5; i++) {
    const row = scores[i];
    if (!row || typeof row !== "object" || row.length !== k) {
      problems.push(`${names.scores}[${i}] must hold ${k} probabilities, one per class (${classes.slice(0, 5).join(", ")}${k > 5 ? ", …" : ""})`);
      continue;
    }
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const v = row[j];
      if (typeof v !== "number" || !(v >= 0 && v <= 1)) {
        problems.push(`${names.scores}[${i}][${j}] = ${JSON.stringify(v)} is not a probability in [0, 1]`);
        sum = Number.NaN;
        break;
      }
      columns[j][i] = v;
      sum += v;
    }
    if (Number.isFinite(sum) && Math.abs(sum - 1) > scoreSumTolerance) problems.push(`${names.scores}[${i}] sums to ${Number(sum.toPrecision(6))}, not 1 (within ${scoreSumTolerance})`);
    const p = index.get(String(predicted[i]));
    if (p === undefined) problems.push(`${names.predictions}[${i}] = ${JSON.stringify(predicted[i])} is not one of the classes`);
    else pred[i] = p;
    if (actual) {
      const a = index.get(String(actual[i]));
      if (a === undefined) problems.push(`${names.actuals}[${i}] = ${JSON.stringify(actual[i])} is not one of the classes`);
      else act[i] = a;
    }
  }
  if (problems.length > 0) throw new ValidationError(problems.join("; "));
  const perClass = classes.map((_, j) => {
    const p01 = Array.from(pred, (c) => (c === j ? 1 : 0));
    return scoreHistogram(columns[j], p01, actual ? Array.from(act, (c) => (c === j ? 1 : 0)) : undefined);
  });
  return { classes: [...classes], perClass };
}

/** A stored score histogram of either kind. */
export type EstimationHistogram = ScoreHistogram | MulticlassHistogram;

/**
 * A labelled scored batch's histogram on the UTC day of `timestamp` (the estimation reference and the track
 * record read it): its per-class histograms when it carried per-class scores (`multiclass`), else its binary
 * histogram when it is classification with scores and 0/1 predicted and actual labels; undefined otherwise.
 */
export function scoresByDayOf(
  columns: {
    readonly task: string;
    readonly predicted?: ArrayLike<string | number>;
    readonly actual?: ArrayLike<string | number>;
    readonly scores?: Float64Array;
    readonly multiclass?: MulticlassHistogram;
  },
  timestamp: string,
): Record<string, EstimationHistogram> | undefined {
  if (columns.task !== "classification") return undefined;
  if (columns.multiclass) return { [timestamp.slice(0, 10)]: columns.multiclass };
  if (!columns.scores || !columns.predicted || !columns.actual) return undefined;
  const binary = (v: string | number) => v === 0 || v === 1 || v === "0" || v === "1";
  if (!Array.prototype.every.call(columns.predicted, binary) || !Array.prototype.every.call(columns.actual, binary)) return undefined;
  return { [timestamp.slice(0, 10)]: scoreHistogram(columns.scores, columns.predicted, columns.actual) };
}

/** The cell-wise sum of histograms; labelled only when every part is. */
export function combineHistograms(parts: readonly ScoreHistogram[]): ScoreHistogram {
  const d = dense();
  for (const h of parts) addInto(d, h, 1);
  return toSparse(d, parts.length > 0 && parts.every((h) => h.labelled));
}

/**
 * Rows of `whole` that are not in `part` (the unlabelled rest of logged predictions once some were joined).
 * Counts are floored at 0 (a joined row whose log fell outside the window must not make a count negative).
 * The result is unlabelled.
 */
export function subtractHistogram(whole: ScoreHistogram, part: ScoreHistogram): ScoreHistogram {
  const d = dense();
  addInto(d, whole, 1);
  addInto(d, part, -1);
  for (let b = 0; b < scoreBins; b++) {
    d.n0[b] = Math.max(0, d.n0[b]);
    d.n1[b] = Math.max(0, d.n1[b]);
  }
  return toSparse(d, false);
}

/** Rows counted. */
export function histogramCount(h: ScoreHistogram): number {
  let n = 0;
  for (let i = 0; i + cellStride <= h.cells.length; i += cellStride) n += h.cells[i + 1] + h.cells[i + 2];
  return n;
}

/** Per-bin totals and positives of a labelled histogram: what a calibration is fitted on. */
export function outcomeBins(h: ScoreHistogram): { bin: Int32Array; total: Float64Array; positives: Float64Array } {
  const k = h.cells.length / cellStride;
  const bin = new Int32Array(k);
  const total = new Float64Array(k);
  const positives = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const i = j * cellStride;
    bin[j] = h.cells[i];
    total[j] = h.cells[i + 1] + h.cells[i + 2];
    positives[j] = h.cells[i + 3] + h.cells[i + 4];
  }
  return { bin, total, positives };
}

/** The binary metrics of a confusion matrix (0 when a denominator is 0, as `classificationMetrics`). */
export interface BinaryMetrics {
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Null when only one class is present (expected or realized). */
  readonly auc: number | null;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Accuracy, precision, recall and F1 of TP, FP, FN, TN (expected counts may be fractional). */
export function binaryMetrics(tp: number, fp: number, fn: number, tn: number, auc: number | null): BinaryMetrics {
  const n = tp + fp + fn + tn;
  return { accuracy: ratio(tp + tn, n), precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn), f1: ratio(2 * tp, 2 * tp + fp + fn), auc };
}

/**
 * ROC AUC of per-bin positives and negatives, bins in ascending score order; rows within one bin are tied
 * (count one half), as `sklearn.metrics.roc_auc_score` counts tied scores. Null when either class is empty.
 */
export function binnedAuc(positives: ArrayLike<number>, negatives: ArrayLike<number>): number | null {
  let negBelow = 0;
  let area = 0;
  let pos = 0;
  for (let j = 0; j < positives.length; j++) {
    area += positives[j] * (negBelow + negatives[j] / 2);
    negBelow += negatives[j];
    pos += positives[j];
  }
  return pos > 0 && negBelow > 0 ? area / (pos * negBelow) : null;
}

/** The realized metrics of a labelled histogram (AUC with scores binned). */
export function realizedMetrics(h: ScoreHistogram): BinaryMetrics & { count: number } {
  if (!h.labelled) throw new ValidationError("realizedMetrics requires a labelled histogram");
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  const k = h.cells.length / cellStride;
  const pos = new Float64Array(k);
  const neg = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const i = j * cellStride;
    const [n0, n1, y0, y1] = [h.cells[i + 1], h.cells[i + 2], h.cells[i + 3], h.cells[i + 4]];
    tp += y1;
    fp += n1 - y1;
    fn += y0;
    tn += n0 - y0;
    pos[j] = y0 + y1;
    neg[j] = n0 + n1 - y0 - y1;
  }
  return { ...binaryMetrics(tp, fp, fn, tn, binnedAuc(pos, neg)), count: tp + fp + fn + tn };
}
