/**
 * Model Monitor's `statistics.json` ↔ mlwatch feature profiles (the schema of the SageMaker developer guide,
 * "Schema for Statistics (statistics.json file)").
 *
 * Import (`profilesFromStatistics`): per feature, `inferred_type` Integral / Fractional → a numerical
 * profile, String → a categorical one, Unknown (no value present) → skipped with a warning.
 * - numerical: counts from `numerical_statistics.common` (num_present, num_missing), `min`, `max`, `std_dev`
 *   as given; the baseline sample is the KLL sketch (`distribution.kll.sketch`: `parameters.k`, `.c`, `data`)
 *   read by `kllToSketch` into ≤ 10,000 equi-rank points with its deterministic rank error, which the KS rule
 *   subtracts (docs/drift.md, `tests.ks.sketch`); quantiles and the 10 PSI bins come from those points.
 *   The 10 materialised `kll.buckets` are checked for shape only: the sketch says more.
 * - categorical: the counts of `string_statistics.distribution.categorical.buckets`; values present but not
 *   listed are pooled under `__other__` (the profile is then `truncated`, like one of ours past its bound).
 * Export (`statisticsFromProfile`): the same fields from any profile, a one-level KLL sketch holding the
 * profile's points (`kllFromSketch`), 10 equal-width buckets from min to max, and an `mlwatch` object per
 * feature (rank error, PSI bins, quantiles) that a re-import reads so that the round trip gives the same
 * decisions; other readers ignore it, as the schema's "provision for custom stats" allows.
 * Names Model Monitor gives header-less CSV columns (`_c0`, `_c1`, …) become `c0`, `c1`, … (mlwatch names
 * start with a letter or digit); the CSV column order is kept as the profile's feature order.
 */
import { KLL_DEFAULT_PARAMETERS, kllFromSketch, kllToSketch } from "../../core/drift/kll.js";
import { countsFrom, populationStd } from "../../core/drift/samples.js";
import { histogramSorted, psiBinEdges, toShares } from "../../core/stats/psi.js";
import { quantileSorted } from "../../core/stats/quantile.js";
import { maxFeatures } from "../columns.js";
import { type BaselineProfile, type CategoricalFeatureProfile, type FeatureProfile, type NumericFeatureProfile, baselineBounds, otherCategory } from "../profile.js";
import { JsonPath, arrayAt, enumAt, field, numberAt, objectAt, required, stringAt } from "./read-json.js";
import { inferredTypes, type InferredType } from "./types.js";

