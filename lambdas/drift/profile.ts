/**
 * The baseline profile: what a check compares current data against, stored as JSON in S3.
 *
 * Per numerical feature: count, missing share, min/max, quantiles, the PSI bin edges and bin shares of the
 * full baseline, and a quantile sketch of at most {@link baselineBounds}.maxNumericValues order statistics
 * (`downsampleSorted` from the drift core) that KS, Wasserstein and PSI run against. Per categorical feature:
 * the counts of the {@link baselineBounds}.maxCategories most frequent categories, the rest pooled under
 * {@link otherCategory}, and the membership of every category (all names up to 10,000 categories, beyond that a
 * Bloom filter with a 0.1 % false-positive rate, `core/drift/membership.ts`), so a check tells a category
 * the baseline never had from one it pooled: the first is kept under its own name (new), the second pooled.
 * A numerical feature with at most 100 distinct values also stores their exact counts (`distinct`), so a
 * discrete feature is compared on value counts even when its values are sketched.
 * Both fields are optional: profiles stored before them read as before (every category beyond the bound
 * pooled; a sketched discrete feature compared by KS and bins).
 *
 * Size bound: a numerical feature stores ≤ 10,000 values (≈ 200 KB of JSON), a categorical one ≤ 1,000
 * categories, so a profile is ≤ ~4 MB for 20 features whatever the baseline's size. Accuracy for
 * baselines larger than the bound: the sketch has rank error ε = 1/10,000 (its empirical CDF is within ε
 * of the full baseline's, stored as `sketch.rankError`), so a KS statistic moves by at most ε and the
 * Wasserstein distance by at most (max − min)/10,000. The KS p-value uses the full baseline size with the
 * statistic lowered by ε (never smaller than the exact p-value); PSI, the robust scale, the standard
 * deviation and the [min, max] range come from the full baseline. Missing shares and counts stay exact.
 */
import {
  type CategoricalSample,
  type FeatureSample,
  type NumericSample,
  countsFrom,
  downsampleSorted,
  populationStd,
  prepareNumeric,
} from "../core/drift/index.js";
import { MAX_DISCRETE_VALUES, distinctSorted } from "../core/drift/cells.js";
import { MEMBERSHIP_EXACT_LIMIT, bloomMayContain, buildBloomFilter, type BloomFilter } from "../core/drift/membership.js";
import { histogramSorted, psiBinEdges, toShares } from "../core/stats/psi.js";
import { quantileSorted } from "../core/stats/quantile.js";
import { UnprocessableError } from "../shared/errors.js";
import type { Column, ColumnKind } from "./columns.js";
import type { InferredType, MonitorConstraints } from "./model-monitor/types.js";

/** The size bounds of a stored profile. */
export const baselineBounds = {
  /** Order statistics kept per numerical feature. */
  maxNumericValues: 10_000,
  /** Categories kept per categorical feature (most frequent first). */
  maxCategories: 1_000,
  /** PSI bins of the stored bin shares (a check with another `psiBins` bins the sketch instead). */
  psiBins: 10,
} as const;

/** The category that pools the categories beyond the bound. */
export const otherCategory = "__other__";

/** The format tag of a stored profile. */
export const profileFormat = "mlwatch.baseline.v1";

const quantileLevels = { p01: 0.01, p05: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 } as const;

/** A numerical feature's profile. */
export interface NumericFeatureProfile {
  readonly type: "numerical";
  readonly count: number;
  readonly missing: number;
  readonly missingShare: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly quantiles: Record<keyof typeof quantileLevels, number> | null;
  /** PSI inner edges of the full baseline and its share in each of the edges.length + 1 bins. */
  readonly psi: { readonly bins: number; readonly edges: number[]; readonly shares: number[] };
  /** Population standard deviation of the full baseline (absent in profiles stored before it was added). */
  readonly std?: number;
  /**
   * Sorted order statistics the tests run against; `exact` when it holds every value, else a sketch with
   * rank error `rankError` (absent in profiles stored before it was recorded: then 1 / values.length).
   */
  readonly sketch: { readonly exact: boolean; readonly values: number[]; readonly rankError?: number };
  /** The full baseline's distinct values (ascending) and counts, when there are at most 100 (absent in older profiles). */
  readonly distinct?: { readonly values: number[]; readonly counts: number[] };
}

/** Every category of a truncated baseline: the names beyond the counted ones, or a Bloom filter over all of them. */
export type CategoryMembership =
  | { readonly kind: "exact"; readonly others: string[] }
  | { readonly kind: "bloom"; readonly bits: number; readonly hashes: number; readonly members: number; readonly falsePositiveRate: number; readonly data: string };

/** A categorical feature's profile. */
export interface CategoricalFeatureProfile {
  readonly type: "categorical";
  readonly count: number;
  readonly missing: number;
  readonly missingShare: number;
  /** Distinct categories in the baseline (before the bound). */
  readonly distinct: number;
  /** Rows per category; beyond the bound pooled under `__other__`. */
  readonly counts: Record<string, number>;
  readonly truncated: boolean;
  /** Present when truncated (absent in profiles stored before it): which categories the baseline has beyond `counts`. */
  readonly membership?: CategoryMembership;
}

