/**
 * The `estimated` section of a performance report, and the estimated-drop rule — pure: the service gathers
 * the histograms (store), this module turns them into per-day estimates, a window estimate, and the record
 * of how good the estimates were where labels have since arrived.
 *
 * Rows by UTC day of prediction:
 * - unlabelled = scored batches without actuals + logged predictions with scores − those of them since joined
 *   with ground truth. Each day with such rows gets an estimate (`metrics`, `intervals`, `expectedConfusion`).
 * - labelled (outside the reference) = joined ground truth (placed on its predictions' days) and labelled
 *   scored batches. Each day with such rows shows `realized`, `estimated` (what the estimator says from those
 *   rows' scores alone) and `estimationError` = estimated − realized, and `covered` (the interval held it).
 * The `record` summarises those days: mean absolute error, mean error (bias) and interval coverage per
 * metric. Rows in the reference are never in the record (an in-sample check would flatter it).
 *
 * The estimated-drop rule (`estimatedDrop`): the primary metric's estimate is below the baseline by more
 * than its `…DropPoints` threshold AND the whole interval is below that limit.
 */
import { estimatedMetricNames, estimationError, type EstimatedMetric, type EstimationSettings } from "./estimation.js";
import { combineAny, countAny, estimateAny, fitAny, labelledAny, realizedAny, subtractAny, type AnyEstimate, type EstimationHistogram } from "./estimation-kind.js";
import { ValidationError } from "../errors.js";
import { thresholdOf, type PerformanceThresholds } from "./thresholds.js";
import type { QualityMetric } from "./metric-names.js";

/** What the estimate assumes, said in every answer. */
export const estimationAssumption =
  "estimates assume the relation between scores and outcomes seen on the reference still holds (no concept drift); " +
  "a shift in inputs or class balance that leaves it unchanged is handled, a changed relation is not detected and biases the estimate";

/** Scored rows by UTC day, from one stored item. */
export interface DayHistograms {
  readonly id: string;
  /** `batch` (posted), `ground_truth` (joined), `predictions` (a log of predictions awaiting ground truth). */
  readonly source: string;
  readonly byDay: Readonly<Record<string, EstimationHistogram>>;
}

/** Inputs of the section. */
export interface EstimationInputs {
  /** Labelled items making the reference. */
  readonly reference: readonly DayHistograms[];
  /** Where the reference came from, echoed in the answer. */
  readonly referenceSource: Readonly<Record<string, unknown>>;
  /** Labelled items outside the reference, in the window. */
  readonly labelled: readonly DayHistograms[];
  /** Unlabelled items (posted without actuals, and prediction logs), in the window. */
  readonly unlabelled: readonly DayHistograms[];
  /** Days of the window, `YYYY-MM-DD`, inclusive. */
  readonly fromDay: string;
  readonly toDay: string;
  readonly settings: EstimationSettings;
}

const round = (x: number | null): number | null => (x === null ? null : Number(x.toPrecision(6)));

/** An estimate as answered (numbers rounded to 6 significant digits). */
function answerOf(e: AnyEstimate) {
  const metrics: Record<string, number | null> = {};
  const intervals: Record<string, [number, number] | null> = {};
  for (const m of estimatedMetricNames) {
    metrics[m] = round(e.metrics[m]);
    const iv = e.intervals[m];
    intervals[m] = iv === null ? null : [round(iv[0]) as number, round(iv[1]) as number];
  }
  const matrix = (c: { tp: number; fp: number; fn: number; tn: number }) => ({ tp: round(c.tp), fp: round(c.fp), fn: round(c.fn), tn: round(c.tn) });
  const c = e.expectedConfusion;
  if (!("classes" in c)) return { count: e.count, metrics, intervals, expectedConfusion: matrix(c) };
  const perClass: Record<string, ReturnType<typeof matrix>> = Object.create(null) as Record<string, never>;
  for (const k of c.classes) perClass[k] = matrix(c.perClass[k]);
  return { count: e.count, metrics, intervals, expectedConfusion: { classes: [...c.classes], perClass } };
}

/** Per-day histograms of items, only days in [fromDay, toDay]. */
function byDay(items: readonly DayHistograms[], fromDay: string, toDay: string, sources?: readonly string[]): Map<string, EstimationHistogram[]> {
  const out = new Map<string, EstimationHistogram[]>();
  for (const item of items) {
    if (sources && !sources.includes(item.source)) continue;
    for (const [day, h] of Object.entries(item.byDay)) {
      if (day < fromDay || day > toDay) continue;
      const list = out.get(day);
      if (list) list.push(h);
      else out.set(day, [h]);
    }
  }
  return out;
}

