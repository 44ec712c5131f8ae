/**
 * KLL sketches as Model Monitor's statistics.json writes them (`distribution.kll.sketch`): `data` is the list
 * of compactor levels, level h holding items that each stand for 2^h values, with the parameters `k` (the
 * top level's capacity) and `c` (the capacity decay per level below it), as in Karnin, Lang & Liberty,
 * "Optimal Quantile Approximation in Streams" (FOCS 2016): the capacity of level h of a sketch with H levels
 * is max(2, ⌈k·c^(H−1−h)⌉).
 *
 * `kllToSketch` turns the levels into our equi-rank quantile sketch (`sketch.ts`) with a **deterministic**
 * rank error bound, so the conservative KS rule (`compare.ts`: the p-value at max(0, D − ε)) stays valid:
 * - a compaction at level h moves the rank of any x by at most 2^h (one item of each compacted pair is
 *   dropped, the other doubled); a compaction consumes a full buffer of ≥ cap_h items of weight 2^h, and
 *   the weight that ever entered level h is ≤ n, so level h compacted at most n / (2^h·cap_h) times and
 *   added at most n / cap_h to any rank. Over the levels below the top, ε_kll ≤ Σ_{h<H−1} 1/cap_h.
 *   Capacities only shrink as the sketch grows (c < 1), so today's capacities bound the past ones from below.
 * - the level weights may not add up to the stated count (odd buffers); the difference |W − n| / n is added.
 * - re-compressing more than `capacity` weighted points to `capacity` equi-rank points adds 1/(2·capacity).
 * A sketch with a single level whose items number the stated count is the data itself: ε = 0, exact.
 * The bound is loose for tall sketches (the randomness of real compactions cancels most of it); it is the
 * price of never overstating a p-value. `kllFromSketch` goes the other way for export: every point on one
 * level, so a re-import reads back the same points and the same empirical CDF.
 * Cost: O(points · levels) to merge the levels, O(capacity) to compress.
 */
import { ValidationError } from "../errors.js";
import { type QuantileSketch, mergeSketches } from "./sketch.js";

/** The parameters Model Monitor writes (`sketch.parameters`). */
export interface KllParameters {
  readonly k: number;
  readonly c: number;
}

/** The parameters Model Monitor's analyzer uses by default (k = 2048, c = 0.64). */
export const KLL_DEFAULT_PARAMETERS: KllParameters = { k: 2048, c: 0.64 };

/** A quantile sketch read from KLL levels, with what it cost. */
export interface KllReading extends QuantileSketch {
  /** True when the levels hold every value (one level, as many items as values). */
  readonly exact: boolean;
  /** Each part of `rankError`: the compactions' bound, the weight mismatch, the re-compression. */
  readonly errorParts: { readonly compactions: number; readonly weightMismatch: number; readonly compression: number };
}

/** The deterministic bound on the rank error of KLL compactions (see the module comment). */
export function kllCompactionError(levels: number, parameters: KllParameters): number {
  if (levels <= 1) return 0;
  let error = 0;
  for (let h = 0; h < levels - 1; h++) error += 1 / Math.max(2, Math.ceil(parameters.k * parameters.c ** (levels - 1 - h)));
  return Math.min(1, error);
}

/**
 * The equi-rank sketch (≤ `capacity` points) of KLL levels summarising `count` values.
 * @throws {ValidationError} when a level is not sorted numbers or no level holds an item.
 * @example
 * kllToSketch([[1, 2, 3]], 3, { k: 2048, c: 0.64 }, 10); // → { values: [1, 2, 3], count: 3, rankError: 0, exact: true }
 */
export function kllToSketch(levels: readonly (readonly number[])[], count: number, parameters: KllParameters, capacity: number): KllReading {
  const parts: QuantileSketch[] = [];
  let weight = 0;
  levels.forEach((level, h) => {
    if (level.length === 0) return;
    const values = Float64Array.from(level);
    // Model Monitor writes compactor buffers unsorted; the weights are per level, so sorting loses nothing.
    values.sort();
    parts.push({ values, count: values.length * 2 ** h, rankError: 0 });
    weight += values.length * 2 ** h;
  });
  if (parts.length === 0) throw new ValidationError("a KLL sketch requires at least one item");
  const top = levels.length - [...levels].reverse().findIndex((l) => l.length > 0);
  const exact = top === 1 && levels[0].length === count;
  const compactions = exact ? 0 : kllCompactionError(top, parameters);
  const weightMismatch = count > 0 ? Math.abs(weight - count) / Math.max(count, weight) : 0;
  const merged = parts.length === 1 && parts[0].values.length <= capacity ? parts[0] : mergeSketches(parts, capacity);
  const onePoint = merged.values.length === parts.reduce((s, p) => s + p.values.length, 0);
  const compression = onePoint ? 0 : merged.rankError;
  return {
    values: merged.values,
    count,
    rankError: exact ? 0 : Math.min(1, compactions + weightMismatch + compression),
    exact,
    errorParts: { compactions, weightMismatch, compression },
  };
}

/**
 * KLL levels holding a sketch's points, all on the level whose weight is closest to count / points, so
 * any reader that weighs items by 2^level reads back the same empirical CDF. Exact data stays on level 0.
 */
export function kllFromSketch(values: ArrayLike<number>, count: number): { levels: number[][]; level: number } {
  const points = values.length;
  if (points === 0) return { levels: [[]], level: 0 };
  const level = points >= count ? 0 : Math.max(0, Math.round(Math.log2(count / points)));
  const levels: number[][] = Array.from({ length: level + 1 }, () => []);
  levels[level] = Array.from(values);
  return { levels, level };
}
