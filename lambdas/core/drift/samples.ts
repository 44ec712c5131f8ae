/**
 * Prepared feature samples — the one representation every drift test reads.
 *
 * `prepareNumeric` drops NaN (missing) and sorts once (a bucket sort into one new array, or in place in a column the caller owns): KS, Wasserstein, the PSI quantile edges and the
 * histograms all walk the same sorted `Float64Array`, so a column costs one O(n log n) sort and O(n) memory.
 * `prepareCategorical` counts categories; empty string, null and undefined are missing. Category counts are
 * null-prototype objects and every reader goes through `categoryCount` / `Object.hasOwn`, so a category
 * named `constructor`, `__proto__` or `toString` is data like any other (a spread `{ ...counts }` would
 * make a normal object again: use `countsFrom` to copy).
 * `downsampleSorted` bounds a stored baseline profile to `maxValues` evenly spaced order statistics, with
 * rank error ε = 1/maxValues.
 */
import { ValidationError } from "../errors.js";
import { sortNumbersInPlace, sortedNumbers } from "../stats/sort-float64.js";
import { histogramSorted, psiBinEdges, toShares } from "../stats/psi.js";
import { quantileSorted } from "../stats/quantile.js";
import { MAX_DISCRETE_VALUES, distinctSorted, type ValueCounts } from "./distinct-values.js";

export interface NumericSample {
  /** Non-missing values, ascending. After `downsampleSorted`, a quantile sketch of them. */
  readonly sorted: Float64Array;
  /** Non-missing values observed (the full count, also after downsampling). */
  readonly count: number;
  /** Missing values observed. */
  readonly missing: number;
  /**
   * Statistics of the full sample when `sorted` is a sketch of it (set by `downsampleSorted`, or from a
   * stored baseline profile): `compareNumeric` then takes PSI bins and the standard deviation from the full
   * data instead of the sketch.
   */
  readonly full?: FullSampleStatistics;
  /**
   * Rank error ε of the sketch: the sketch's empirical CDF is within ε of the full sample's everywhere
   * (so is any KS statistic computed against it). 0 or absent when `sorted` holds every value.
   */
  readonly rankError?: number;
  /**
   * The full sample's distinct values (ascending) and their counts, when `sorted` is a sketch of a sample
   * with at most 100 distinct values (`downsampleSorted`, or a stored profile): a discrete feature is then
   * compared on exact value counts. Absent when `sorted` holds every value (they are counted from it).
   */
  readonly distinct?: ValueCounts;
  /**
   * Exact counts of the full sample when `sorted` is a sketch of current data (a merged fan-out summary,
   * `summary.ts`): the non-missing values in each of the edges.length + 1 bins, and below / above the
   * baseline range [min, max]. `compareNumeric` reads them when they match its edges and range.
   */
  readonly binned?: {
    readonly edges: ArrayLike<number>;
    readonly counts: ArrayLike<number>;
    readonly min: number;
    readonly max: number;
    readonly below: number;
    readonly above: number;
    /** Exact counts on the baseline's distinct values, and of values that are none of them (discrete features). */
    readonly discrete?: { readonly values: ArrayLike<number>; readonly counts: ArrayLike<number>; readonly other: number };
  };
}

/** What a sketch cannot reproduce exactly, kept from the full sample. */
export interface FullSampleStatistics {
  /** Population standard deviation (ddof = 0). */
  readonly std: number;
  /** PSI inner edges for `bins` bins and the full sample's share in each of the edges.length + 1 bins. */
  readonly psi?: { readonly bins: number; readonly edges: ArrayLike<number>; readonly shares: ArrayLike<number> };
  /** Smallest and largest value (the support the out-of-range rule compares with). */
  readonly min?: number;
  readonly max?: number;
  /** Interquartile range (numpy linear quantiles 0.75 − 0.25), for the robust scale. */
  readonly iqr?: number;
}

export interface CategoricalSample {
  /** Rows per category (non-missing only); read it with `categoryCount`, never `counts[key]`. */
  readonly counts: Readonly<Record<string, number>>;
  /** Non-missing rows. */
  readonly count: number;
  /** Missing rows. */
  readonly missing: number;
  /**
   * The cell that pools the categories beyond a stored baseline's bound (`__other__`), when truncated. Which
   * categories it holds was chosen by their baseline counts (the rarest), so its baseline share is biased
   * low: the share-shift test leaves it out.
   */
  readonly pooled?: string;
}

export type FeatureSample = NumericSample | CategoricalSample;

/** True for a sample made by `prepareNumeric`. */
export function isNumericSample(sample: FeatureSample): sample is NumericSample {
  return (sample as NumericSample).sorted instanceof Float64Array;
}

/** Options of {@link prepareNumeric}. */
export interface PrepareNumericOptions {
  /**
   * Sort `values` (a `Float64Array`) in place instead of a copy (`sortNumbersInPlace`): it keeps its
   * values but not their order (non-missing ascending, then NaN), and the sample's `sorted` is a view of
   * it. For a caller that owns the column and needs no row order after: no array of n is allocated.
   * @default false
   */
  readonly inPlace?: boolean;
}

