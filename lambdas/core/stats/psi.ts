/**
 * Population Stability Index (PSI) between a baseline and a current distribution.
 *
 * PSI = Σᵢ (cᵢ − bᵢ) · ln(cᵢ / bᵢ) over bins (or categories) i, with bᵢ and cᵢ the baseline and current
 * shares. A share of exactly 0 becomes 1e-4 (`PSI_ZERO_SHARE`) before the sum, without renormalising —
 * the usual practitioner convention, so an empty bin contributes a large but finite term.
 *
 * Numerical binning (`psiBinEdges`, `histogramSorted`): the inner edges are the baseline's quantiles at k/B,
 * k = 1…B−1 (numpy's default linear interpolation, `quantileSorted`), duplicates dropped, giving at most B
 * bins; a value x falls in bin i = number of inner edges ≤ x (`np.searchsorted(edges, x, side='right')`).
 * Categorical: the same sum over the union of baseline and current categories (`categoricalShares`).
 *
 * Reference: the numpy implementation in test/fixtures/generate_reference.py following these definitions.
 * Cost: O(B) given the shares; histogramming a sorted sample is O(n + B) (one merge walk), unsorted
 * O(n log B).
 *
 * @throws {ValidationError} when the share vectors differ in length, are empty, or hold negative values.
 * @example
 * populationStabilityIndex([0.5, 0.5], [0.25, 0.75]); // → 0.2746530721670274
 */
import { ValidationError } from "../errors.js";
import { quantileSorted } from "./quantile.js";

/** The share that replaces an exact 0 in the PSI sum. */
export const PSI_ZERO_SHARE = 1e-4;
/** Default number of bins for numerical PSI. */
export const PSI_DEFAULT_BINS = 10;

/** PSI from two aligned share vectors. */
export function populationStabilityIndex(baselineShares: ArrayLike<number>, currentShares: ArrayLike<number>): number {
  if (baselineShares.length !== currentShares.length) {
    throw new ValidationError("populationStabilityIndex requires share vectors of equal length");
  }
  if (baselineShares.length === 0) throw new ValidationError("populationStabilityIndex requires at least one bin");
  let psi = 0;
  for (let i = 0; i < baselineShares.length; i++) {
    let b = baselineShares[i];
    let c = currentShares[i];
    if (!(b >= 0) || !(c >= 0)) throw new ValidationError("populationStabilityIndex requires non-negative shares");
    if (b === 0) b = PSI_ZERO_SHARE;
    if (c === 0) c = PSI_ZERO_SHARE;
    psi += (c - b) * Math.log(c / b);
  }
  return psi;
}

/** Inner bin edges: the sorted baseline's quantiles at k/bins, k = 1…bins−1, duplicates dropped. */
export function psiBinEdges(sortedBaseline: ArrayLike<number>, bins: number = PSI_DEFAULT_BINS): Float64Array {
  if (!(Number.isInteger(bins) && bins >= 2)) throw new ValidationError("psiBinEdges requires an integer bins ≥ 2");
  if (sortedBaseline.length === 0) throw new ValidationError("psiBinEdges requires at least one baseline value");
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const edge = quantileSorted(sortedBaseline, k / bins);
    if (edges.length === 0 || edge !== edges[edges.length - 1]) edges.push(edge);
  }
  return Float64Array.from(edges);
}

/** Counts per bin of a sorted sample: bin i holds the x with (number of edges ≤ x) = i. */
export function histogramSorted(sorted: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  // Bin k holds edges[k−1] ≤ x < edges[k]: its end is the first value ≥ edges[k], found by bisection, so a
  // sorted sample costs O(B log n), not a pass over n.
  const n = sorted.length;
  let start = 0;
  for (let k = 0; k < edges.length; k++) {
    const edge = edges[k];
    let lo = start;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < edge) lo = mid + 1;
      else hi = mid;
    }
    counts[k] = lo - start;
    start = lo;
  }
  counts[edges.length] = n - start;
  return counts;
}

/** Shares (counts / total); all zeros when the total is 0. */
export function toShares(counts: ArrayLike<number>): Float64Array {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  const shares = new Float64Array(counts.length);
  if (total > 0) for (let i = 0; i < counts.length; i++) shares[i] = counts[i] / total;
  return shares;
}

/**
 * Aligned count vectors over the union of categories, ordered by baseline count, then current count
 * (both descending), then name: the order — and so every sum over it — depends on the counts alone, not on
 * the order rows arrived in or on what the categories are called (ties hold equal values).
 */
export function alignCategories(
  baseline: Readonly<Record<string, number>>,
  current: Readonly<Record<string, number>>,
): { categories: string[]; baseline: Float64Array; current: Float64Array } {
  // Own properties only: a category named "toString" or "constructor" is data, not an inherited member.
  const count = (counts: Readonly<Record<string, number>>, key: string): number => (Object.hasOwn(counts, key) ? counts[key] : 0);
  const categories = Object.keys(baseline);
  for (const key of Object.keys(current)) if (!Object.hasOwn(baseline, key)) categories.push(key);
  categories.sort((x, y) => count(baseline, y) - count(baseline, x) || count(current, y) - count(current, x) || (x < y ? -1 : x > y ? 1 : 0));
  const b = new Float64Array(categories.length);
  const c = new Float64Array(categories.length);
  categories.forEach((key, i) => {
    b[i] = count(baseline, key);
    c[i] = count(current, key);
  });
  return { categories, baseline: b, current: c };
}
