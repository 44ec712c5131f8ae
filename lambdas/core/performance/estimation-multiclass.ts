/**
 * Confidence-based performance estimation for multiclass classification with per-class scores, one class
 * against the rest. Each row carries one score per class (a probability vector over `classes`, summing to
 * 1 within ±0.01) and its predicted class.
 *
 * Histograms. For every class j, the rows form a binary problem: score p_j, "predicted 1" = predicted j,
 * "actual 1" = actually j. Its score histogram (estimation-histogram.ts, 500 bins) is kept, so a multiclass
 * histogram is K binary ones over the same rows (rows are not linked across classes).
 *
 * Calibration, per class and per side. Class j is calibrated three times with the binary rule (fitReference
 * in estimation.ts: isotonic from 1,000 rows and 100 of each outcome, else Platt; refused when too small or
 * when the cross-fitted calibration error is too large): on all reference rows (`whole`: P(actual = j | p_j),
 * which must fit or the reference is refused, the reason naming the class), on the rows predicted j
 * (`predicted`: P(actual = j | p_j, predicted j)) and on the others (`rest`: P(actual = j | p_j, predicted
 * another class)); a side that does not meet the rules on its own rows uses `whole`. Why the sides: TP_j is a
 * sum over the rows predicted j, and P(actual = j | p_j) over all rows is not P(actual = j | p_j, predicted
 * j) unless the scores are calibrated; and why it matters for the mean: isotonic regression preserves sums
 * in-sample, so fitted on the predicted rows it reproduces the reference's TP_j exactly, while fitted on all
 * rows its upward bias at the top of a class's score range — where the rows predicted j sit (the middle
 * class of bench/estimation-multiclass.bench.ts never scores above 0.45) — lands on TP_j and is compensated
 * on rows that do not count (+0.003 to +0.006 accuracy in the simulation; within ±0.003 with the sides).
 * The calibrated one-vs-rest probabilities are not renormalised to sum to 1 per row: the histograms do not
 * link a row's classes; each class's probability is calibrated on its own, and Σ_j E[FP_j] = Σ_j E[FN_j]
 * holds only in expectation.
 *
 * Point estimate. Per class, the expected one-vs-rest confusion matrix: E[TP_j] = Σ over rows predicted j of
 * c⁺_j(p_j), E[FP_j] = Σ (1 − c⁺_j), E[FN_j] = Σ over the other rows of c⁻_j(p_j), E[TN_j] the rest;
 * accuracy = Σ_j E[TP_j] / n (the diagonal of the K×K matrix over n; exactly the expected accuracy);
 * per-class precision, recall, F1 and ROC AUC (one-vs-rest, binned, ties within a bin count one half) from
 * class j's matrix and histogram; `precision`, `recall`, `f1` and `auc` are their unweighted (macro) means,
 * as the realized multiclass metrics are (macro AUC only when every class has both outcomes).
 *
 * Interval (percentile, `draws` replicates at `level`). Replicate d uses every side's bootstrap-refitted
 * calibration d (the reference's own uncertainty) and draws each class's outcomes per bin, TP_j ~
 * Σ_b Binomial(n1_jb, c⁺_j^d(b)) and FN_j ~ Σ_b Binomial(n0_jb, c⁻_j^d(b)). Accuracy's interval is that of
 * the replicates' Σ TP_j / n: TP_j of different classes involve disjoint rows, so this is its sampling
 * distribution under the model. A macro metric's interval is the mean of the classes' interval ends (the
 * quantiles of a comonotone sum): the classes' metrics move together — a row predicted j that is actually k
 * lowers F1_j and F1_k at once, and a reference's calibration errors are shared by the classes through its
 * rows — but the histograms cannot draw rows jointly. Drawn independently per class, macro-F1 and macro-AUC
 * intervals covered 0.77–0.85 in the simulation; the mean of the ends covers 0.93–0.98 (conservative when
 * the classes' errors are less alike).
 *
 * Assumption as in the binary case: P(actual = j | p_j, predicted j or not) as on the reference (no concept
 * drift). Cost: O(B·K·k) per window for B replicates, K classes and k ≤ 500 occupied bins per class.
 */