/** What an import yields: the profiles in column order, each feature's Model Monitor type, warnings. */
export interface ImportedStatistics {
  readonly features: string[];
  readonly profiles: Record<string, FeatureProfile>;
  readonly inferredTypes: Record<string, InferredType>;
  readonly rows: number;
  readonly warnings: string[];
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const quantileLevels = { p01: 0.01, p05: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 } as const;
const maxLevels = 64;
const maxItemsPerLevel = 1_000_000;
const maxCategories = 100_000;

/** An mlwatch feature name for a Model Monitor column name (`_c3` → `c3`), or a 400. */
export function featureNameOf(name: string, path: JsonPath): string {
  const mapped = /^_c\d+$/.test(name) ? name.slice(1) : name;
  if (!namePattern.test(mapped)) path.fail(`feature name ${JSON.stringify(name.slice(0, 140))} must match [A-Za-z0-9][A-Za-z0-9._-]{0,127}`);
  return mapped;
}

function commonOf(stats: Record<string, unknown>, path: JsonPath): { present: number; missing: number } {
  const common = objectAt(required(stats, "common", path), path.key("common"));
  return {
    present: numberAt(required(common, "num_present", path.key("common")), path.key("common").key("num_present"), { min: 0, integer: true }),
    missing: numberAt(required(common, "num_missing", path.key("common")), path.key("common").key("num_missing"), { min: 0, integer: true }),
  };
}

function readLevels(sketch: Record<string, unknown>, path: JsonPath): number[][] {
  const data = arrayAt(required(sketch, "data", path), path.key("data"), maxLevels);
  return data.map((level, h) => {
    const items = arrayAt(level, path.key("data").index(h), maxItemsPerLevel);
    return items.map((v, i) => numberAt(v, path.key("data").index(h).index(i)));
  });
}

function numericFrom(stats: Record<string, unknown>, path: JsonPath, extension: Record<string, unknown> | undefined, extPath: JsonPath): NumericFeatureProfile {
  const { present, missing } = commonOf(stats, path);
  const missingShare = present + missing === 0 ? 0 : missing / (present + missing);
  const empty: NumericFeatureProfile = { type: "numerical", count: 0, missing, missingShare, min: null, max: null, quantiles: null, psi: { bins: baselineBounds.psiBins, edges: [], shares: [] }, sketch: { exact: true, values: [] } };
  if (present === 0) return empty;
  const min = numberAt(required(stats, "min", path), path.key("min"));
  const max = numberAt(required(stats, "max", path), path.key("max"));
  if (max < min) path.key("max").fail("must be ≥ min");
  const stdDev = field(stats, "std_dev") === undefined ? undefined : numberAt(field(stats, "std_dev"), path.key("std_dev"), { min: 0 });
  const distPath = path.key("distribution");
  const kll = objectAt(required(objectAt(required(stats, "distribution", path), distPath), "kll", distPath), distPath.key("kll"));
  const kllPath = distPath.key("kll");
  if (field(kll, "buckets") !== undefined) {
    arrayAt(field(kll, "buckets"), kllPath.key("buckets"), 1000).forEach((b, i) => {
      const bp = kllPath.key("buckets").index(i);
      const bucket = objectAt(b, bp);
      numberAt(required(bucket, "lower_bound", bp), bp.key("lower_bound"));
      numberAt(required(bucket, "upper_bound", bp), bp.key("upper_bound"));
      numberAt(required(bucket, "count", bp), bp.key("count"), { min: 0 });
    });
  }
  const sketchPath = kllPath.key("sketch");
  const sketch = objectAt(required(kll, "sketch", kllPath), sketchPath);
  const params = field(sketch, "parameters") === undefined ? undefined : objectAt(field(sketch, "parameters"), sketchPath.key("parameters"));
  const parameters = {
    k: params && field(params, "k") !== undefined ? numberAt(field(params, "k"), sketchPath.key("parameters").key("k"), { min: 2, max: 1e7 }) : KLL_DEFAULT_PARAMETERS.k,
    c: params && field(params, "c") !== undefined ? numberAt(field(params, "c"), sketchPath.key("parameters").key("c"), { min: 0.5, max: 1 }) : KLL_DEFAULT_PARAMETERS.c,
  };
  const levels = readLevels(sketch, sketchPath);
  if (levels.every((l) => l.length === 0)) sketchPath.key("data").fail(`must hold at least one item when num_present is ${present}`);
  for (let h = 0; h < levels.length; h++) {
    for (let i = 0; i < levels[h].length; i++) {
      if (levels[h][i] < min || levels[h][i] > max) sketchPath.key("data").index(h).index(i).fail(`${levels[h][i]} lies outside [min, max] = [${min}, ${max}]`);
    }
  }
  const reading = kllToSketch(levels, present, parameters, baselineBounds.maxNumericValues);
  const values = reading.values;
  const ext = extension ? mlwatchExtension(extension, extPath) : undefined;
  const edges = ext?.psi?.edges ?? Array.from(psiBinEdges(values, baselineBounds.psiBins));
  const shares = ext?.psi?.shares ?? Array.from(toShares(histogramSorted(values, edges)));
  const rankError = ext?.rankError ?? reading.rankError;
  const quantiles = ext?.quantiles ?? (Object.fromEntries(Object.entries(quantileLevels).map(([k, q]) => [k, quantileSorted(values, q)])) as Record<keyof typeof quantileLevels, number>);
  return {
    type: "numerical",
    count: present,
    missing,
    missingShare,
    min,
    max,
    quantiles,
    psi: { bins: baselineBounds.psiBins, edges, shares },
    std: stdDev ?? populationStd(values),
    sketch: { exact: reading.exact && rankError === 0, values: Array.from(values), ...(reading.exact && rankError === 0 ? {} : { rankError }) },
    ...(ext?.distinct && ext.distinct.counts.reduce((s, n) => s + n, 0) === present ? { distinct: ext.distinct } : {}),
  };
}

/** The `mlwatch` object of an exported feature (optional; present only in files mlwatch wrote). */
type Extension = { rankError?: number; psi?: { edges: number[]; shares: number[] }; quantiles?: NumericFeatureProfile["quantiles"]; distinct?: { values: number[]; counts: number[] } };
function mlwatchExtension(ext: Record<string, unknown>, path: JsonPath): Extension {
  const out: Extension = {};
  if (field(ext, "rank_error") !== undefined) out.rankError = numberAt(field(ext, "rank_error"), path.key("rank_error"), { min: 0, max: 1 });
  if (field(ext, "psi") !== undefined) {
    const psi = objectAt(field(ext, "psi"), path.key("psi"));
    const edges = arrayAt(required(psi, "edges", path.key("psi")), path.key("psi").key("edges"), 1000).map((v, i) => numberAt(v, path.key("psi").key("edges").index(i)));
    const shares = arrayAt(required(psi, "shares", path.key("psi")), path.key("psi").key("shares"), 1001).map((v, i) => numberAt(v, path.key("psi").key("shares").index(i), { min: 0, max: 1 }));
    if (shares.length !== edges.length + 1) path.key("psi").key("shares").fail("must have one more item than edges");
    out.psi = { edges, shares };
  }
  if (field(ext, "quantiles") !== undefined) {
    const q = objectAt(field(ext, "quantiles"), path.key("quantiles"));
    out.quantiles = Object.fromEntries(Object.keys(quantileLevels).map((k) => [k, numberAt(required(q, k, path.key("quantiles")), path.key("quantiles").key(k))])) as NumericFeatureProfile["quantiles"];
  }
  if (field(ext, "distinct") !== undefined) {
    // A discrete feature's exact value counts (the drift rule compares such a feature on them).
    const d = objectAt(field(ext, "distinct"), path.key("distinct"));
    const values = arrayAt(required(d, "values", path.key("distinct")), path.key("distinct").key("values"), 100).map((v, i) => numberAt(v, path.key("distinct").key("values").index(i)));
    const counts = arrayAt(required(d, "counts", path.key("distinct")), path.key("distinct").key("counts"), 100).map((v, i) => numberAt(v, path.key("distinct").key("counts").index(i), { min: 1, integer: true }));
    if (counts.length !== values.length) path.key("distinct").key("counts").fail("must have as many items as values");
    if (values.some((v, i) => i > 0 && !(v > values[i - 1]))) path.key("distinct").key("values").fail("must be strictly ascending");
    out.distinct = { values, counts };
  }
  return out;
}

function categoricalFrom(stats: Record<string, unknown>, path: JsonPath): CategoricalFeatureProfile {
  const { present, missing } = commonOf(stats, path);
  const counts: Record<string, number> = Object.create(null);
  let listed = 0;
  const dist = field(stats, "distribution");
  if (dist !== undefined) {
    const distPath = path.key("distribution");
    const categorical = objectAt(required(objectAt(dist, distPath), "categorical", distPath), distPath.key("categorical"));
    const bucketsPath = distPath.key("categorical").key("buckets");
    arrayAt(required(categorical, "buckets", distPath.key("categorical")), bucketsPath, maxCategories).forEach((b, i) => {
      const bp = bucketsPath.index(i);
      const bucket = objectAt(b, bp);
      const value = stringAt(required(bucket, "value", bp), bp.key("value"));
      const count = numberAt(required(bucket, "count", bp), bp.key("count"), { min: 0, integer: true });
      if (value === "" || count === 0) return;
      counts[value] = (Object.hasOwn(counts, value) ? counts[value] : 0) + count;
      listed += count;
    });
  }
  if (listed > present) path.key("common").key("num_present").fail(`is ${present}, fewer than the ${listed} values the categorical buckets count`);
  const distinct = field(stats, "distinct_count") === undefined ? Object.keys(counts).length : numberAt(field(stats, "distinct_count"), path.key("distinct_count"), { min: 0 });
  if (present > listed) counts[otherCategory] = (Object.hasOwn(counts, otherCategory) ? counts[otherCategory] : 0) + (present - listed);
  return { type: "categorical", count: present, missing, missingShare: present + missing === 0 ? 0 : missing / (present + missing), distinct: Math.round(distinct), counts: countsFrom(counts), truncated: present > listed };
}

/**
 * Reads a statistics.json document into mlwatch feature profiles.
 * @param root the path the document sits at in the request (`modelMonitor.statistics`)
 * @throws {ValidationError} naming the JSON path of the first field that is missing or malformed.
 */
export function profilesFromStatistics(doc: unknown, root: JsonPath): ImportedStatistics {
  const stats = objectAt(doc, root);
  const featuresPath = root.key("features");
  const list = arrayAt(required(stats, "features", root), featuresPath, maxFeatures);
  const profiles: Record<string, FeatureProfile> = Object.create(null);
  const types: Record<string, InferredType> = Object.create(null);
  const features: string[] = [];
  const warnings: string[] = [];
  list.forEach((item, i) => {
    const path = featuresPath.index(i);
    const f = objectAt(item, path);
    const name = featureNameOf(stringAt(required(f, "name", path), path.key("name"), 200), path.key("name"));
    if (Object.hasOwn(profiles, name) || types[name] === "Unknown") path.key("name").fail(`feature ${JSON.stringify(name)} appears twice`);
    const type = enumAt(required(f, "inferred_type", path), path.key("inferred_type"), inferredTypes);
    types[name] = type;
    if (type === "Unknown") {
      warnings.push(`${name}: inferred_type Unknown (no value present in the baseline), not compared`);
      return;
    }
    if (type === "String") {
      profiles[name] = categoricalFrom(objectAt(required(f, "string_statistics", path), path.key("string_statistics")), path.key("string_statistics"));
    } else {
      const ext = field(f, "mlwatch");
      profiles[name] = numericFrom(objectAt(required(f, "numerical_statistics", path), path.key("numerical_statistics")), path.key("numerical_statistics"), ext === undefined ? undefined : objectAt(ext, path.key("mlwatch")), path.key("mlwatch"));
    }
    features.push(name);
  });
  if (features.length === 0) featuresPath.fail("must describe at least one feature whose inferred_type is not Unknown");
  const dataset = field(stats, "dataset");
  let rows = 0;
  if (dataset !== undefined) rows = numberAt(required(objectAt(dataset, root.key("dataset")), "item_count", root.key("dataset")), root.key("dataset").key("item_count"), { min: 0, integer: true });
  for (const name of features) rows = Math.max(rows, profiles[name].count + profiles[name].missing);
  return { features, profiles, inferredTypes: types, rows, warnings };
}

/** Model Monitor's type of a profile's feature (numbers that are all whole → Integral). */
export function inferredTypeOf(profile: FeatureProfile): InferredType {
  if (profile.type === "categorical") return profile.count === 0 ? "Unknown" : "String";
  if (profile.count === 0) return "Unknown";
  return profile.sketch.values.every((v) => Number.isInteger(v)) ? "Integral" : "Fractional";
}

function equalWidthBuckets(p: NumericFeatureProfile): { lower_bound: number; upper_bound: number; count: number }[] {
  if (p.min === null || p.max === null || p.sketch.values.length === 0) return [];
  const { min, max } = p;
  const width = (max - min) / 10;
  const edges = Array.from({ length: 9 }, (_, i) => min + width * (i + 1));
  const points = histogramSorted(Float64Array.from(p.sketch.values), width > 0 ? edges : []);
  const scale = p.count / p.sketch.values.length;
  if (width === 0) return [{ lower_bound: min, upper_bound: max, count: p.count }];
  return Array.from(points, (n, i) => ({ lower_bound: i === 0 ? min : edges[i - 1], upper_bound: i === 9 ? max : edges[i], count: Math.round(n * scale) }));
}

/** A statistics.json document for a stored profile (Model Monitor's schema, plus the `mlwatch` objects). */
export function statisticsFromProfile(profile: BaselineProfile, types?: Readonly<Record<string, InferredType>>): Record<string, unknown> {
  const features = profile.features
    .filter((name) => Object.hasOwn(profile.profiles, name))
    .map((name) => {
      const p = profile.profiles[name];
      const inferred = types && Object.hasOwn(types, name) ? types[name] : inferredTypeOf(p);
      const common = { num_present: p.count, num_missing: p.missing };
      if (p.type === "categorical") {
        const buckets = Object.entries(p.counts)
          .filter(([value]) => !(p.truncated && value === otherCategory))
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .map(([value, count]) => ({ value, count }));
        return { name, inferred_type: inferred === "Unknown" ? "Unknown" : "String", string_statistics: { common, distinct_count: p.distinct, distribution: { categorical: { buckets } } } };
      }
      const values = p.sketch.values;
      let sum = 0;
      for (const v of values) sum += v;
      const mean = values.length > 0 ? sum / values.length : 0;
      const { levels } = kllFromSketch(values, p.count);
      return {
        name,
        inferred_type: inferred,
        numerical_statistics: {
          common,
          mean,
          sum: mean * p.count,
          std_dev: p.std ?? (values.length > 0 ? populationStd(values) : 0),
          min: p.min ?? 0,
          max: p.max ?? 0,
          distribution: { kll: { buckets: equalWidthBuckets(p), sketch: { parameters: { c: KLL_DEFAULT_PARAMETERS.c, k: KLL_DEFAULT_PARAMETERS.k }, data: levels } } },
        },
        mlwatch: { rank_error: p.sketch.exact ? 0 : (p.sketch.rankError ?? 1 / Math.max(1, values.length)), psi: { edges: p.psi.edges, shares: p.psi.shares }, ...(p.quantiles ? { quantiles: p.quantiles } : {}), ...(p.distinct ? { distinct: p.distinct } : {}) },
      };
    });
  return { version: 0, dataset: { item_count: profile.rows }, features };
}
