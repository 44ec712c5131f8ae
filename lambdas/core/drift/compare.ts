/**
 * Per-feature drift comparison: every test of one feature, before the multiple-testing adjustment.
 *
 * Numerical (`compareNumeric`): KS (`ksTwoSample`), PSI over baseline-quantile bins (`psiBinEdges`, or edges
 * precomputed from the full baseline), Wasserstein-1 and its value divided by the baseline's population
 * standard deviation (ddof 0; `null` when that is 0), and the Jensen–Shannon distance (base 2) of the
 * unsmoothed bin shares. All walk the two sorted arrays; nothing is re-sorted.
 * Categorical (`compareCategorical`): chi-square homogeneity, PSI and Jensen–Shannon over the union of
 * categories, plus the categories that appeared in or vanished from the current data.
 * When either side has no non-missing value, the tests are omitted (`tests` is empty) and only the missing
 * shares are reported. Cost: O(n₁ + n₂ + bins) numerical, O(k) categorical, plus the KS p-value.
 */
import { ValidationError } from "../errors.js";
import { chiSquareHomogeneity } from "../stats/chi-square.js";
import { jensenShannonDistance } from "../stats/jensen-shannon.js";
import { ksTwoSample } from "../stats/ks.js";
import {
  PSI_DEFAULT_BINS,
  alignCategories,
  histogramSorted,
  populationStabilityIndex,
  psiBinEdges,
  toShares,
} from "../stats/psi.js";
import { wassersteinDistance } from "../stats/wasserstein.js";
import { populationStd, type CategoricalSample, type NumericSample } from "./samples.js";

export interface SampleSummary {
  /** Non-missing values. */
  readonly count: number;
  /** Missing / (missing + non-missing); 0 for an empty sample. */
  readonly missingShare: number;
}

export interface FeatureTests {
  ks?: { statistic: number; pValue: number; adjustedPValue?: number };
  psi?: { value: number };
  wasserstein?: { distance: number; normalized: number | null };
  jensenShannon?: { distance: number };
  chiSquare?: { statistic: number; pValue: number; dof: number; adjustedPValue?: number };
}

export interface NumericComparison {
  readonly type: "numerical";
  readonly baseline: SampleSummary;
  readonly current: SampleSummary;
  readonly tests: FeatureTests;
}

export interface CategoricalComparison {
  readonly type: "categorical";
  readonly baseline: SampleSummary;
  readonly current: SampleSummary;
  readonly tests: FeatureTests;
  /** Categories in the current data but not the baseline, most frequent first. */
  readonly newCategories: string[];
  /** Categories in the baseline but not the current data, most frequent first. */
  readonly missingCategories: string[];
}

export interface CompareNumericOptions {
  /** Number of PSI bins. @default 10 */
  readonly bins?: number;
  /** Inner PSI edges precomputed from the full baseline (e.g. before `downsampleSorted`). */
  readonly edges?: ArrayLike<number>;
}

export function summarize(count: number, missing: number): SampleSummary {
  const total = count + missing;
  return { count, missingShare: total === 0 ? 0 : missing / total };
}

/** All numerical tests of one feature (no BH adjustment yet). */
export function compareNumeric(
  baseline: NumericSample,
  current: NumericSample,
  options: CompareNumericOptions = {},
): NumericComparison {
  const result: NumericComparison = {
    type: "numerical",
    baseline: summarize(baseline.count, baseline.missing),
    current: summarize(current.count, current.missing),
    tests: {},
  };
  if (baseline.sorted.length === 0 || current.sorted.length === 0) return result;
  const bins = options.bins ?? PSI_DEFAULT_BINS;
  // A sketched baseline carries its full sample's PSI bins and spread: use them rather than the sketch's.
  const fullPsi = options.edges === undefined && baseline.full?.psi?.bins === bins ? baseline.full.psi : undefined;
  const edges = options.edges ?? fullPsi?.edges ?? psiBinEdges(baseline.sorted, bins);
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i] > edges[i - 1])) throw new ValidationError("compareNumeric requires strictly increasing edges");
  }
  const baselineShares = fullPsi ? Float64Array.from(fullPsi.shares) : toShares(histogramSorted(baseline.sorted, edges));
  const currentShares = toShares(histogramSorted(current.sorted, edges));
  const ks = ksTwoSample(baseline.sorted, current.sorted, { sorted: true });
  const distance = wassersteinDistance(baseline.sorted, current.sorted, { sorted: true });
  const std = baseline.full?.std ?? populationStd(baseline.sorted);
  result.tests.ks = { statistic: ks.statistic, pValue: ks.pValue };
  result.tests.psi = { value: populationStabilityIndex(baselineShares, currentShares) };
  result.tests.wasserstein = { distance, normalized: std > 0 ? distance / std : null };
  result.tests.jensenShannon = { distance: jensenShannonDistance(baselineShares, currentShares) };
  return result;
}

function byFrequency(categories: string[], counts: Readonly<Record<string, number>>): string[] {
  return categories.sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
}

/** All categorical tests of one feature (no BH adjustment yet). */
export function compareCategorical(baseline: CategoricalSample, current: CategoricalSample): CategoricalComparison {
  const aligned = alignCategories(baseline.counts, current.counts);
  const fresh: string[] = [];
  const gone: string[] = [];
  aligned.categories.forEach((category, i) => {
    if (aligned.baseline[i] === 0 && aligned.current[i] > 0) fresh.push(category);
    else if (aligned.current[i] === 0 && aligned.baseline[i] > 0) gone.push(category);
  });
  const result: CategoricalComparison = {
    type: "categorical",
    baseline: summarize(baseline.count, baseline.missing),
    current: summarize(current.count, current.missing),
    tests: {},
    newCategories: byFrequency(fresh, current.counts),
    missingCategories: byFrequency(gone, baseline.counts),
  };
  if (baseline.count === 0 || current.count === 0) return result;
  const keep = aligned.categories.map((_, i) => aligned.baseline[i] + aligned.current[i] > 0);
  const b = aligned.baseline.filter((_, i) => keep[i]);
  const c = aligned.current.filter((_, i) => keep[i]);
  const chi = chiSquareHomogeneity(b, c);
  const bs = toShares(b);
  const cs = toShares(c);
  result.tests.chiSquare = { statistic: chi.statistic, pValue: chi.pValue, dof: chi.dof };
  result.tests.psi = { value: populationStabilityIndex(bs, cs) };
  result.tests.jensenShannon = { distance: jensenShannonDistance(bs, cs) };
  return result;
}
