/**
 * Prediction latency: one value in milliseconds per row (`latenciesMs`).
 *
 * A batch's p50 and p95 are exact: numpy's default quantile (`np.quantile(a, q)`, linear interpolation,
 * `quantileSorted`). A window's are read from a mergeable summary stored with each batch: a
 * logarithmic-bucket sketch (DDSketch, Masson et al. 2019) with relative accuracy α = 1%: a value x > 0
 * falls in bucket i = ⌈log_γ x⌉ with γ = (1 + α)/(1 − α), and bucket i stands for 2γⁱ/(γ + 1), within α of
 * every value in it. Sketches add bucket by bucket, so a window's percentiles are those of all its rows to
 * within 1% of the order statistic the rank names (the rank is q·(n − 1), rounded down, as numpy's
 * 'lower' method; the linear interpolation between neighbours is not reproduced). Values below 1 µs count
 * as zero. Bucket count grows with log(max/min): under 1,400 buckets from 1 µs to 1 hour.
 * Cost: O(n log n) per batch (one sort), O(b) per combination of b buckets.
 */
import { ValidationError } from "../errors.js";
import { sortFloat64 } from "../stats/sort-float64.js";
import { quantileSorted } from "../stats/quantile.js";

/** Relative accuracy of window percentiles. */
export const sketchAccuracy = 0.01;
const gamma = (1 + sketchAccuracy) / (1 - sketchAccuracy);
const logGamma = Math.log(gamma);

/** Largest latency accepted: one hour. */
export const maxLatencyMs = 3_600_000;
/** Smallest latency told apart from zero: 1 µs. */
const minTrackedMs = 1e-3;

/** The mergeable latency summary stored with a batch. */
export interface LatencySketch {
  readonly count: number;
  readonly zeroCount: number;
  /** [bucket index, rows] pairs, by index. */
  readonly buckets: ReadonlyArray<readonly [number, number]>;
  readonly min: number;
  readonly max: number;
  readonly sum: number;
}

/** Latency of a batch or a window, as the API answers it. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly meanMs: number;
  readonly maxMs: number;
}

/**
 * Checks a `latenciesMs` column and converts it.
 * @throws {ValidationError} when its length differs from the batch's or a value is not a finite number in [0, 1 hour]
 */
export function checkLatencies(values: readonly unknown[], rows: number, field = "latenciesMs"): Float64Array {
  if (values.length !== rows) throw new ValidationError(`${field} has ${values.length} rows but the predictions have ${rows}`);
  const out = new Float64Array(rows);
  const problems: string[] = [];
  for (let i = 0; i < rows; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > maxLatencyMs) {
      if (problems.length < 5) problems.push(`${field}[${i}] is not a latency in milliseconds (a finite number from 0 to ${maxLatencyMs})`);
    } else out[i] = v;
  }
  if (problems.length > 0) throw new ValidationError(problems.join("; "));
  return out;
}

/** Exact p50, p95, mean and maximum of a batch's latencies, and its sketch. */
export function latencyOfBatch(latencies: Float64Array): { summary: LatencySummary; sketch: LatencySketch } {
  if (latencies.length === 0) throw new ValidationError("latencyOfBatch requires at least one latency");
  const sorted = sortFloat64(latencies);
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i];
  const summary: LatencySummary = {
    count: sorted.length,
    p50: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    meanMs: sum / sorted.length,
    maxMs: sorted[sorted.length - 1],
  };
  return { summary, sketch: sketchOf(sorted, sum) };
}

function sketchOf(sorted: Float64Array, sum: number): LatencySketch {
  const buckets = new Map<number, number>();
  let zeroCount = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i];
    if (v < minTrackedMs) zeroCount++;
    else {
      const index = Math.ceil(Math.log(v) / logGamma);
      buckets.set(index, (buckets.get(index) ?? 0) + 1);
    }
  }
  return { count: sorted.length, zeroCount, buckets: [...buckets].sort((a, b) => a[0] - b[0]), min: sorted[0], max: sorted[sorted.length - 1], sum };
}

/** Adds sketches of several batches. @throws {ValidationError} when the list is empty */
export function combineLatency(list: readonly LatencySketch[]): LatencySketch {
  if (list.length === 0) throw new ValidationError("combineLatency requires at least one sketch");
  const buckets = new Map<number, number>();
  let count = 0;
  let zeroCount = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const s of list) {
    count += s.count;
    zeroCount += s.zeroCount;
    sum += s.sum;
    min = Math.min(min, s.min);
    max = Math.max(max, s.max);
    for (const [i, c] of s.buckets) buckets.set(i, (buckets.get(i) ?? 0) + c);
  }
  return { count, zeroCount, buckets: [...buckets].sort((a, b) => a[0] - b[0]), min, max, sum };
}

/** The q-quantile of a sketch (within {@link sketchAccuracy} of the order statistic at rank ⌊q·(n − 1)⌋). */
export function sketchQuantile(sketch: LatencySketch, q: number): number {
  if (sketch.count === 0) throw new ValidationError("sketchQuantile requires a non-empty sketch");
  if (!(q >= 0 && q <= 1)) throw new ValidationError("sketchQuantile requires q in [0, 1]");
  const rank = Math.floor(q * (sketch.count - 1));
  if (rank < sketch.zeroCount) return Math.max(0, sketch.min);
  let seen = sketch.zeroCount;
  for (const [index, c] of sketch.buckets) {
    seen += c;
    if (seen > rank) {
      const estimate = (2 * gamma ** index) / (gamma + 1);
      return Math.min(sketch.max, Math.max(sketch.min, estimate));
    }
  }
  return sketch.max;
}

/** p50, p95, mean and maximum of a window, from its combined sketch. */
export function latencyFromSketch(sketch: LatencySketch): LatencySummary {
  return { count: sketch.count, p50: sketchQuantile(sketch, 0.5), p95: sketchQuantile(sketch, 0.95), meanMs: sketch.sum / sketch.count, maxMs: sketch.max };
}
