/**
 * Per-feature drift comparison: every test of one feature, before the multiple-testing adjustment.
 *
 * Numerical (`compareNumeric`):
 * - KS (`ksTwoSample`). Against a sketched baseline (`downsampleSorted`, rank error ε) the statistic D is
 *   the sketch's, the true statistic lies in [D − ε, D + ε], and the p-value is the asymptotic one for the
 *   **full** baseline size n₁ at max(0, D − ε) — never smaller than the exact full-data p-value.
 * - PSI over baseline-quantile bins (`psiBinEdges`, or the full baseline's stored edges and shares), its
 *   pooled version (adjacent bins merged until every expected count is ≥ 5), the PSI a null comparison
 *   shows on average at these sizes, (cells − 1)(1/n₁ + 1/n₂), and the corrected PSI = pooled − noise (≥ 0).
 * - Wasserstein-1 and its value divided by a robust scale: min(standard deviation, IQR / 1.349), whichever
 *   is positive (`null` when both are 0). The IQR term keeps heavy tails from swamping the spread.
 * - Jensen–Shannon distance (base 2) of the unsmoothed bin shares.
 * - Out-of-range: k current values below the baseline's minimum or above its maximum, tested on their own
 *   (`outsideRangeTail`: the exact chance of ≥ k outside a baseline of n₁ values, 2n₂/(n₁ + 1) expected).
 * - Discrete features (at most `discreteValues` distinct baseline values, `cells.ts`): no KS and no quantile
 *   bins — the value counts are compared as categories (chi-square, PSI, Jensen–Shannon, category change
 *   for values the baseline never had, share shift); Wasserstein, out-of-range and missing share as above.
 * Categorical (`compareCategorical`): chi-square homogeneity over pooled cells (categories whose smaller
 * expected count min(n₁, n₂)·(bᵢ + cᵢ)/(n₁ + n₂) is < 5 form one "other" cell, grown with the rarest kept
 * category until its own expectation is ≥ 5), PSI over every category (`value`, as
 * before) and over the pooled cells (`pooledValue`, noise, corrected), Jensen–Shannon, the categories that
 * appeared or vanished, and the category-change test: for a category seen x times on one side only, the
 * exact probability that all x fall on that side, Bonferroni over the categories; the share shift (`cells.ts`).
 * Both types: the missing-share test (`twoProportionTest`: Fisher exact for small counts, else chi-square),
 * present when some but not all cells are missing (otherwise its p-value is 1 by construction).
 * When either side has no non-missing value, the value tests are omitted; only the missing share is tested.
 * Cost: O(n₁ + n₂ + bins) numerical, O(k log k) categorical, plus the KS p-value.
 */
import { ValidationError } from "../errors.js";
import { outsideRangeExpected, outsideRangeTail } from "../stats/outside-range.js";
import { countAbove, countBelow, discreteCells, sameValues, shareShiftTest, type ShareShift } from "./cells.js";
import { shareReaches } from "./exact.js";
import { chiSquareHomogeneity } from "../stats/chi-square.js";
import { jensenShannonDistance } from "../stats/jensen-shannon.js";
import { ksAsymptoticPValue, ksStatisticSorted, ksTwoSample } from "../stats/ks.js";
import { allFromOnePartProbability } from "../stats/one-sample-tail.js";
import {
  PSI_DEFAULT_BINS,
  alignCategories,
  histogramSorted,
  populationStabilityIndex,
  psiBinEdges,
  toShares,
} from "../stats/psi.js";
import { quantileSorted } from "../stats/quantile.js";
import { twoProportionTest } from "../stats/two-proportion.js";
import { wassersteinDistance } from "../stats/wasserstein.js";
import { categoryCount, populationStd, type CategoricalSample, type NumericSample } from "./samples.js";

/** Expected count a pooled cell needs (Cochran's rule). */
export const MIN_EXPECTED_COUNT = 5;
/** IQR / 1.349 estimates the standard deviation of a normal distribution. */
const IQR_TO_SD = 1.349;

export interface SampleSummary {
  /** Non-missing values. */
  readonly count: number;
  /** Missing / (missing + non-missing); 0 for an empty sample. */
  readonly missingShare: number;
}