import { ValidationError } from "../errors.js";
import { mulberry32 } from "../stats/seeded.js";
import { binCentre, binaryMetrics, binnedAuc, cellStride, histogramCount, scoreBins, type MulticlassHistogram, type ScoreHistogram } from "./estimation-histogram.js";
import { calibrate } from "./estimation-calibration.js";
import { defaultEstimationSettings, estimatedMetricNames, fitReference, type EstimatedMetric, type EstimationSettings, type FittedReference } from "./estimation.js";
import { variates } from "./estimation-sampling.js";

export { maxScoredClasses, multiclassHistogram, scoreSumTolerance, type MulticlassHistogram } from "./estimation-histogram.js";

/**
 * One class's calibrations: `whole` on all reference rows (P(actual = j | p_j)), `predicted` on the rows
 * predicted j (P(actual = j | p_j, predicted j): what TP_j and FP_j need) and `rest` on the others
 * (P(actual = j | p_j, predicted another class): what FN_j and TN_j need). A side whose rows do not meet the
 * reference rules is calibrated by `whole` (the same object).
 */
export interface ClassCalibration {
  readonly whole: FittedReference;
  readonly predicted: FittedReference;
  readonly rest: FittedReference;
}

export type MulticlassReferenceFit =
  | { readonly ok: true; readonly classes: readonly string[]; readonly references: readonly ClassCalibration[] }
  | { readonly ok: false; readonly reason: string; readonly count: number };

/** The rows of a class histogram predicted (side 1) or not predicted (side 0) as that class. */
function side(h: ScoreHistogram, predicted: boolean): ScoreHistogram {
  const cells: number[] = [];
  for (let i = 0; i + cellStride <= h.cells.length; i += cellStride) {
    const n = predicted ? h.cells[i + 2] : h.cells[i + 1];
    if (n > 0) cells.push(h.cells[i], predicted ? 0 : n, predicted ? n : 0, predicted ? 0 : h.cells[i + 3], predicted ? h.cells[i + 4] : 0);
  }
  return { labelled: h.labelled, cells };
}

/** Fits every class's calibrations on a labelled multiclass reference, or says which class cannot be used and why. */
export function fitMulticlassReference(reference: MulticlassHistogram, settings: EstimationSettings = defaultEstimationSettings): MulticlassReferenceFit {
  const references: ClassCalibration[] = [];
  for (const [j, h] of reference.perClass.entries()) {
    const fit = fitReference(h, settings);
    if (!fit.ok) return { ok: false, count: fit.count, reason: `class ${reference.classes[j]} (one against the rest): ${fit.reason}` };
    const whole = fit.reference;
    const own = (predicted: boolean): FittedReference => {
      const f = fitReference(side(h, predicted), { ...settings, seed: settings.seed + (predicted ? 1 : 2) });
      return f.ok ? f.reference : whole;
    };
    references.push({ whole, predicted: own(true), rest: own(false) });
  }
  return { ok: true, classes: reference.classes, references };
}

type Interval = readonly [number, number] | null;

/** Per-class one-vs-rest results. */
export interface ClassEstimate {
  readonly expectedConfusion: { readonly tp: number; readonly fp: number; readonly fn: number; readonly tn: number };
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly auc: number | null;
  readonly intervals: { readonly precision: Interval; readonly recall: Interval; readonly f1: Interval; readonly auc: Interval };
}

/** The estimate of one multiclass window. */
export interface MulticlassEstimate {
  readonly count: number;
  readonly classes: readonly string[];
  readonly metrics: Readonly<Record<EstimatedMetric, number | null>>;
  readonly intervals: Readonly<Record<EstimatedMetric, Interval>>;
  readonly perClass: Readonly<Record<string, ClassEstimate>>;
}

/** Class metrics of one-vs-rest counts: precision, recall, F1 (0 when a denominator is 0). */
function classMetrics(tp: number, fp: number, fn: number, auc: number | null) {
  const m = binaryMetrics(tp, fp, fn, 0, auc);
  return { precision: m.precision, recall: m.recall, f1: m.f1, auc };
}

