/**
 * Mergeable per-feature summaries: what a shard of a fan-out check computes from its slice of the current
 * data, merged in any order into the summary of the whole, from which the drift core decides with the SAME
 * rule (`compareNumeric` / `compareCategorical` through `buildDriftReport`) as a single worker.
 *
 * Numerical summary (`summarizeNumeric`, against the baseline sample it will be compared with):
 * - exact counts on the PSI / Jensen–Shannon bins the comparison uses (`numericEdges`: the full baseline's
 *   stored edges, or the sketch's quantiles for another bin count) → PSI, pooled PSI and JS are exact;
 * - exact counts below the baseline's minimum and above its maximum → the out-of-range rule is exact;
 * - when the baseline has at most 100 distinct values, exact counts on each of them and of the values that
 *   are none of them (`discrete`) → a discrete feature's value-cell tests are exact;
 * - count and missing → the missing-share test is exact;
 * - mergeable moments (count, mean, M2 with Chan's parallel update, min, max);
 * - a quantile sketch (`sketch.ts`) with rank error ε → KS and Wasserstein. `toCurrentSample` hands the
 *   sketch to the comparison with ε recorded (`rankError`), and `compareNumeric` computes the KS p-value at
 *   max(0, D − ε_baseline − ε_current) for the full counts (conservative in ε, the same mechanism as a
 *   sketched baseline); the bounds are reported in `tests.ks.sketch`.
 * Categorical summary: exact category counts (null-prototype), count, missing → every categorical test exact.
 * When the merged sketch is exact (n ≤ capacity), the current sample is the data itself and the report is
 * identical to the single worker's.
 * Cost: O(n log n) per numerical shard column (one sort), O(bins + K·s) per merge of s summaries.
 */
import { ValidationError } from "../errors.js";
import { histogramSorted } from "../stats/psi.js";
import { MAX_DISCRETE_VALUES, baselineDistinct, countOnValues, sameValues } from "./cells.js";
import { numericEdges } from "./compare.js";
import { type CategoricalSample, type NumericSample, categoryCount, countsFrom } from "./samples.js";
import { type QuantileSketch, SKETCH_DEFAULT_CAPACITY, mergeSketches, sketchSorted } from "./sketch.js";

/** Mergeable moments of the non-missing values. */
export interface Moments {
  readonly count: number;
  readonly mean: number;
  /** Sum of squared deviations from the mean. */
  readonly m2: number;
  readonly min: number;
  readonly max: number;
}

export interface NumericSummary {
  readonly type: "numerical";
  readonly count: number;
  readonly missing: number;
  readonly moments: Moments;
  /** Inner edges and the exact count of non-missing values in each of the edges.length + 1 bins. */
  readonly bins: { readonly edges: Float64Array; readonly counts: Float64Array };
  /** Exact counts outside the baseline's [min, max] (`range`). */
  readonly outOfRange: { readonly min: number; readonly max: number; readonly below: number; readonly above: number };
  /** Exact counts on the baseline's distinct values and of the others (present when the baseline has ≤ 100 distinct values). */
  readonly discrete?: { readonly values: Float64Array; readonly counts: Float64Array; readonly other: number };
  readonly sketch: QuantileSketch;
}

export interface CategoricalSummary {
  readonly type: "categorical";
  readonly count: number;
  readonly missing: number;
  /** Rows per category (null-prototype). */
  readonly counts: Record<string, number>;
}

export type FeatureSummary = NumericSummary | CategoricalSummary;

const emptyMoments: Moments = { count: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity };

/** Chan et al.'s pairwise update of count, mean and M2 (stable in any merge order). */
export function mergeMoments(a: Moments, b: Moments): Moments {
  if (a.count === 0) return b;
  if (b.count === 0) return a;
  const count = a.count + b.count;
  const delta = b.mean - a.mean;
  return {
    count,
    mean: a.mean + (delta * b.count) / count,
    m2: a.m2 + b.m2 + (delta * delta * a.count * b.count) / count,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
  };
}

function momentsOf(sorted: Float64Array): Moments {
  const n = sorted.length;
  if (n === 0) return emptyMoments;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  const mean = sum / n;
  let m2 = 0;
  for (let i = 0; i < n; i++) m2 += (sorted[i] - mean) ** 2;
  return { count: n, mean, m2, min: sorted[0], max: sorted[n - 1] };
}