export interface FeatureTests {
  ks?: {
    statistic: number;
    pValue: number;
    adjustedPValue?: number;
    /** The baseline size the p-value is computed for (the full count, also for a sketch). */
    baselineSize?: number;
    /** Present when the baseline is a sketch: its rank error ε and the bounds of the full-data statistic. */
    sketch?: {
      /** ε₁ + ε₂: the bound on |D − D_full|. */
      rankError: number;
      /** Present when the current side is a merged fan-out sketch too. */
      baselineRankError?: number;
      currentRankError?: number;
      /** The current size the p-value is computed for (the merged count). */
      currentSize?: number;
      statisticLowerBound: number;
      statisticUpperBound: number;
    };
  };
  psi?: {
    /** PSI over every bin / category (the classic figure). */
    value: number;
    /** PSI over the pooled cells (every expected count ≥ 5). */
    pooledValue?: number;
    /** Number of pooled cells. */
    cells?: number;
    /** PSI a comparison of two samples of these sizes from one distribution shows on average. */
    expectedNoise?: number;
    /** max(0, pooledValue − expectedNoise): the effect size the decision and severity read. */
    corrected?: number;
  };
  wasserstein?: { distance: number; normalized: number | null; scale?: number | null; scaleMethod?: "std" | "iqr" };
  jensenShannon?: { distance: number };
  chiSquare?: { statistic: number; pValue: number; dof: number; adjustedPValue?: number; pooledCategories?: number };
  missingShare?: { baseline: number; current: number; change: number; pValue: number; method: "fisher" | "chi_square"; adjustedPValue?: number };
  /** With its own exact test (`pValue`: the chance of at least below + above outside; `expected` by chance). */
  outOfRange?: { below: number; above: number; share: number; baselineMin: number; baselineMax: number; expected?: number; pValue?: number; adjustedPValue?: number };
  categoryChange?: { pValue: number; adjustedPValue?: number; categories: string[] };
  shareShift?: ShareShift;
  /** A discrete numerical feature compared on value cells: its baseline values, and current values that are none of them. */
  discrete?: { values: number; newValues: number; vanishedValues: string[] };
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

export interface CompareNumericOptions extends CompareCategoricalOptions {
  /** Number of PSI bins. @default 10 */
  readonly bins?: number;
  /** Compare on value counts when the baseline has at most this many distinct values (0: never). @default 20 */
  readonly discreteValues?: number;
  /** Inner PSI edges precomputed from the full baseline (e.g. before `downsampleSorted`). */
  readonly edges?: ArrayLike<number>;
}

export interface CompareCategoricalOptions {
  /** Share of its sample a one-sided category needs to be a category-change candidate. @default 0.01 */
  readonly categoryShare?: number;
  /** Rows a one-sided category needs to be a candidate. @default 5 */
  readonly minCount?: number;
  /** Move of a cell's share that makes it a share-shift candidate. @default 0.03 */
  readonly shareShift?: number;
}

export function summarize(count: number, missing: number): SampleSummary {
  const total = count + missing;
  return { count, missingShare: total === 0 ? 0 : missing / total };
}

function missingShareTest(baseline: { count: number; missing: number }, current: { count: number; missing: number }): FeatureTests["missingShare"] {
  const n1 = baseline.count + baseline.missing;
  const n2 = current.count + current.missing;
  if (n1 === 0 || n2 === 0) return undefined;
  // No missing cell on either side (or nothing but missing cells): conditional on the margins the test has a
  // single possible table, p ≡ 1 — leave it out, so it does not dilute the Benjamini–Hochberg family.
  const events = baseline.missing + current.missing;
  if (events === 0 || events === n1 + n2) return undefined;
  const result = twoProportionTest(baseline.missing, n1, current.missing, n2);
  const b = baseline.missing / n1;
  const c = current.missing / n2;
  return { baseline: b, current: c, change: c - b, pValue: result.pValue, method: result.method };
}

/**
 * PSI over pooled cells. `groups` lists, per original cell, the pooled cell it belongs to.
 * Returns the pooled PSI, the number of cells and the null noise (cells − 1)(1/n₁ + 1/n₂).
 */
function pooledPsi(
  baselineShares: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
  groups: ArrayLike<number>,
  cells: number,
  n1: number,
  n2: number,
): { pooledValue: number; cells: number; expectedNoise: number; corrected: number } {
  if (cells < 2) return { pooledValue: 0, cells, expectedNoise: 0, corrected: 0 };
  const b = new Float64Array(cells);
  const c = new Float64Array(cells);
  for (let i = 0; i < groups.length; i++) {
    b[groups[i]] += baselineShares[i];
    c[groups[i]] += currentCounts[i];
  }
  const pooledValue = populationStabilityIndex(toShares(b), toShares(c));
  const expectedNoise = (cells - 1) * (1 / n1 + 1 / n2);
  return { pooledValue, cells, expectedNoise, corrected: Math.max(0, pooledValue - expectedNoise) };
}

/** Adjacent bins merged left to right until each pooled bin expects ≥ 5 values in both samples. */
function adjacentGroups(baselineShares: ArrayLike<number>, n1: number, n2: number): { groups: Int32Array; cells: number } {
  const need = MIN_EXPECTED_COUNT / Math.min(n1, n2);
  const groups = new Int32Array(baselineShares.length);
  let cell = 0;
  let acc = 0;
  for (let i = 0; i < baselineShares.length; i++) {
    groups[i] = cell;
    acc += baselineShares[i];
    if (acc >= need && i < baselineShares.length - 1) {
      cell++;
      acc = 0;
    }
  }
  // The last group may be short: fold it into the previous one.
  if (acc < need && cell > 0) for (let i = 0; i < groups.length; i++) if (groups[i] === cell) groups[i] = cell - 1;
  const cells = acc < need && cell > 0 ? cell : cell + 1;
  return { groups, cells };
}

/**
 * The inner PSI edges `compareNumeric` bins a feature with for `bins` bins: the full baseline's stored
 * edges when it was sketched with that bin count, else the baseline sample's quantiles (`psiBinEdges`).
 * Fan-out shards count their values on these same edges (`summary.ts`).
 */
export function numericEdges(baseline: NumericSample, bins: number = PSI_DEFAULT_BINS): ArrayLike<number> {
  return baseline.full?.psi?.bins === bins ? baseline.full.psi.edges : psiBinEdges(baseline.sorted, bins);
}

/** All numerical tests of one feature (no BH adjustment yet). */
export function compareNumeric(baseline: NumericSample, current: NumericSample, options: CompareNumericOptions = {}): NumericComparison {
  const result: NumericComparison = {
    type: "numerical",
    baseline: summarize(baseline.count, baseline.missing),
    current: summarize(current.count, current.missing),
    tests: {},
  };
  const missing = missingShareTest(baseline, current);
  if (baseline.sorted.length === 0 || current.sorted.length === 0) {
    if (missing) result.tests.missingShare = missing;
    return result;
  }
  const discrete = discreteCells(baseline, current, options.discreteValues ?? 20);
  if (discrete) {
    const cells = compareCategorical(discrete.baseline, discrete.current, options);
    const { chiSquare, psi, jensenShannon, categoryChange, shareShift } = cells.tests;
    Object.assign(result.tests, { chiSquare, psi, jensenShannon, ...(categoryChange ? { categoryChange } : {}), ...(shareShift ? { shareShift } : {}) });
    result.tests.discrete = { values: discrete.values, newValues: discrete.newValues, vanishedValues: cells.missingCategories };
  }
  const bins = options.bins ?? PSI_DEFAULT_BINS;
  // A sketched baseline carries its full sample's PSI bins and spread: use them rather than the sketch's.
  const fullPsi = options.edges === undefined && baseline.full?.psi?.bins === bins ? baseline.full.psi : undefined;
  const edges = options.edges ?? numericEdges(baseline, bins);
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i] > edges[i - 1])) throw new ValidationError("compareNumeric requires strictly increasing edges");
  }
  const baselineShares = fullPsi ? Float64Array.from(fullPsi.shares) : toShares(histogramSorted(baseline.sorted, edges));
  // A merged current summary carries exact counts on these bins: use them rather than the sketch's.
  const binned = current.binned;
  const currentCounts = binned && sameValues(binned.edges, edges) ? Float64Array.from(binned.counts) : histogramSorted(current.sorted, edges);
  const currentShares = toShares(currentCounts);
  const n1 = baseline.count;
  const n2 = current.count;

  const baselineError = baseline.sorted.length < n1 ? (baseline.rankError !== undefined && baseline.rankError > 0 ? baseline.rankError : 1 / baseline.sorted.length) : 0;
  const currentError = current.sorted.length < n2 ? (current.rankError !== undefined && current.rankError > 0 ? current.rankError : 1 / current.sorted.length) : 0;
  if (discrete) {
    // Value cells replace KS and the quantile bins.
  } else if (baselineError > 0 || currentError > 0) {
    // Either side a sketch: the full-data statistic lies in [D − ε, D + ε] with ε = ε₁ + ε₂; the p-value is
    // the asymptotic one for the full sizes at the lower bound (never smaller than the full-data p-value).
    const epsilon = baselineError + currentError;
    const d = ksStatisticSorted(baseline.sorted, current.sorted);
    const lower = Math.max(0, d - epsilon);
    result.tests.ks = {
      statistic: d,
      pValue: ksAsymptoticPValue(lower, n1, n2),
      baselineSize: n1,
      sketch: {
        rankError: epsilon,
        ...(currentError > 0 ? { baselineRankError: baselineError, currentRankError: currentError, currentSize: n2 } : {}),
        statisticLowerBound: lower,
        statisticUpperBound: Math.min(1, d + epsilon),
      },
    };
  } else {
    const ks = ksTwoSample(baseline.sorted, current.sorted, { sorted: true });
    result.tests.ks = { statistic: ks.statistic, pValue: ks.pValue, baselineSize: n1 };
  }

  const { groups, cells } = adjacentGroups(baselineShares, n1, n2);
  if (!discrete) result.tests.psi = { value: populationStabilityIndex(baselineShares, currentShares), ...pooledPsi(baselineShares, currentCounts, groups, cells, n1, n2) };

  const distance = wassersteinDistance(baseline.sorted, current.sorted, { sorted: true });
  const std = baseline.full?.std ?? populationStd(baseline.sorted);
  const iqr = baseline.full?.iqr ?? quantileSorted(baseline.sorted, 0.75) - quantileSorted(baseline.sorted, 0.25);
  const robust = iqr / IQR_TO_SD;
  const useIqr = robust > 0 && (robust < std || !(std > 0));
  const scale = useIqr ? robust : std > 0 ? std : null;
  result.tests.wasserstein = {
    distance,
    normalized: scale === null ? null : distance / scale,
    scale,
    ...(scale === null ? {} : { scaleMethod: useIqr ? ("iqr" as const) : ("std" as const) }),
  };
  if (!discrete) result.tests.jensenShannon = { distance: jensenShannonDistance(baselineShares, currentShares) };

  const min = baseline.full?.min ?? baseline.sorted[0];
  const max = baseline.full?.max ?? baseline.sorted[baseline.sorted.length - 1];
  const exactRange = binned && Object.is(binned.min, min) && Object.is(binned.max, max);
  const below = exactRange ? binned.below : countBelow(current.sorted, min);
  const above = exactRange ? binned.above : countAbove(current.sorted, max);
  result.tests.outOfRange = {
    below,
    above,
    share: (below + above) / n2,
    baselineMin: min,
    baselineMax: max,
    expected: outsideRangeExpected(n1, n2),
    pValue: outsideRangeTail(below + above, n1, n2),
  };
  if (missing) result.tests.missingShare = missing;
  return result;
}