/** The multiclass metrics of per-class results over n rows. */
function combine(n: number, perClass: ReadonlyArray<{ tp: number; precision: number; recall: number; f1: number; auc: number | null }>): Record<EstimatedMetric, number | null> {
  const k = perClass.length;
  const aucs = perClass.map((c) => c.auc).filter((a): a is number => a !== null);
  return {
    accuracy: n === 0 ? 0 : perClass.reduce((s, c) => s + c.tp, 0) / n,
    precision: perClass.reduce((s, c) => s + c.precision, 0) / k,
    recall: perClass.reduce((s, c) => s + c.recall, 0) / k,
    f1: perClass.reduce((s, c) => s + c.f1, 0) / k,
    auc: aucs.length === k ? aucs.reduce((s, a) => s + a, 0) / k : null,
  };
}

/** Linear-interpolation percentile interval (numpy's default quantile) of replicate values. */
function percentileInterval(values: number[], level: number, draws: number): Interval {
  if (values.length < Math.max(20, draws / 2)) return null;
  const sorted = Float64Array.from(values).sort();
  const q = (p: number) => {
    const h = (sorted.length - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  };
  const tail = (1 - level) / 2;
  return [q(tail), q(1 - tail)];
}

/** Flat cells of a class histogram as arrays. */
function cellsOf(h: ScoreHistogram) {
  const k = h.cells.length / cellStride;
  const bins = new Int32Array(k);
  const n0 = new Float64Array(k);
  const n1 = new Float64Array(k);
  const y0 = new Float64Array(k);
  const y1 = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const i = j * cellStride;
    bins[j] = h.cells[i];
    n0[j] = h.cells[i + 1];
    n1[j] = h.cells[i + 2];
    y0[j] = h.cells[i + 3];
    y1[j] = h.cells[i + 4];
  }
  return { bins, n0, n1, y0, y1 };
}

/**
 * Estimates a window's multiclass metrics from its one-vs-rest histograms (labels, if any, are ignored).
 * @throws {ValidationError} when the window's classes are not the reference's
 * @returns undefined for an empty window
 */
