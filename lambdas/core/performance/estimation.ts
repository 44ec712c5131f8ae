/**
 * Confidence-based performance estimation for binary classification: the expected quality of predictions
 * whose labels have not arrived, from their scores and a calibration of scores to outcomes fitted on a
 * labelled reference (estimation-calibration.ts), all on score histograms (estimation-histogram.ts).
 *
 * Point estimate. With p_b the calibrated P(actual = 1) at bin b's centre and n0_b, n1_b the rows predicted
 * 0 and 1 in it: E[TP] = Σ n1_b·p_b, E[FP] = Σ n1_b·(1 − p_b), E[FN] = Σ n0_b·p_b, E[TN] = Σ n0_b·(1 − p_b).
 * Accuracy, precision, recall and F1 are those of the expected confusion matrix (accuracy and precision are
 * then exactly the expected metric; recall and F1 are ratios of expectations, within O(1/n) of it). ROC AUC
 * is the AUC of the expected positives n_b·p_b and negatives n_b·(1 − p_b) per bin, ties within a bin
 * counting one half.
 *
 * Interval (seeded, `draws` replicates, percentile interval at `level`): each replicate refits the
 * calibration on a Poisson bootstrap of the reference (every reference row weighted Poisson(1): the
 * calibration's own uncertainty) and then draws the window's outcomes, Binomial(n0_b, p_b) and
 * Binomial(n1_b, p_b) per bin (the Poisson-binomial sampling distribution of the window's realized
 * confusion matrix at its size), and computes the metrics. So the interval is a prediction interval for the
 * metric the window will show once its labels arrive — if the score-to-outcome relation of the reference
 * still holds. It has no protection against concept drift (the relation changing): then the estimate is
 * biased and the interval's coverage collapses (bench/estimation.bench.ts shows both).
 *
 * No estimate, with the reason, when the reference is too small (`minReferenceRows` rows, `minReferencePerClass`
 * of each class) or its cross-fitted calibration error exceeds `maxCalibrationError`.
 * Cost: O(B·k) per window for B replicates and k ≤ 500 occupied bins.
 */
import { mulberry32 } from "../stats/seeded.js";
import {
  binCentre,
  binaryMetrics,
  binnedAuc,
  cellStride,
  histogramCount,
  outcomeBins,
  scoreBins,
  type BinaryMetrics,
  type ScoreHistogram,
} from "./estimation-histogram.js";
import {
  calibrate,
  calibrationError,
  chooseCalibration,
  crossFittedCalibrationError,
  fitCalibration,
  type Calibration,
  type CalibrationMethod,
  type GroupedOutcomes,
} from "./estimation-calibration.js";
import { variates, type Variates } from "./estimation-sampling.js";

/** The metrics estimation gives. */
export const estimatedMetricNames = ["accuracy", "precision", "recall", "f1", "auc"] as const;
export type EstimatedMetric = (typeof estimatedMetricNames)[number];

/** Settings of estimation. */
export interface EstimationSettings {
  /** Calibration method; `auto` applies the rule of `chooseCalibration`. @default "auto" */
  readonly method: CalibrationMethod | "auto";
  /** Fewest reference rows. @default 200 */
  readonly minReferenceRows: number;
  /** Fewest reference rows of each class. @default 20 */
  readonly minReferencePerClass: number;
  /** Largest cross-fitted calibration error accepted. @default 0.1 */
  readonly maxCalibrationError: number;
  /** Replicates behind each interval. @default 400 */
  readonly draws: number;
  /** Interval level. @default 0.95 */
  readonly level: number;
  /** Seed of the replicates (the same inputs give the same intervals). @default 20260527 */
  readonly seed: number;
}

export const defaultEstimationSettings: EstimationSettings = {
  method: "auto",
  minReferenceRows: 200,
  minReferencePerClass: 20,
  maxCalibrationError: 0.1,
  draws: 400,
  level: 0.95,
  seed: 20260527,
};

/** A calibration fitted on a reference, ready to estimate windows. */
export interface FittedReference {
  readonly method: CalibrationMethod;
  readonly calibration: Calibration;
  readonly count: number;
  readonly positives: number;
  /** Cross-fitted expected calibration error of the chosen method on the reference. */
  readonly calibrationError: number;
  /** Expected calibration error of the scores as the model gives them (before recalibration). */
  readonly rawCalibrationError: number;
  readonly data: GroupedOutcomes;
  /**
   * The calibration refitted on `draws` Poisson bootstraps of the reference, as P(actual = 1) at every bin
   * centre (draw d, bin b at d·scoreBins + b; NaN for a bootstrap with one class only): computed once per
   * reference and shared by every window it estimates.
   */
  readonly replicates: Float64Array;
}

