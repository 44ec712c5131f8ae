/**
 * Baseline-vs-current histograms of each feature, for people reading a drift report.
 *
 * Numerical: the PSI bins — the baseline's deciles (inner edges at its k/bins quantiles, or the full
 * baseline's stored edges and shares when it was sketched), so a stable feature puts about 1/bins of the
 * current data in each bin and the bars show exactly what PSI measured. Bin i holds x with
 * edges[i−1] ≤ x < edges[i]; the outer bins are open. Categorical: the shares of the `maxCategories` most
 * frequent categories (by the larger of the two shares), the rest pooled in one bar. A discrete numerical
 * feature (≤ `discreteValues` distinct baseline values, compared on value cells) is drawn like a categorical
 * one, one bar per value (and one for current values that are none of them): its deciles would collapse.
 * Shares are of non-missing values. Pure; O(n₁ + n₂) per numerical feature, O(k log k) per categorical one.
 * @example
 * featureHistograms({ x: { baseline: prepareNumeric(a), current: prepareNumeric(b) } }).x;
 * // → { type: "numerical", edges: [...9 edges], baseline: [0.1, …], current: [0.02, …], min, max }
 */
import { histogramSorted, PSI_DEFAULT_BINS, psiBinEdges, toShares } from "../stats/psi.js";
import type { FeaturePair } from "./report.js";
import { discreteCells } from "./cells.js";
import { categoryCount, isNumericSample, type CategoricalSample, type NumericSample } from "./samples.js";

/** A numerical feature's histogram over the PSI bins. */
export interface NumericHistogram {
  readonly type: "numerical";
  /** Inner edges; there are edges.length + 1 bins. */
  readonly edges: number[];
  readonly baseline: number[];
  readonly current: number[];
  /** Smallest and largest value seen on either side (the outer bins' ends). */
  readonly min: number;
  readonly max: number;
}

/** A categorical feature's shares per category. */
export interface CategoricalHistogram {
  readonly type: "categorical";
  readonly categories: string[];
  readonly baseline: number[];
  readonly current: number[];
  /** How many categories were pooled into the last bar (0 when none). */
  readonly pooled: number;
}

export type FeatureHistogram = NumericHistogram | CategoricalHistogram;

/** Options of {@link featureHistograms}. */
export interface HistogramOptions {
  /** PSI bins of numerical features. @default 10 */
  readonly bins?: number;
  /** Categories shown before pooling the rest. @default 12 */
  readonly maxCategories?: number;
  /** Draw numerical features with at most this many distinct baseline values as value bars. @default 20 */
  readonly discreteValues?: number;
}

function numericHistogram(b: NumericSample, c: NumericSample, bins: number): NumericHistogram {
  const full = b.full?.psi?.bins === bins ? b.full.psi : undefined;
  const edges = full ? Float64Array.from(full.edges) : psiBinEdges(b.sorted, bins);
  const baseline = full ? Array.from(full.shares) : Array.from(toShares(histogramSorted(b.sorted, edges)));
  return {
    type: "numerical",
    edges: Array.from(edges),
    baseline,
    current: Array.from(toShares(histogramSorted(c.sorted, edges))),
    min: Math.min(b.sorted[0], c.sorted[0]),
    max: Math.max(b.sorted[b.sorted.length - 1], c.sorted[c.sorted.length - 1]),
  };
}

function categoricalHistogram(b: CategoricalSample, c: CategoricalSample, maxCategories: number): CategoricalHistogram {
  const share = (counts: Readonly<Record<string, number>>, total: number, k: string): number => (total === 0 ? 0 : categoryCount(counts, k) / total);
  const all = [...new Set([...Object.keys(b.counts), ...Object.keys(c.counts)])];
  const weight = (k: string): number => Math.max(share(b.counts, b.count, k), share(c.counts, c.count, k));
  all.sort((x, y) => weight(y) - weight(x) || (x < y ? -1 : x > y ? 1 : 0));
  const shown = all.length > maxCategories ? all.slice(0, maxCategories - 1) : all;
  const rest = all.slice(shown.length);
  const baseline = shown.map((k) => share(b.counts, b.count, k));
  const current = shown.map((k) => share(c.counts, c.count, k));
  if (rest.length > 0) {
    baseline.push(rest.reduce((s, k) => s + share(b.counts, b.count, k), 0));
    current.push(rest.reduce((s, k) => s + share(c.counts, c.count, k), 0));
  }
  return { type: "categorical", categories: rest.length > 0 ? [...shown, `${rest.length} others`] : shown, baseline, current, pooled: rest.length };
}

/**
 * Histograms of every feature present with values on both sides (others are left out).
 * @param pairs the same baseline/current samples the report was built from
 */
export function featureHistograms(pairs: Readonly<Record<string, FeaturePair>>, options: HistogramOptions = {}): Record<string, FeatureHistogram> {
  const bins = options.bins ?? PSI_DEFAULT_BINS;
  const maxCategories = Math.max(2, options.maxCategories ?? 12);
  const out: Record<string, FeatureHistogram> = Object.create(null);
  for (const [name, { baseline, current }] of Object.entries(pairs)) {
    if (baseline === undefined || current === undefined) continue;
    if (isNumericSample(baseline) && isNumericSample(current)) {
      if (baseline.sorted.length === 0 || current.sorted.length === 0) continue;
      const cells = discreteCells(baseline, current, options.discreteValues ?? 20);
      out[name] = cells ? categoricalHistogram(cells.baseline, cells.current, Math.max(maxCategories, 21)) : numericHistogram(baseline, current, bins);
    } else if (!isNumericSample(baseline) && !isNumericSample(current)) {
      if (baseline.count > 0 && current.count > 0) out[name] = categoricalHistogram(baseline, current, maxCategories);
    }
  }
  return out;
}