export type FeatureProfile = NumericFeatureProfile | CategoricalFeatureProfile;

/** Where a baseline's data came from. */
export interface ProfileSource {
  readonly kind: "inline" | "s3" | "model_monitor";
  readonly dataUri?: string;
  /** Where an imported Model Monitor baseline's documents were read from (absent when posted inline). */
  readonly statisticsUri?: string;
  readonly constraintsUri?: string;
  readonly objects?: number;
  readonly bytes?: number;
}

/** A stored baseline profile. */
export interface BaselineProfile {
  readonly format: typeof profileFormat;
  readonly model: string;
  readonly baselineId: string;
  readonly createdAt: string;
  readonly rows: number;
  /** Feature names in the data's column order (CSV data capture maps its columns to this order). */
  readonly features: string[];
  readonly profiles: Record<string, FeatureProfile>;
  readonly bounds: typeof baselineBounds;
  readonly source: ProfileSource;
  /**
   * An imported Model Monitor baseline's constraints and column types (model-monitor/); absent for a
   * baseline built from data, whose constraints are suggested from the profile when a check needs them.
   */
  readonly modelMonitor?: {
    readonly constraints: MonitorConstraints;
    readonly inferredTypes: Record<string, InferredType>;
  };
}

const share = (part: number, total: number): number => (total === 0 ? 0 : part / total);

function numericProfile(values: Float64Array): NumericFeatureProfile {
  const sample = prepareNumeric(values, { inPlace: true });
  const { sorted, count, missing } = sample;
  const missingShare = share(missing, count + missing);
  if (count === 0) {
    return { type: "numerical", count, missing, missingShare, min: null, max: null, quantiles: null, psi: { bins: baselineBounds.psiBins, edges: [], shares: [] }, sketch: { exact: true, values: [] } };
  }
  const edges = psiBinEdges(sorted, baselineBounds.psiBins);
  const quantiles = Object.fromEntries(Object.entries(quantileLevels).map(([k, q]) => [k, quantileSorted(sorted, q)])) as Record<keyof typeof quantileLevels, number>;
  const sketch = downsampleSorted(sample, baselineBounds.maxNumericValues);
  const distinct = distinctSorted(sorted, MAX_DISCRETE_VALUES);
  return {
    type: "numerical",
    count,
    missing,
    missingShare,
    min: sorted[0],
    max: sorted[count - 1],
    quantiles,
    psi: { bins: baselineBounds.psiBins, edges: Array.from(edges), shares: Array.from(toShares(histogramSorted(sorted, edges))) },
    std: sketch.full?.std ?? populationStd(sorted),
    sketch: { exact: sketch.sorted.length === count, values: Array.from(sketch.sorted), ...(sketch.rankError ? { rankError: sketch.rankError } : {}) },
    ...(distinct ? { distinct: { values: Array.from(distinct.values), counts: Array.from(distinct.counts) } } : {}),
  };
}