/** The bootstrap refits of a reference's calibration (see `FittedReference.replicates`). */
function bootstrapCalibrations(method: CalibrationMethod, data: GroupedOutcomes, draws: number, random: Variates): Float64Array {
  const out = new Float64Array(draws * scoreBins).fill(Number.NaN);
  const total = new Float64Array(data.x.length);
  const positives = new Float64Array(data.x.length);
  for (let d = 0; d < draws; d++) {
    let rows = 0;
    let pos = 0;
    for (let i = 0; i < data.x.length; i++) {
      const y = random.poisson(data.positives[i]);
      const m = random.poisson(data.total[i] - data.positives[i]);
      positives[i] = y;
      total[i] = y + m;
      rows += y + m;
      pos += y;
    }
    if (pos <= 0 || pos >= rows) continue;
    const fit = fitCalibration(method, { x: data.x, total, positives });
    for (let b = 0; b < scoreBins; b++) out[d * scoreBins + b] = calibrate(fit, binCentre(b));
  }
  return out;
}

export type ReferenceFit = { readonly ok: true; readonly reference: FittedReference } | { readonly ok: false; readonly reason: string; readonly count: number };

/** Fits the calibration of a labelled reference histogram, or says why it cannot be used. */
export function fitReference(reference: ScoreHistogram, settings: EstimationSettings = defaultEstimationSettings): ReferenceFit {
  if (!reference.labelled) return { ok: false, reason: "the reference holds unlabelled rows", count: histogramCount(reference) };
  const { bin, total, positives } = outcomeBins(reference);
  let count = 0;
  let pos = 0;
  for (let i = 0; i < total.length; i++) {
    count += total[i];
    pos += positives[i];
  }
  const perClass = Math.min(pos, count - pos);
  if (count < settings.minReferenceRows || perClass < settings.minReferencePerClass) {
    return {
      ok: false,
      count,
      reason: `the reference is too small: ${count} labelled scored rows (${pos} positive, ${count - pos} negative); estimation needs at least ${settings.minReferenceRows} rows and ${settings.minReferencePerClass} of each class`,
    };
  }
  const x = Float64Array.from(bin, binCentre);
  const data: GroupedOutcomes = { x, total, positives };
  const method = settings.method === "auto" ? chooseCalibration(count, pos) : settings.method;
  const calibration = fitCalibration(method, data);
  const random = variates(mulberry32(settings.seed ^ 0x9e3779b9));
  const error = crossFittedCalibrationError(method, data, random);
  const rawCalibrationError = calibrationError(x, x, total, positives);
  if (!(error <= settings.maxCalibrationError)) {
    return {
      ok: false,
      count,
      reason: `the calibration error on the reference is too large: ${Number.isFinite(error) ? error.toFixed(3) : "undefined"} (cross-fitted, ${method}); estimation accepts at most ${settings.maxCalibrationError}`,
    };
  }
  const replicates = bootstrapCalibrations(method, data, settings.draws, random);
  return { ok: true, reference: { method, calibration, count, positives: pos, calibrationError: error, rawCalibrationError, data, replicates } };
}

/** The estimate of one window. */
export interface WindowEstimate {
  readonly count: number;
  /** Expected TP, FP, FN, TN (fractional). */
  readonly expectedConfusion: { readonly tp: number; readonly fp: number; readonly fn: number; readonly tn: number };
  readonly metrics: BinaryMetrics;
  /** [low, high] per metric at the settings' level; null for AUC when a replicate set had one class only. */
  readonly intervals: Readonly<Record<EstimatedMetric, readonly [number, number] | null>>;
}

