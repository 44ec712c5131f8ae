/**
 * A mergeable quantile sketch with a stated rank error: a fixed-size equi-rank summary, re-compressed on merge.
 *
 * A sketch of n values holds `values` (ascending), each standing for n / values.length of them, and a rank
 * error ε: for every x, the share of sketch values ≤ x is within ε of the share of the n values ≤ x
 * (the empirical CDFs differ by at most ε everywhere). An exact sketch (every value, ε = 0) is kept while
 * n ≤ capacity K.
 *
 * Compression of a weighted sorted list (total weight n) to K points keeps, for k = 0…K−1, the point that
 * covers the rank r_k = (k + ½)·n/K (its cumulative weight before it is < r_k ≤ its cumulative weight after
 * it). The number of kept points ≤ x is #{k : r_k ≤ C(x)} = round(C(x)·K/n), so the compressed CDF differs
 * from the input's by at most 1/(2K): ε_out ≤ ε_in + 1/(2K).
 * Merging sketches i = 1…s (one k-way merge of their points, weight nᵢ/|valuesᵢ| each) has, before
 * compression, error Σ εᵢ·nᵢ / Σ nᵢ ≤ maxᵢ εᵢ (errors of disjoint parts add in counts). Hence:
 * - a shard sketch has ε ≤ 1/(2K);
 * - a merge of any number of sketches in one step adds 1/(2K): ε ≤ max εᵢ + 1/(2K);
 * - after m levels of merges (a tree of merges, each level one re-compression) ε ≤ (m + 1)/(2K).
 * The recorded `rankError` is the bound actually accumulated (weighted mean of the inputs' plus 1/(2K) per
 * compression), never an estimate. A KS statistic computed from two sketches is within ±(ε₁ + ε₂) of the
 * full-data one; the Wasserstein-1 distance within (ε₁ + ε₂)·(max − min).
 * Cost: O(n log n) to sketch a shard (one sort), O(Σ|valuesᵢ|·s) to merge s sketches, K·8 bytes each.
 */
import { ValidationError } from "../errors.js";

/** Points a sketch keeps. 8,192 → ε ≤ 1/16,384 per compression, 64 KB of doubles. */
export const SKETCH_DEFAULT_CAPACITY = 8192;

export interface QuantileSketch {
  /** Sketch points, ascending; each stands for count / values.length values. */
  readonly values: Float64Array;
  /** Values the sketch summarises. */
  readonly count: number;
  /** Rank error ε (0 when `values` holds every value). */
  readonly rankError: number;
}

function checkCapacity(capacity: number): void {
  if (!(Number.isInteger(capacity) && capacity >= 2)) throw new ValidationError("a quantile sketch requires an integer capacity ≥ 2");
}

/**
 * Compresses weighted points (ascending values, positive weights) to `capacity` equi-rank points.
 * O(points + capacity).
 */
function compress(values: Float64Array, weights: Float64Array | number, total: number, capacity: number): Float64Array {
  const out = new Float64Array(capacity);
  let i = 0;
  let after = typeof weights === "number" ? weights : weights[0];
  for (let k = 0; k < capacity; k++) {
    const target = ((k + 0.5) * total) / capacity;
    while (after < target && i < values.length - 1) {
      i++;
      after += typeof weights === "number" ? weights : weights[i];
    }
    out[k] = values[i];
  }
  return out;
}

/**
 * The sketch of a sorted sample: every value when it has ≤ capacity, else `capacity` equi-rank points with ε = 1/(2·capacity).
 * @throws {ValidationError} when capacity is not an integer ≥ 2.
 * @example
 * sketchSorted(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 4); // → { values: [1, 3, 5, 7] ~, count: 8, rankError: 0.125 }
 */
export function sketchSorted(sorted: Float64Array, capacity: number = SKETCH_DEFAULT_CAPACITY): QuantileSketch {
  checkCapacity(capacity);
  const n = sorted.length;
  if (n <= capacity) return { values: sorted, count: n, rankError: 0 };
  return { values: compress(sorted, 1, n, capacity), count: n, rankError: 1 / (2 * capacity) };
}

/**
 * Merges sketches in one step (k-way merge of their points, then one compression unless every input is
 * exact and the union fits). ε = Σ εᵢ·nᵢ / n + 1/(2·capacity) when compressed.
 * @throws {ValidationError} when capacity is not an integer ≥ 2.
 */
export function mergeSketches(sketches: readonly QuantileSketch[], capacity: number = SKETCH_DEFAULT_CAPACITY): QuantileSketch {
  checkCapacity(capacity);
  const parts = sketches.filter((s) => s.count > 0 && s.values.length > 0);
  if (parts.length === 0) return { values: new Float64Array(0), count: 0, rankError: 0 };
  if (parts.length === 1 && parts[0].values.length <= capacity) return parts[0];
  let points = 0;
  let total = 0;
  let weightedError = 0;
  let exact = true;
  for (const s of parts) {
    points += s.values.length;
    total += s.count;
    weightedError += s.rankError * s.count;
    if (s.rankError > 0 || s.values.length !== s.count) exact = false;
  }
  const values = new Float64Array(points);
  const weights = new Float64Array(points);
  const heads = new Int32Array(parts.length);
  const unit = parts.map((s) => s.count / s.values.length);
  for (let j = 0; j < points; j++) {
    // Linear scan over the heads: merges take few inputs at a time (the fan-in), so this beats a heap.
    let best = -1;
    let bestValue = Infinity;
    for (let p = 0; p < parts.length; p++) {
      const h = heads[p];
      if (h < parts[p].values.length && (best < 0 || parts[p].values[h] < bestValue)) {
        best = p;
        bestValue = parts[p].values[h];
      }
    }
    values[j] = bestValue;
    weights[j] = unit[best];
    heads[best]++;
  }
  if (exact && points <= capacity) return { values, count: total, rankError: 0 };
  return { values: compress(values, weights, total, capacity), count: total, rankError: weightedError / total + 1 / (2 * capacity) };
}