function categoricalProfile(column: { counts: Readonly<Record<string, number>>; count: number; missing: number }): CategoricalFeatureProfile {
  const entries = Object.entries(column.counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const kept = entries.slice(0, baselineBounds.maxCategories);
  const counts = countsFrom(new Map(kept));
  const pooled = entries.slice(baselineBounds.maxCategories).reduce((sum, [, n]) => sum + n, 0);
  if (pooled > 0) counts[otherCategory] = (Object.hasOwn(counts, otherCategory) ? counts[otherCategory] : 0) + pooled;
  return {
    type: "categorical",
    count: column.count,
    missing: column.missing,
    missingShare: share(column.missing, column.count + column.missing),
    distinct: entries.length,
    counts,
    truncated: pooled > 0,
    ...(pooled > 0 ? { membership: membershipOf(entries.map(([name]) => name)) } : {}),
  };
}

function membershipOf(names: string[]): CategoryMembership {
  if (names.length <= MEMBERSHIP_EXACT_LIMIT) return { kind: "exact", others: names.slice(baselineBounds.maxCategories) };
  const filter = buildBloomFilter(names, names.length);
  return { kind: "bloom", bits: filter.bits, hashes: filter.hashes, members: filter.members, falsePositiveRate: filter.falsePositiveRate, data: Buffer.from(filter.data).toString("base64") };
}

/**
 * Whether a truncated baseline had `category` (possibly, for a Bloom filter); a profile stored without
 * membership answers true for every category (it pools them all, as it always did).
 */
export function membershipTest(p: CategoricalFeatureProfile): (category: string) => boolean {
  const m = p.membership;
  if (m === undefined) return () => true;
  if (m.kind === "exact") {
    const others = new Set(m.others);
    return (category) => Object.hasOwn(p.counts, category) || others.has(category);
  }
  const filter: BloomFilter = { bits: m.bits, hashes: m.hashes, members: m.members, falsePositiveRate: m.falsePositiveRate, data: new Uint8Array(Buffer.from(m.data, "base64")) };
  return (category) => Object.hasOwn(p.counts, category) || bloomMayContain(filter, category);
}

/**
 * Builds a baseline profile from collected columns. Numerical columns are sorted in place (they keep their
 * values, not their row order): a column of a million rows then costs no second array.
 * @throws {UnprocessableError} when there are no rows or no features.
 */
export function buildProfile(
  columns: ReadonlyMap<string, Column>,
  meta: { model: string; baselineId: string; createdAt: string; rows: number; source: ProfileSource },
): BaselineProfile {
  if (meta.rows === 0) throw new UnprocessableError("the baseline data has no rows");
  if (columns.size === 0) throw new UnprocessableError("the baseline data has no usable feature (names must match [A-Za-z0-9][A-Za-z0-9._-]{0,127})");
  const profiles: Record<string, FeatureProfile> = Object.create(null);
  for (const [name, column] of columns) {
    profiles[name] = column.kind === "numerical" ? numericProfile(column.values) : categoricalProfile(column);
  }
  return { format: profileFormat, ...meta, features: [...columns.keys()], profiles, bounds: baselineBounds };
}

/** The feature types of a profile (fixes the types of a check's columns). */
export function profileKinds(profile: BaselineProfile): Record<string, ColumnKind> {
  const out: Record<string, ColumnKind> = Object.create(null);
  for (const [name, p] of Object.entries(profile.profiles)) out[name] = p.type;
  return out;
}

/** The baseline side of every feature, as the drift core's samples. */
export function baselineSamples(profile: BaselineProfile): Record<string, FeatureSample> {
  const out: Record<string, FeatureSample> = Object.create(null);
  for (const [name, p] of Object.entries(profile.profiles)) {
    const sketched = p.type === "numerical" && !p.sketch.exact && p.count > 0;
    out[name] =
      p.type === "numerical"
        ? ({
            sorted: Float64Array.from(p.sketch.values),
            count: p.count,
            missing: p.missing,
            // A sketch keeps PSI bins, spread and range of the full baseline, so PSI, the normalised
            // Wasserstein distance and the out-of-range rule stay exact.
            full: sketched
              ? {
                  std: p.std ?? populationStd(p.sketch.values),
                  psi: p.psi,
                  ...(p.min !== null && p.max !== null ? { min: p.min, max: p.max } : {}),
                  ...(p.quantiles ? { iqr: p.quantiles.p75 - p.quantiles.p25 } : {}),
                }
              : undefined,
            ...(sketched ? { rankError: p.sketch.rankError ?? 1 / p.sketch.values.length } : {}),
            ...(sketched && p.distinct ? { distinct: { values: Float64Array.from(p.distinct.values), counts: Float64Array.from(p.distinct.counts) } } : {}),
          } satisfies NumericSample)
        : ({ counts: countsFrom(p.counts), count: p.count, missing: p.missing, ...(p.truncated ? { pooled: otherCategory } : {}) } satisfies CategoricalSample);
  }
  return out;
}

/**
 * The current side of every feature. Categorical categories the baseline pooled (beyond its bound) are
 * pooled the same way, so a rare category is not reported as new only because the baseline was truncated;
 * a category the baseline never had (its membership says so) keeps its name and is reported as new.
 * Numerical columns are sorted in place, as in {@link buildProfile}, and each sample's `sorted` is a view
 * of its column.
 */
export function currentSamples(columns: ReadonlyMap<string, Column>, profile: BaselineProfile): Record<string, FeatureSample> {
  const out: Record<string, FeatureSample> = Object.create(null);
  for (const [name, column] of columns) {
    if (!Object.hasOwn(profile.profiles, name)) continue;
    const p = profile.profiles[name];
    if (column.kind === "numerical") {
      out[name] = prepareNumeric(column.values, { inPlace: true });
      continue;
    }
    let counts = countsFrom(column.counts);
    if (p.type === "categorical" && p.truncated) {
      counts = Object.create(null) as Record<string, number>;
      const seen = membershipTest(p);
      for (const [category, n] of Object.entries(column.counts)) {
        const key = Object.hasOwn(p.counts, category) || !seen(category) ? category : otherCategory;
        counts[key] = (Object.hasOwn(counts, key) ? counts[key] : 0) + n;
      }
    }
    out[name] = { counts, count: column.count, missing: column.missing } satisfies CategoricalSample;
  }
  return out;
}

/** Parses a stored profile, refusing anything that is not one. */
export function parseProfile(text: string): BaselineProfile {
  const parsed = JSON.parse(text) as BaselineProfile;
  if (parsed?.format !== profileFormat || typeof parsed.profiles !== "object") {
    throw new UnprocessableError(`stored baseline is not a ${profileFormat} profile`);
  }
  return parsed;
}
