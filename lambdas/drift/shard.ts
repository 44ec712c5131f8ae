/**
 * Shard summaries of a fan-out check, without I/O: what one shard computes from its objects
 * (`summarizeShard`), how summaries merge (`mergeShardSummaries`, any order, any grouping), the feature
 * pairs the drift core decides from (`pairsFromSummary`, the same `buildDriftReport` as the single worker),
 * and the JSON a shard stores (`encodeShardSummary` / `decodeShardSummary`; doubles as base64 Float64Array).
 *
 * A shard runs the single worker's ingest (`loadS3` → `currentSamples`, truncated categories pooled the same
 * way) and keeps, per feature, the mergeable summary of the drift core (`core/drift/summary.ts`): exact bin,
 * category, out-of-range and missing counts, moments and a quantile sketch with a stated rank error.
 * The load's facts merge too: rows, objects, bytes, formats, non-numeric counts per feature, ignored
 * columns, skipped capture lines and the unexpected (schema-drift) features.
 */
import type { CheckUsage } from "../core/cost/check-cost.js";
import {
  type FeatureSample,
  type FeatureSummary,
  type NumericSample,
  SKETCH_DEFAULT_CAPACITY,
  isNumericSample,
  mergeFeatureSummaries,
  summarizeCategorical,
  summarizeNumeric,
  toCurrentSample,
  type FeaturePair,
} from "../core/drift/index.js";
import { UnprocessableError } from "../shared/errors.js";
import type { ReadFormat } from "../shared/readers/s3-source.js";
import type { LoadedData } from "./loaded-data.js";
import { baselineSamples, currentSamples, type BaselineProfile } from "./profile.js";

/** The format tag of a stored shard summary. */
export const shardSummaryFormat = "mlwatch.drift-shard.v1";

/** One shard's (or a merge's) summary of the current data. */
export interface ShardSummary {
  readonly rows: number;
  readonly objects: number;
  readonly bytes: number;
  readonly formats: ReadFormat[];
  /** Non-numeric values counted as missing, per numerical feature. */
  readonly invalid: Record<string, number>;
  /** Warnings other than the non-numeric counts (ignored columns, skipped lines), deduplicated, ≤ 20. */
  readonly notes: string[];
  readonly unexpectedFeatures: string[];
  /** Per baseline feature present in the data (null-prototype). */
  readonly features: Record<string, FeatureSummary>;
  /** Shards merged into this summary, and the deepest chain of re-compressions (for the stated ε). */
  readonly shards: number;
  readonly mergeLevels: number;
}

const invalidWarning = /: \d+ non-numeric value\(s\) in a numerical feature counted as missing$/;

/** The summary of one shard's loaded data against a baseline profile. */
export function summarizeShard(profile: BaselineProfile, data: LoadedData, options: { psiBins?: number; capacity?: number } = {}): ShardSummary {
  const bins = options.psiBins ?? profile.bounds.psiBins;
  const capacity = options.capacity ?? SKETCH_DEFAULT_CAPACITY;
  const base = baselineSamples(profile);
  const current = currentSamples(data.columns, profile);
  const features: Record<string, FeatureSummary> = Object.create(null);
  const invalid: Record<string, number> = Object.create(null);
  for (const [name, column] of data.columns) if (column.invalid > 0) invalid[name] = column.invalid;
  for (const [name, sample] of Object.entries(current) as [string, FeatureSample][]) {
    const b = base[name];
    features[name] = isNumericSample(sample) ? summarizeNumeric(b as NumericSample, sample, bins, capacity) : summarizeCategorical(sample);
  }
  return {
    rows: data.rows,
    objects: data.objects,
    bytes: data.bytes,
    formats: [...data.formats],
    invalid,
    notes: data.warnings.filter((w) => !invalidWarning.test(w)).slice(0, 20),
    unexpectedFeatures: [...(data.unexpectedFeatures ?? [])],
    features,
    shards: 1,
    mergeLevels: 0,
  };
}

