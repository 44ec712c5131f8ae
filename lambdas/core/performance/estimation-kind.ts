/**
 * One face for the two kinds of performance estimation: binary (one score histogram, estimation.ts) and
 * multiclass one against the rest (K histograms, estimation-multiclass.ts). The report, the track record and
 * the write-time check work through these functions and never ask which kind they hold.
 *
 * A stored histogram is binary (`{ labelled, cells }`) or multiclass (`{ classes, perClass }`). Histograms of
 * different kinds, or multiclass ones over different classes (same names in the same order), cannot be
 * combined: `combineAny` refuses them with a ValidationError naming both.
 * Metric names are shared: for multiclass `precision`, `recall`, `f1` and `auc` are macro averages, as the
 * realized multiclass metrics are.
 */
import { ValidationError } from "../errors.js";
import { combineHistograms, histogramCount, realizedMetrics, subtractHistogram, type EstimationHistogram, type MulticlassHistogram, type ScoreHistogram } from "./estimation-histogram.js";
import { estimateWindow, fitReference, type EstimatedMetric, type EstimationSettings, type FittedReference } from "./estimation.js";
import { estimateMulticlassWindow, fitMulticlassReference, realizedMulticlassMetrics, type ClassCalibration } from "./estimation-multiclass.js";

export type { EstimationHistogram } from "./estimation-histogram.js";

export const isMulticlass = (h: EstimationHistogram): h is MulticlassHistogram => "perClass" in h;

type Matrix = { readonly tp: number; readonly fp: number; readonly fn: number; readonly tn: number };
type Interval = readonly [number, number] | null;

/** A window's estimate of either kind. */
export interface AnyEstimate {
  readonly count: number;
  readonly metrics: Readonly<Record<EstimatedMetric, number | null>>;
  readonly intervals: Readonly<Record<EstimatedMetric, Interval>>;
  /** Binary: the expected matrix; multiclass: each class's one-vs-rest expected matrix. */
  readonly expectedConfusion: Matrix | { readonly classes: readonly string[]; readonly perClass: Readonly<Record<string, Matrix>> };
}

/** A fitted reference of either kind. */
export type AnyFit =
  | { readonly kind: "binary"; readonly reference: FittedReference }
  | { readonly kind: "multiclass"; readonly classes: readonly string[]; readonly references: readonly ClassCalibration[] };

export type AnyFitResult =
  | {
      readonly ok: true;
      readonly fit: AnyFit;
      /** `isotonic` or `platt` when every calibration used it, else `mixed` (see `calibrations`). */
      readonly method: "isotonic" | "platt" | "mixed";
      readonly count: number;
      /** Binary: the cross-fitted error; multiclass: the largest of the classes' (whole) errors. */
      readonly calibrationError: number;
      readonly rawCalibrationError: number;
      /** Multiclass: per class, the method of each side and its cross-fitted error. */
      readonly calibrations?: Record<string, { predicted: string; rest: string; calibrationError: number }>;
    }
  | { readonly ok: false; readonly reason: string; readonly count: number };

/** Rows counted. */
export const countAny = (h: EstimationHistogram): number => histogramCount(isMulticlass(h) ? h.perClass[0] : h);

/** Every row has an actual label. */
export const labelledAny = (h: EstimationHistogram): boolean => (isMulticlass(h) ? h.perClass.every((c) => c.labelled) : h.labelled);

const kindOf = (h: EstimationHistogram): string => (isMulticlass(h) ? `multiclass (${h.classes.join(", ")})` : "binary");

/** The sum of histograms of one kind. @throws {ValidationError} on mixed kinds or classes */
export function combineAny(parts: readonly EstimationHistogram[]): EstimationHistogram {
  if (parts.length === 0) return combineHistograms([]);
  const first = parts[0];
  for (const p of parts) {
    if (kindOf(p) !== kindOf(first)) throw new ValidationError(`scored rows of different kinds cannot be estimated together: ${kindOf(first)} and ${kindOf(p)}`);
  }
  if (!isMulticlass(first)) return combineHistograms(parts as ScoreHistogram[]);
  return { classes: first.classes, perClass: first.classes.map((_, j) => combineHistograms(parts.map((p) => (p as MulticlassHistogram).perClass[j]))) };
}