export function estimateMulticlassWindow(
  fit: { readonly classes: readonly string[]; readonly references: readonly ClassCalibration[] },
  window: MulticlassHistogram,
  settings: EstimationSettings = defaultEstimationSettings,
): MulticlassEstimate | undefined {
  if (window.classes.length !== fit.classes.length || window.classes.some((c, j) => c !== fit.classes[j])) {
    throw new ValidationError(`the window's classes (${window.classes.join(", ")}) are not the reference's (${fit.classes.join(", ")})`);
  }
  const n = histogramCount(window.perClass[0]);
  if (n === 0) return undefined;
  const cells = window.perClass.map(cellsOf);
  const point = cells.map((c, j) => {
    const ref = fit.references[j];
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    const pos = new Float64Array(c.bins.length);
    const neg = new Float64Array(c.bins.length);
    for (let b = 0; b < c.bins.length; b++) {
      const x = binCentre(c.bins[b]);
      const p1 = calibrate(ref.predicted.calibration, x);
      const p0 = calibrate(ref.rest.calibration, x);
      tp += c.n1[b] * p1;
      fp += c.n1[b] * (1 - p1);
      fn += c.n0[b] * p0;
      tn += c.n0[b] * (1 - p0);
      pos[b] = c.n1[b] * p1 + c.n0[b] * p0;
      neg[b] = c.n1[b] * (1 - p1) + c.n0[b] * (1 - p0);
    }
    return { tp, fp, fn, tn, ...classMetrics(tp, fp, fn, binnedAuc(pos, neg)) };
  });

  const random = variates(mulberry32(settings.seed));
  const sides = fit.references.flatMap((r) => [r.predicted, r.rest]);
  const draws = Math.min(...sides.map((r) => r.replicates.length / scoreBins));
  const samples = Object.fromEntries(estimatedMetricNames.map((m) => [m, [] as number[]])) as Record<EstimatedMetric, number[]>;
  const classSamples = cells.map(() => ({ precision: [] as number[], recall: [] as number[], f1: [] as number[], auc: [] as number[] }));
  for (let d = 0; d < draws; d++) {
    const offset = d * scoreBins;
    if (sides.some((r) => Number.isNaN(r.replicates[offset]))) continue;
    const replicate = cells.map((c, j) => {
      const r1 = fit.references[j].predicted.replicates;
      const r0 = fit.references[j].rest.replicates;
      let tp = 0;
      let fn = 0;
      let predicted = 0;
      const pos = new Float64Array(c.bins.length);
      const neg = new Float64Array(c.bins.length);
      for (let b = 0; b < c.bins.length; b++) {
        const y1 = random.binomial(c.n1[b], r1[offset + c.bins[b]]);
        const y0 = random.binomial(c.n0[b], r0[offset + c.bins[b]]);
        tp += y1;
        fn += y0;
        predicted += c.n1[b];
        pos[b] = y0 + y1;
        neg[b] = c.n0[b] + c.n1[b] - y0 - y1;
      }
      return { tp, ...classMetrics(tp, predicted - tp, fn, binnedAuc(pos, neg)) };
    });
    const m = combine(n, replicate);
    for (const name of estimatedMetricNames) if (m[name] !== null) samples[name].push(m[name] as number);
    replicate.forEach((c, j) => {
      classSamples[j].precision.push(c.precision);
      classSamples[j].recall.push(c.recall);
      classSamples[j].f1.push(c.f1);
      if (c.auc !== null) classSamples[j].auc.push(c.auc);
    });
  }
  const interval = (values: number[]) => percentileInterval(values, settings.level, draws);
  const perClass: Record<string, ClassEstimate> = Object.create(null) as Record<string, ClassEstimate>;
  point.forEach((c, j) => {
    perClass[fit.classes[j]] = {
      expectedConfusion: { tp: c.tp, fp: c.fp, fn: c.fn, tn: c.tn },
      precision: c.precision,
      recall: c.recall,
      f1: c.f1,
      auc: c.auc,
      intervals: { precision: interval(classSamples[j].precision), recall: interval(classSamples[j].recall), f1: interval(classSamples[j].f1), auc: interval(classSamples[j].auc) },
    };
  });
  // Macro metrics: the mean of the classes' interval ends (see the file comment).
  const macro = (key: "precision" | "recall" | "f1" | "auc"): Interval => {
    const ends = fit.classes.map((c) => perClass[c].intervals[key]);
    if (ends.some((e) => e === null)) return null;
    return [ends.reduce((s, e) => s + (e as readonly [number, number])[0], 0) / ends.length, ends.reduce((s, e) => s + (e as readonly [number, number])[1], 0) / ends.length];
  };
  return {
    count: n,
    classes: fit.classes,
    metrics: combine(n, point),
    intervals: { accuracy: interval(samples.accuracy), precision: macro("precision"), recall: macro("recall"), f1: macro("f1"), auc: macro("auc") },
    perClass,
  };
}

/** The realized metrics of a labelled multiclass histogram (AUCs with scores binned). */
export function realizedMulticlassMetrics(h: MulticlassHistogram): Record<EstimatedMetric, number | null> & { count: number } {
  if (!h.perClass.every((c) => c.labelled)) throw new ValidationError("realizedMulticlassMetrics requires a labelled histogram");
  const n = histogramCount(h.perClass[0]);
  const perClass = h.perClass.map((hist) => {
    const c = cellsOf(hist);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const pos = new Float64Array(c.bins.length);
    const neg = new Float64Array(c.bins.length);
    for (let b = 0; b < c.bins.length; b++) {
      tp += c.y1[b];
      fp += c.n1[b] - c.y1[b];
      fn += c.y0[b];
      pos[b] = c.y0[b] + c.y1[b];
      neg[b] = c.n0[b] + c.n1[b] - pos[b];
    }
    return { tp, ...classMetrics(tp, fp, fn, binnedAuc(pos, neg)) };
  });
  return { ...combine(n, perClass), count: n };
}