/** The unlabelled rows of each day (see the file comment). */
export function unlabelledByDay(unlabelled: readonly DayHistograms[], labelled: readonly DayHistograms[], fromDay: string, toDay: string): Map<string, EstimationHistogram> {
  const posted = byDay(unlabelled, fromDay, toDay, ["batch"]);
  const logged = byDay(unlabelled, fromDay, toDay, ["predictions"]);
  const joined = byDay(labelled, fromDay, toDay, ["ground_truth"]);
  const out = new Map<string, EstimationHistogram>();
  for (const day of new Set([...posted.keys(), ...logged.keys()])) {
    const parts = [...(posted.get(day) ?? [])];
    const logs = logged.get(day);
    if (logs) parts.push(subtractAny(combineAny(logs), combineAny(joined.get(day) ?? [])));
    const h = combineAny(parts);
    if (countAny(h) > 0) out.set(day, h);
  }
  return out;
}

/**
 * Builds the `estimated` section (see the file comment). Scored rows of different kinds (binary and
 * multiclass, or other classes) in the reference or a day's rows give no estimate, with the reason.
 */
export function buildEstimatedSection(inputs: EstimationInputs) {
  try {
    return buildSection(inputs);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const { settings } = inputs;
    return {
      method: null,
      level: settings.level,
      assumption: estimationAssumption,
      reference: { ...inputs.referenceSource, batches: inputs.reference.map((r) => r.id), count: 0, calibrationError: null, rawCalibrationError: null, realized: null },
      unlabelledCount: 0,
      available: false,
      reason: err.message,
      daily: [],
      overall: null,
      record: null,
    };
  }
}

function buildSection(inputs: EstimationInputs) {
  const { settings } = inputs;
  const referenceHistograms = inputs.reference.flatMap((r) => Object.values(r.byDay));
  const referenceHistogram = combineAny(referenceHistograms);
  const fit = referenceHistograms.length === 0 ? ({ ok: false, reason: "no labelled scored rows to calibrate on: post labelled batches with scores, or set a reference (PUT /models/{model}/versions/{version}/estimation-reference)", count: 0 } as const) : fitAny(referenceHistogram, settings);
  const referenceAnswer = {
    ...inputs.referenceSource,
    batches: inputs.reference.map((r) => r.id),
    count: countAny(referenceHistogram),
    calibrationError: fit.ok ? round(fit.calibrationError) : null,
    rawCalibrationError: fit.ok ? round(fit.rawCalibrationError) : null,
    ...(fit.ok && fit.calibrations ? { classes: fit.fit.kind === "multiclass" ? [...fit.fit.classes] : [], calibrations: fit.calibrations } : {}),
    realized: referenceHistograms.length > 0 && labelledAny(referenceHistogram) ? roundMetrics(realizedAny(referenceHistogram)) : null,
  };
  const unlabelled = unlabelledByDay(inputs.unlabelled, inputs.labelled, inputs.fromDay, inputs.toDay);
  const unlabelledCount = [...unlabelled.values()].reduce((s, h) => s + countAny(h), 0);
  const base = {
    method: fit.ok ? fit.method : null,
    level: settings.level,
    interval: `percentile interval of ${settings.draws} replicates: calibration refitted on a Poisson bootstrap of the reference, outcomes drawn per row (Poisson-binomial at the window's size)`,
    assumption: estimationAssumption,
    reference: referenceAnswer,
    unlabelledCount,
  };
  if (!fit.ok) return { ...base, available: false, reason: fit.reason, daily: [], overall: null, record: null };
  const ref = fit.fit;

  const labelledDays = byDay(inputs.labelled, inputs.fromDay, inputs.toDay);
  const days = [...new Set([...unlabelled.keys(), ...labelledDays.keys()])].sort();
  const totals: Record<EstimatedMetric, { abs: number; signed: number; covered: number; n: number }> = Object.fromEntries(
    estimatedMetricNames.map((m) => [m, { abs: 0, signed: 0, covered: 0, n: 0 }]),
  ) as Record<EstimatedMetric, { abs: number; signed: number; covered: number; n: number }>;
  let recordDays = 0;
  let recordRows = 0;
  const daily = days.map((date) => {
    const u = unlabelled.get(date);
    const estimate = u ? estimateAny(ref, u, settings) : undefined;
    const entry: Record<string, unknown> = estimate ? { date, ...answerOf(estimate) } : { date, count: 0, metrics: null, intervals: null, expectedConfusion: null };
    const parts = labelledDays.get(date);
    if (parts) {
      const h = combineAny(parts);
      const back = estimateAny(ref, h, settings);
      if (back && labelledAny(h)) {
        const realized = realizedAny(h);
        const { error, covered } = estimationError(back, realized);
        recordDays++;
        recordRows += realized.count;
        for (const m of estimatedMetricNames) {
          const e = error[m];
          if (e === null) continue;
          totals[m].abs += Math.abs(e);
          totals[m].signed += e;
          totals[m].covered += covered[m] ? 1 : 0;
          totals[m].n++;
        }
        entry.labelled = { count: realized.count, realized: roundMetrics(realized), estimated: answerOf(back), estimationError: roundRecord(error), covered };
      }
    }
    return entry;
  });
  const overallHistogram = combineAny([...unlabelled.values()]);
  const overall = countAny(overallHistogram) > 0 ? answerOf(estimateAny(ref, overallHistogram, settings) as AnyEstimate) : null;
  const record = {
    days: recordDays,
    count: recordRows,
    meanAbsoluteError: Object.fromEntries(estimatedMetricNames.map((m) => [m, totals[m].n > 0 ? round(totals[m].abs / totals[m].n) : null])),
    meanError: Object.fromEntries(estimatedMetricNames.map((m) => [m, totals[m].n > 0 ? round(totals[m].signed / totals[m].n) : null])),
    coverage: Object.fromEntries(estimatedMetricNames.map((m) => [m, totals[m].n > 0 ? round(totals[m].covered / totals[m].n) : null])),
  };
  return { ...base, available: true, daily, overall, record };
}