function byFrequency(categories: string[], counts: Readonly<Record<string, number>>): string[] {
  return categories.sort((a, b) => categoryCount(counts, b) - categoryCount(counts, a) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The pooled cells of a categorical comparison (Cochran's rule on the 2 × k table): per category, its cell
 * index. A category whose smaller expected count min(n₁, n₂)·(bᵢ + cᵢ)/(n₁ + n₂) is < 5 goes to one "other"
 * cell (the last), which takes the rarest kept categories until its own expectation is ≥ 5 too (or nothing
 * is left to take).
 */
function categoricalGroups(b: Float64Array, c: Float64Array, n1: number, n2: number): { groups: Int32Array; cells: number; pooled: number } {
  const k = b.length;
  const scale = Math.min(n1, n2) / (n1 + n2);
  const total = (i: number): number => b[i] + c[i];
  const kept = Array.from({ length: k }, (_, i) => i)
    .filter((i) => total(i) * scale >= MIN_EXPECTED_COUNT)
    .sort((x, y) => total(x) - total(y) || x - y);
  const inOther = new Uint8Array(k).fill(1);
  for (const i of kept) inOther[i] = 0;
  let otherExpected = 0;
  for (let i = 0; i < k; i++) if (inOther[i]) otherExpected += total(i) * scale;
  let pooled = k - kept.length;
  while (pooled > 0 && otherExpected < MIN_EXPECTED_COUNT && kept.length > 0) {
    const i = kept.shift()!;
    inOther[i] = 1;
    otherExpected += total(i) * scale;
    pooled++;
  }
  const groups = new Int32Array(k);
  let cell = 0;
  for (let i = 0; i < k; i++) if (!inOther[i]) groups[i] = cell++;
  for (let i = 0; i < k; i++) if (inOther[i]) groups[i] = cell;
  return { groups, cells: pooled > 0 ? cell + 1 : cell, pooled };
}

/** All categorical tests of one feature (no BH adjustment yet). */
export function compareCategorical(
  baseline: CategoricalSample,
  current: CategoricalSample,
  options: CompareCategoricalOptions = {},
): CategoricalComparison {
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
  const missing = missingShareTest(baseline, current);
  if (baseline.count === 0 || current.count === 0) {
    if (missing) result.tests.missingShare = missing;
    return result;
  }
  const n1 = baseline.count;
  const n2 = current.count;
  const keep = aligned.categories.map((_, i) => aligned.baseline[i] + aligned.current[i] > 0);
  const b = aligned.baseline.filter((_, i) => keep[i]);
  const c = aligned.current.filter((_, i) => keep[i]);
  const bs = toShares(b);
  const cs = toShares(c);

  const { groups, cells, pooled } = categoricalGroups(b, c, n1, n2);
  const pb = new Float64Array(cells);
  const pc = new Float64Array(cells);
  for (let i = 0; i < groups.length; i++) {
    pb[groups[i]] += b[i];
    pc[groups[i]] += c[i];
  }
  const used = Array.from({ length: cells }, (_, i) => i).filter((i) => pb[i] + pc[i] > 0);
  const chi = chiSquareHomogeneity(
    used.map((i) => pb[i]),
    used.map((i) => pc[i]),
  );
  result.tests.chiSquare = { statistic: chi.statistic, pValue: chi.pValue, dof: chi.dof, pooledCategories: pooled };
  result.tests.psi = { value: populationStabilityIndex(bs, cs), ...pooledPsi(bs, c, groups, cells, n1, n2) };
  result.tests.jensenShannon = { distance: jensenShannonDistance(bs, cs) };
  const shift = shareShiftTest(
    aligned.categories.filter((_, i) => keep[i]),
    b,
    c,
    n1,
    n2,
    options.shareShift ?? 0.03,
    baseline.pooled,
  );
  if (shift) result.tests.shareShift = shift;

  const minShare = options.categoryShare ?? 0.01;
  const minCount = options.minCount ?? 5;
  const candidates: string[] = [];
  let smallest = 1;
  for (const category of result.newCategories) {
    const x = categoryCount(current.counts, category);
    if (x < minCount || !shareReaches(x, n2, minShare)) continue;
    candidates.push(category);
    smallest = Math.min(smallest, allFromOnePartProbability(x, n2, n1));
  }
  for (const category of result.missingCategories) {
    const x = categoryCount(baseline.counts, category);
    if (x < minCount || !shareReaches(x, n1, minShare)) continue;
    candidates.push(category);
    smallest = Math.min(smallest, allFromOnePartProbability(x, n1, n2));
  }
  if (candidates.length > 0) {
    result.tests.categoryChange = { pValue: Math.min(1, smallest * aligned.categories.length), categories: candidates };
  }
  if (missing) result.tests.missingShare = missing;
  return result;
}