function lowerBound(sorted: Float64Array, x: number, strict: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? sorted[mid] < x : sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The baseline's [min, max] as the out-of-range rule reads it. */
function baselineRange(baseline: NumericSample): { min: number; max: number } {
  const min = baseline.full?.min ?? (baseline.sorted.length > 0 ? baseline.sorted[0] : NaN);
  const max = baseline.full?.max ?? (baseline.sorted.length > 0 ? baseline.sorted[baseline.sorted.length - 1] : NaN);
  return { min, max };
}

/**
 * The summary of one shard's prepared numerical sample, against the baseline it will be compared with.
 * @param bins the check's PSI bin count (`psiBins`)
 */
export function summarizeNumeric(baseline: NumericSample, current: NumericSample, bins: number, capacity: number = SKETCH_DEFAULT_CAPACITY): NumericSummary {
  const edges = baseline.sorted.length > 0 ? Float64Array.from(numericEdges(baseline, bins)) : new Float64Array(0);
  const { min, max } = baselineRange(baseline);
  const sorted = current.sorted;
  const values = baselineDistinct(baseline, MAX_DISCRETE_VALUES)?.values;
  const discrete = values === undefined ? undefined : { values: Float64Array.from(values), ...countOnValues(sorted, values) };
  return {
    type: "numerical",
    count: current.count,
    missing: current.missing,
    moments: momentsOf(sorted),
    bins: { edges, counts: histogramSorted(sorted, edges) },
    outOfRange: { min, max, below: min === min ? lowerBound(sorted, min, true) : 0, above: max === max ? sorted.length - lowerBound(sorted, max, false) : 0 },
    ...(discrete ? { discrete } : {}),
    sketch: sketchSorted(sorted, capacity),
  };
}

/** The summary of one shard's categorical sample (a null-prototype copy of its counts). */
export function summarizeCategorical(current: CategoricalSample): CategoricalSummary {
  return { type: "categorical", count: current.count, missing: current.missing, counts: countsFrom(current.counts) };
}

function sameEdges(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Merges the summaries of one feature (any number, any order; counts add, moments merge, sketches merge in one step).
 * @throws {ValidationError} when the summaries disagree on the type, the bins or the baseline range.
 */
export function mergeFeatureSummaries(parts: readonly FeatureSummary[], capacity: number = SKETCH_DEFAULT_CAPACITY): FeatureSummary {
  if (parts.length === 0) throw new ValidationError("mergeFeatureSummaries requires at least one summary");
  const first = parts[0];
  if (first.type === "categorical") {
    const counts: Record<string, number> = Object.create(null);
    let count = 0;
    let missing = 0;
    for (const p of parts) {
      if (p.type !== "categorical") throw new ValidationError("mergeFeatureSummaries requires summaries of one type");
      for (const [k, n] of Object.entries(p.counts)) counts[k] = categoryCount(counts, k) + n;
      count += p.count;
      missing += p.missing;
    }
    return { type: "categorical", count, missing, counts };
  }
  const binCounts = new Float64Array(first.bins.counts.length);
  let count = 0;
  let missing = 0;
  let below = 0;
  let above = 0;
  let moments = emptyMoments;
  const firstDiscrete = first.discrete;
  const discreteCounts = firstDiscrete ? new Float64Array(firstDiscrete.counts.length) : undefined;
  let otherValues = 0;
  for (const p of parts) {
    if (p.type !== "numerical") throw new ValidationError("mergeFeatureSummaries requires summaries of one type");
    if (!sameEdges(p.bins.edges, first.bins.edges)) throw new ValidationError("mergeFeatureSummaries requires summaries over the same bins");
    if (!Object.is(p.outOfRange.min, first.outOfRange.min) || !Object.is(p.outOfRange.max, first.outOfRange.max)) {
      throw new ValidationError("mergeFeatureSummaries requires summaries against the same baseline range");
    }
    for (let i = 0; i < binCounts.length; i++) binCounts[i] += p.bins.counts[i];
    if (firstDiscrete && discreteCounts) {
      if (!p.discrete || !sameValues(p.discrete.values, firstDiscrete.values)) throw new ValidationError("mergeFeatureSummaries requires summaries against the same baseline values");
      for (let i = 0; i < discreteCounts.length; i++) discreteCounts[i] += p.discrete.counts[i];
      otherValues += p.discrete.other;
    }
    count += p.count;
    missing += p.missing;
    below += p.outOfRange.below;
    above += p.outOfRange.above;
    moments = mergeMoments(moments, p.moments);
  }
  return {
    type: "numerical",
    count,
    missing,
    moments,
    bins: { edges: first.bins.edges, counts: binCounts },
    outOfRange: { min: first.outOfRange.min, max: first.outOfRange.max, below, above },
    ...(firstDiscrete && discreteCounts ? { discrete: { values: firstDiscrete.values, counts: discreteCounts, other: otherValues } } : {}),
    sketch: mergeSketches(
      parts.map((p) => (p as NumericSummary).sketch),
      capacity,
    ),
  };
}

/**
 * The current-side sample the drift core compares: the sketch as `sorted` with its rank error, and the exact
 * bin and out-of-range counts the comparison reads instead of binning the sketch.
 */
export function toCurrentSample(summary: FeatureSummary): NumericSample | CategoricalSample {
  if (summary.type === "categorical") return { counts: countsFrom(summary.counts), count: summary.count, missing: summary.missing };
  const { sketch } = summary;
  return {
    sorted: sketch.values,
    count: summary.count,
    missing: summary.missing,
    ...(sketch.rankError > 0 || sketch.values.length !== summary.count ? { rankError: sketch.rankError } : {}),
    binned: { edges: summary.bins.edges, counts: summary.bins.counts, ...summary.outOfRange, ...(summary.discrete ? { discrete: summary.discrete } : {}) },
  };
}