/** Linear-interpolation quantile (numpy's default) of sorted values. */
function quantileSorted(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Metrics of window counts under calibrated probabilities p (point estimate). */
function expected(n0: Float64Array, n1: Float64Array, p: Float64Array): { tp: number; fp: number; fn: number; tn: number; metrics: BinaryMetrics } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  const pos = new Float64Array(p.length);
  const neg = new Float64Array(p.length);
  for (let j = 0; j < p.length; j++) {
    tp += n1[j] * p[j];
    fp += n1[j] * (1 - p[j]);
    fn += n0[j] * p[j];
    tn += n0[j] * (1 - p[j]);
    pos[j] = (n0[j] + n1[j]) * p[j];
    neg[j] = (n0[j] + n1[j]) * (1 - p[j]);
  }
  return { tp, fp, fn, tn, metrics: binaryMetrics(tp, fp, fn, tn, binnedAuc(pos, neg)) };
}

/**
 * Estimates a window's metrics from its score histogram (labels, if any, are ignored).
 * @returns undefined for an empty window
 */
export function estimateWindow(reference: FittedReference, window: ScoreHistogram, settings: EstimationSettings = defaultEstimationSettings): WindowEstimate | undefined {
  const k = window.cells.length / cellStride;
  if (k === 0) return undefined;
  const x = new Float64Array(k);
  const bins = new Int32Array(k);
  const n0 = new Float64Array(k);
  const n1 = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    bins[j] = window.cells[j * cellStride];
    x[j] = binCentre(bins[j]);
    n0[j] = window.cells[j * cellStride + 1];
    n1[j] = window.cells[j * cellStride + 2];
  }
  const p = Float64Array.from(x, (v) => calibrate(reference.calibration, v));
  const point = expected(n0, n1, p);

  const random = variates(mulberry32(settings.seed));
  const samples: Record<EstimatedMetric, number[]> = { accuracy: [], precision: [], recall: [], f1: [], auc: [] };
  const draws = reference.replicates.length / scoreBins;
  const pos = new Float64Array(k);
  const neg = new Float64Array(k);
  for (let draw = 0; draw < draws; draw++) {
    const offset = draw * scoreBins;
    if (Number.isNaN(reference.replicates[offset])) continue;
    let tp = 0;
    let fn = 0;
    let predicted1 = 0;
    let total = 0;
    for (let j = 0; j < k; j++) {
      const pb = reference.replicates[offset + bins[j]];
      const y1 = random.binomial(n1[j], pb);
      const y0 = random.binomial(n0[j], pb);
      tp += y1;
      fn += y0;
      predicted1 += n1[j];
      total += n0[j] + n1[j];
      pos[j] = y0 + y1;
      neg[j] = n0[j] + n1[j] - y0 - y1;
    }
    const fp = predicted1 - tp;
    const tn = total - predicted1 - fn;
    const m = binaryMetrics(tp, fp, fn, tn, binnedAuc(pos, neg));
    samples.accuracy.push(m.accuracy);
    samples.precision.push(m.precision);
    samples.recall.push(m.recall);
    samples.f1.push(m.f1);
    if (m.auc !== null) samples.auc.push(m.auc);
  }
  const tail = (1 - settings.level) / 2;
  const interval = (values: number[]): readonly [number, number] | null => {
    if (values.length < Math.max(20, draws / 2)) return null;
    const sorted = Float64Array.from(values).sort();
    return [quantileSorted(sorted, tail), quantileSorted(sorted, 1 - tail)];
  };
  return {
    count: histogramCount(window),
    expectedConfusion: { tp: point.tp, fp: point.fp, fn: point.fn, tn: point.tn },
    metrics: point.metrics,
    intervals: {
      accuracy: interval(samples.accuracy),
      precision: interval(samples.precision),
      recall: interval(samples.recall),
      f1: interval(samples.f1),
      auc: interval(samples.auc),
    },
  };
}

/** Estimated − realized per metric (null where either is missing), and whether the interval held the realized value. */
export function estimationError(
  estimate: { readonly metrics: Readonly<Record<EstimatedMetric, number | null>>; readonly intervals: Readonly<Record<EstimatedMetric, readonly [number, number] | null>> },
  realized: Readonly<Record<EstimatedMetric, number | null>>,
): { error: Record<EstimatedMetric, number | null>; covered: Record<EstimatedMetric, boolean | null> } {
  const error = {} as Record<EstimatedMetric, number | null>;
  const covered = {} as Record<EstimatedMetric, boolean | null>;
  for (const m of estimatedMetricNames) {
    const e = estimate.metrics[m];
    const r = realized[m];
    const iv = estimate.intervals[m];
    error[m] = e === null || r === null ? null : e - r;
    covered[m] = iv === null || r === null ? null : r >= iv[0] && r <= iv[1];
  }
  return { error, covered };
}