/**
 * Merges shard summaries in one step (one re-compression of each sketch). For many shards merge in groups
 * (`mergeInGroups`): every level adds at most 1/(2K) to a sketch's rank error.
 * @throws {UnprocessableError} when there is nothing to merge.
 */
export function mergeShardSummaries(parts: readonly ShardSummary[], capacity: number = SKETCH_DEFAULT_CAPACITY): ShardSummary {
  if (parts.length === 0) throw new UnprocessableError("a fan-out check produced no shard summary");
  if (parts.length === 1) return parts[0];
  const byFeature = new Map<string, FeatureSummary[]>();
  const invalid: Record<string, number> = Object.create(null);
  const notes = new Set<string>();
  const unexpected = new Set<string>();
  const formats = new Set<ReadFormat>();
  let rows = 0;
  let objects = 0;
  let bytes = 0;
  let shards = 0;
  let levels = 0;
  for (const p of parts) {
    rows += p.rows;
    objects += p.objects;
    bytes += p.bytes;
    shards += p.shards;
    levels = Math.max(levels, p.mergeLevels);
    for (const f of p.formats) formats.add(f);
    for (const [name, n] of Object.entries(p.invalid)) invalid[name] = (Object.hasOwn(invalid, name) ? invalid[name] : 0) + n;
    for (const n of p.notes) if (notes.size < 20) notes.add(n);
    for (const u of p.unexpectedFeatures) unexpected.add(u);
    for (const [name, s] of Object.entries(p.features)) {
      const list = byFeature.get(name);
      if (list) list.push(s);
      else byFeature.set(name, [s]);
    }
  }
  const features: Record<string, FeatureSummary> = Object.create(null);
  for (const [name, list] of byFeature) features[name] = mergeFeatureSummaries(list, capacity);
  return { rows, objects, bytes, formats: [...formats], invalid, notes: [...notes], unexpectedFeatures: [...unexpected].sort(), features, shards, mergeLevels: levels + 1 };
}

/** Merges any number of summaries in groups of `fanIn` (a tree of ⌈log_fanIn(s)⌉ levels), bounding memory per merge. */
export function mergeInGroups(parts: readonly ShardSummary[], fanIn = 32, capacity: number = SKETCH_DEFAULT_CAPACITY): ShardSummary {
  let level = [...parts];
  while (level.length > 1) {
    const next: ShardSummary[] = [];
    for (let i = 0; i < level.length; i += fanIn) next.push(mergeShardSummaries(level.slice(i, i + fanIn), capacity));
    level = next;
  }
  return mergeShardSummaries(level, capacity);
}

/** The warnings of a merged summary, worded as the single worker words them. */
export function summaryWarnings(summary: ShardSummary): string[] {
  const out = [...summary.notes];
  for (const [name, n] of Object.entries(summary.invalid)) out.push(`${name}: ${n} non-numeric value(s) in a numerical feature counted as missing`);
  return out;
}

/** The baseline and current samples of every baseline feature, from a merged summary (cf. `pairsOf`). */
export function pairsFromSummary(profile: BaselineProfile, summary: ShardSummary): Record<string, FeaturePair> {
  if (summary.rows === 0) throw new UnprocessableError("the current data has no rows");
  const base = baselineSamples(profile);
  if (!profile.features.some((name) => Object.hasOwn(summary.features, name))) {
    throw new UnprocessableError(`the current data has none of the baseline's features (${profile.features.slice(0, 10).join(", ")}${profile.features.length > 10 ? ", …" : ""})`);
  }
  const pairs: Record<string, FeaturePair> = Object.create(null);
  for (const name of profile.features) {
    pairs[name] = { baseline: base[name], current: Object.hasOwn(summary.features, name) ? toCurrentSample(summary.features[name]) : undefined };
  }
  return pairs;
}

const f64 = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
function unf64(text: unknown): Float64Array {
  if (typeof text !== "string") throw new UnprocessableError("a stored shard summary is malformed");
  const bytes = Buffer.from(text, "base64");
  if (bytes.byteLength % 8 !== 0) throw new UnprocessableError("a stored shard summary is malformed");
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float64Array(copy.buffer);
}