/**
 * Drop NaN and sort ascending (`sortedNumbers`: O(n) expected on measured data, one new array of the values
 * kept; or in place, see {@link PrepareNumericOptions.inPlace}).
 * @example
 * prepareNumeric([3, NaN, 1]); // → { sorted: Float64Array [1, 3], count: 2, missing: 1 }
 * @throws {ValidationError} when a value is ±Infinity (not a measurement).
 */
export function prepareNumeric(values: ArrayLike<number>, options: PrepareNumericOptions = {}): NumericSample {
  const n = values.length;
  const sorted =
    options.inPlace && values instanceof Float64Array
      ? values.subarray(0, sortNumbersInPlace(values))
      : sortedNumbers(values instanceof Float64Array ? values : Float64Array.from(values));
  const count = sorted.length;
  if (count > 0 && (sorted[0] === -Infinity || sorted[count - 1] === Infinity)) {
    throw new ValidationError("prepareNumeric requires finite values or NaN");
  }
  return { sorted, count, missing: n - count };
}

/** Rows of `category` (0 when absent), safe for any key: inherited members such as `toString` are not counts. */
export function categoryCount(counts: Readonly<Record<string, number>>, category: string): number {
  return Object.hasOwn(counts, category) ? counts[category] : 0;
}

/** A null-prototype copy of category counts (from an object's own entries or a Map). */
export function countsFrom(source: Readonly<Record<string, number>> | ReadonlyMap<string, number>): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  const entries = source instanceof Map ? source.entries() : Object.entries(source);
  for (const [key, n] of entries) out[key] = n;
  return out;
}

/**
 * Count categories; empty string, null and undefined are missing. O(n).
 * @example
 * prepareCategorical(["a", "", "b", "a", null]); // → { counts: { a: 2, b: 1 }, count: 3, missing: 2 }
 */
export function prepareCategorical(values: ArrayLike<string | null | undefined>): CategoricalSample {
  const counts: Record<string, number> = Object.create(null);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || v === "") continue;
    counts[v] = categoryCount(counts, v) + 1;
    count++;
  }
  return { counts, count, missing: values.length - count };
}

/**
 * Keep `maxValues` evenly spaced order statistics of a sorted sample: the values at ranks
 * ⌊(k + ½)·n / maxValues⌋, k = 0…maxValues−1 (each stands for n/maxValues original values).
 *
 * Accuracy cost: the sketch's empirical CDF is within ε = 1/maxValues of the full one everywhere (the k-th
 * kept value stands for the ranks around (k + ½)·n/maxValues), so a KS statistic moves by at most ε and the
 * Wasserstein distance by at most (max − min)/maxValues. `rankError` records ε; `compareNumeric` computes
 * the KS p-value for the full count n with the statistic lowered by ε (conservative in ε). Quantile
 * edges from the sketch differ from the full sample's by at most one sketch step, which is why
 * `compareNumeric` accepts PSI edges precomputed from the full baseline. `count` and `missing` keep the
 * full counts, so missing shares stay exact. O(maxValues).
 * @throws {ValidationError} when maxValues is not an integer ≥ 2.
 * @example
 * downsampleSorted(prepareNumeric([1, 2, 3, 4, 5, 6, 7, 8]), 4).sorted; // → Float64Array [2, 4, 6, 8]
 */
export function downsampleSorted(sample: NumericSample, maxValues: number, psiBins = 10): NumericSample {
  if (!(Number.isInteger(maxValues) && maxValues >= 2)) {
    throw new ValidationError("downsampleSorted requires an integer maxValues ≥ 2");
  }
  const n = sample.sorted.length;
  if (n <= maxValues) return sample;
  const sketch = new Float64Array(maxValues);
  for (let k = 0; k < maxValues; k++) sketch[k] = sample.sorted[Math.floor(((k + 0.5) * n) / maxValues)];
  const edges = psiBinEdges(sample.sorted, psiBins);
  const full: FullSampleStatistics = sample.full ?? {
    std: populationStd(sample.sorted),
    psi: { bins: psiBins, edges, shares: toShares(histogramSorted(sample.sorted, edges)) },
    min: sample.sorted[0],
    max: sample.sorted[n - 1],
    iqr: quantileSorted(sample.sorted, 0.75) - quantileSorted(sample.sorted, 0.25),
  };
  const distinct = sample.distinct ?? distinctSorted(sample.sorted, MAX_DISCRETE_VALUES);
  return { sorted: sketch, count: sample.count, missing: sample.missing, full, rankError: 1 / maxValues, ...(distinct ? { distinct } : {}) };
}

/** Population standard deviation (ddof = 0) of a non-empty sample, two-pass. O(n). */
export function populationStd(values: ArrayLike<number>): number {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
  return Math.sqrt(squares / n);
}