/** Rows of `whole` not in `part` (unlabelled; see `subtractHistogram`). @throws {ValidationError} on mixed kinds */
export function subtractAny(whole: EstimationHistogram, part: EstimationHistogram): EstimationHistogram {
  if (countAny(part) === 0) return whole;
  if (kindOf(whole) !== kindOf(part)) throw new ValidationError(`scored rows of different kinds cannot be estimated together: ${kindOf(whole)} and ${kindOf(part)}`);
  if (!isMulticlass(whole)) return subtractHistogram(whole, part as ScoreHistogram);
  return { classes: whole.classes, perClass: whole.perClass.map((h, j) => subtractHistogram(h, (part as MulticlassHistogram).perClass[j])) };
}

/** Fits a labelled reference of either kind, or says why it cannot be used. */
export function fitAny(reference: EstimationHistogram, settings: EstimationSettings): AnyFitResult {
  if (!isMulticlass(reference)) {
    const f = fitReference(reference, settings);
    if (!f.ok) return f;
    const r = f.reference;
    return { ok: true, fit: { kind: "binary", reference: r }, method: r.method, count: r.count, calibrationError: r.calibrationError, rawCalibrationError: r.rawCalibrationError };
  }
  const f = fitMulticlassReference(reference, settings);
  if (!f.ok) return f;
  const methods = new Set(f.references.flatMap((c) => [c.predicted.method, c.rest.method]));
  const calibrations: Record<string, { predicted: string; rest: string; calibrationError: number }> = Object.create(null) as Record<string, never>;
  f.references.forEach((c, j) => {
    calibrations[f.classes[j]] = {
      predicted: c.predicted === c.whole ? `${c.whole.method} (whole class)` : c.predicted.method,
      rest: c.rest === c.whole ? `${c.whole.method} (whole class)` : c.rest.method,
      calibrationError: c.whole.calibrationError,
    };
  });
  return {
    ok: true,
    fit: { kind: "multiclass", classes: f.classes, references: f.references },
    method: methods.size === 1 ? [...methods][0] : "mixed",
    count: countAny(reference),
    calibrationError: Math.max(...f.references.map((c) => c.whole.calibrationError)),
    rawCalibrationError: Math.max(...f.references.map((c) => c.whole.rawCalibrationError)),
    calibrations,
  };
}

/**
 * Estimates a window with a fitted reference of the same kind.
 * @throws {ValidationError} when the window's kind or classes are not the reference's
 * @returns undefined for an empty window
 */
export function estimateAny(fit: AnyFit, window: EstimationHistogram, settings: EstimationSettings): AnyEstimate | undefined {
  if (fit.kind === "binary") {
    if (isMulticlass(window)) throw new ValidationError(`the window's scores are ${kindOf(window)}, the reference's binary`);
    const e = estimateWindow(fit.reference, window, settings);
    return e && { count: e.count, metrics: e.metrics, intervals: e.intervals, expectedConfusion: e.expectedConfusion };
  }
  if (!isMulticlass(window)) throw new ValidationError(`the window's scores are binary, the reference's multiclass (${fit.classes.join(", ")})`);
  const e = estimateMulticlassWindow(fit, window, settings);
  if (!e) return undefined;
  const perClass: Record<string, Matrix> = Object.create(null) as Record<string, Matrix>;
  for (const c of e.classes) perClass[c] = e.perClass[c].expectedConfusion;
  return { count: e.count, metrics: e.metrics, intervals: e.intervals, expectedConfusion: { classes: e.classes, perClass } };
}

/** The realized metrics of a labelled histogram of either kind. */
export function realizedAny(h: EstimationHistogram): Record<EstimatedMetric, number | null> & { count: number } {
  return isMulticlass(h) ? realizedMulticlassMetrics(h) : realizedMetrics(h);
}