/** The JSON text of a summary (Float64Arrays as base64, ±Infinity as strings). */
export function encodeShardSummary(summary: ShardSummary, usage?: CheckUsage): string {
  const features: Record<string, unknown> = Object.create(null);
  for (const [name, s] of Object.entries(summary.features)) {
    features[name] =
      s.type === "categorical"
        ? s
        : {
            ...s,
            moments: { ...s.moments, min: String(s.moments.min), max: String(s.moments.max) },
            bins: { edges: f64(s.bins.edges), counts: f64(s.bins.counts) },
            outOfRange: { ...s.outOfRange, min: String(s.outOfRange.min), max: String(s.outOfRange.max) },
            ...(s.discrete ? { discrete: { values: f64(s.discrete.values), counts: f64(s.discrete.counts), other: s.discrete.other } } : {}),
            sketch: { values: f64(s.sketch.values), count: s.sketch.count, rankError: s.sketch.rankError },
          };
  }
  return JSON.stringify({ format: shardSummaryFormat, ...summary, features, ...(usage ? { usage } : {}) });
}

/** What a stored shard summary says its shard used (zeros when it says nothing). */
export function decodeShardUsage(text: string): CheckUsage {
  const u = (JSON.parse(text) as { usage?: Partial<Record<keyof CheckUsage, unknown>> })?.usage ?? {};
  const n = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0);
  return { lambdaGbSeconds: n(u.lambdaGbSeconds), stepFunctionsTransitions: n(u.stepFunctionsTransitions), s3ReadRequests: n(u.s3ReadRequests), s3WriteRequests: n(u.s3WriteRequests) };
}

/**
 * Parses a stored summary.
 * @throws {UnprocessableError} when the text is not one.
 */
export function decodeShardSummary(text: string): ShardSummary {
  const parsed = JSON.parse(text) as Record<string, unknown> & { features?: Record<string, Record<string, unknown>> };
  if (parsed?.format !== shardSummaryFormat || typeof parsed.features !== "object" || parsed.features === null) {
    throw new UnprocessableError(`a stored shard summary is not a ${shardSummaryFormat} document`);
  }
  const features: Record<string, FeatureSummary> = Object.create(null);
  for (const [name, raw] of Object.entries(parsed.features)) {
    if (raw.type === "categorical") {
      const counts: Record<string, number> = Object.create(null);
      for (const [k, n] of Object.entries(raw.counts as Record<string, number>)) counts[k] = n;
      features[name] = { type: "categorical", count: raw.count as number, missing: raw.missing as number, counts };
      continue;
    }
    const m = raw.moments as Record<string, number | string>;
    const r = raw.outOfRange as Record<string, number | string>;
    const b = raw.bins as Record<string, string>;
    const k = raw.sketch as Record<string, unknown>;
    const d = raw.discrete as Record<string, unknown> | undefined;
    features[name] = {
      type: "numerical",
      count: raw.count as number,
      missing: raw.missing as number,
      moments: { count: m.count as number, mean: m.mean as number, m2: m.m2 as number, min: Number(m.min), max: Number(m.max) },
      bins: { edges: unf64(b.edges), counts: unf64(b.counts) },
      outOfRange: { min: Number(r.min), max: Number(r.max), below: r.below as number, above: r.above as number },
      ...(d ? { discrete: { values: unf64(d.values), counts: unf64(d.counts), other: d.other as number } } : {}),
      sketch: { values: unf64(k.values), count: k.count as number, rankError: k.rankError as number },
    };
  }
  const invalid: Record<string, number> = Object.create(null);
  for (const [k, n] of Object.entries((parsed.invalid ?? {}) as Record<string, number>)) invalid[k] = n;
  return {
    rows: parsed.rows as number,
    objects: parsed.objects as number,
    bytes: parsed.bytes as number,
    formats: parsed.formats as ReadFormat[],
    invalid,
    notes: parsed.notes as string[],
    unexpectedFeatures: parsed.unexpectedFeatures as string[],
    features,
    shards: parsed.shards as number,
    mergeLevels: parsed.mergeLevels as number,
  };
}