function roundMetrics(m: Readonly<Record<EstimatedMetric, number | null>>): Record<EstimatedMetric, number | null> {
  return { accuracy: round(m.accuracy), precision: round(m.precision), recall: round(m.recall), f1: round(m.f1), auc: round(m.auc) };
}

function roundRecord(r: Record<EstimatedMetric, number | null>): Record<EstimatedMetric, number | null> {
  return Object.fromEntries(estimatedMetricNames.map((m) => [m, round(r[m])])) as Record<EstimatedMetric, number | null>;
}

/** An estimated drop of the primary metric, when the rule fires. */
export interface EstimatedDrop {
  readonly metric: EstimatedMetric;
  readonly baseline: number;
  readonly estimate: number;
  readonly interval: readonly [number, number];
  /** baseline − threshold points / 100: the interval lies wholly below it. */
  readonly limit: number;
  readonly dropPoints: number;
  readonly thresholdPoints: number;
  /** Percent change oriented so that positive = worse, as `PerformanceDrift`. */
  readonly degradationPct: number;
  readonly severity: "moderate" | "high";
}

/**
 * The estimated-drop rule. Undefined when the primary metric is not estimated (log loss), has no drop
 * threshold, no baseline, no interval, or the rule does not fire.
 */
export function estimatedDrop(estimate: Pick<AnyEstimate, "metrics" | "intervals">, primary: QualityMetric, baseline: number | undefined, thresholds: PerformanceThresholds): EstimatedDrop | undefined {
  if (!(estimatedMetricNames as readonly string[]).includes(primary) || baseline === undefined || !Number.isFinite(baseline) || baseline === 0) return undefined;
  const metric = primary as EstimatedMetric;
  const rule = thresholdOf[metric];
  const points = rule && rule.kind === "dropPoints" ? (thresholds[rule.key] as number | null) : null;
  const value = estimate.metrics[metric];
  const interval = estimate.intervals[metric];
  if (points === null || value === null || interval === null) return undefined;
  const limit = baseline - points / 100;
  if (!(value < limit && interval[1] < limit)) return undefined;
  const drop = (baseline - value) * 100;
  return {
    metric,
    baseline,
    estimate: value,
    interval,
    limit,
    dropPoints: drop,
    thresholdPoints: points,
    degradationPct: ((baseline - value) / Math.abs(baseline)) * 100,
    severity: drop >= thresholds.highFactor * points ? "high" : "moderate",
  };
}
