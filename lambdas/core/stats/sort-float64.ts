const SMALL = 512;
/** Runs of equal high words longer than this are sorted with the typed-array sort instead of insertion. */
const LONG_RUN = 32;

/**
 * Ascending sort of a Float64Array without NaN, in place — the one sort of every drift column.
 *
 * Distribution (bucket) sort on the values: one pass finds min and max, one counts each value's bucket
 * ⌊(v − min)·B/(max − min)⌋ (about one bucket per two values, at most 2,048 so the counts stay in the
 * fastest cache; the map is monotone, so bucket order is value order), one scatters into a scratch array,
 * and each bucket is then sorted on its own: insertion sort when small, the same bucket sort recursively
 * when large (a skewed column's dense part gets its own min and max, so heavy tails cost a level more, not
 * a quadratic bucket). A bucket whose values are all equal is done. A million values of a smooth density
 * thus take two levels of linear passes; a range that is not finite (±Infinity, or a span that overflows)
 * or recursion past six levels falls back to an LSD radix sort on the IEEE-754 bit patterns (below).
 * Same order as `Float64Array.prototype.sort`, −0 before +0.
 * Cost: O(n) expected for densities without spikes at the bucket scale, O(n) extra memory (the scratch
 * array of {@link sortNumbersInPlace}, reused while alive); small arrays use the built-in sort.
 *
 * @throws never; NaN values must be removed first (they would sort as large keys).
 * @example
 * sortFloat64(Float64Array.of(3, -1, 2)); // → Float64Array [-1, 2, 3]
 */
export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < SMALL) return values.sort();
  bucketSort(values, scratchFor(n), 0, n, 0);
  orderSignedZeros(values);
  return values;
}

const INSERTION = 24;
const MAX_DEPTH = 6;

/**
 * At most this many buckets a pass: their counts (8 KB) stay in the fastest cache while the values stream
 * past, and a million values take two passes (2,048 buckets of ~500, then ~250 buckets of ~2).
 */
const MAX_BUCKETS = 2048;

/** Buckets of a bucket pass over n values: about one per two values, at most {@link MAX_BUCKETS}. */
const bucketsFor = (n: number): number => Math.max(16, Math.min(MAX_BUCKETS, n >>> 1));

/**
 * The values of `values` that are not NaN, sorted ascending into a new array ({@link sortFloat64}'s
 * order); `values` is left as it was. A copy sorted by {@link sortNumbersInPlace}.
 *
 * @example
 * sortedNumbers(Float64Array.of(3, NaN, -1, 2)); // → Float64Array [-1, 2, 3]
 */
export function sortedNumbers(values: Float64Array): Float64Array {
  const out = Float64Array.from(values);
  const count = sortNumbersInPlace(out);
  return count === out.length ? out : out.slice(0, count);
}

/**
 * {@link sortedNumbers} without a new array: sorts `values` in place, its non-NaN values ascending first
 * and its NaN last, and returns how many are not NaN (so `values.subarray(0, count)` is the sorted sample).
 * The array keeps its values, only their order changes, so sorting it again gives the same result.
 *
 * The first bucket pass scatters into a scratch array, and the second scatters each bucket back into
 * `values` by sub-buckets (see gatherBuckets), so the column is never copied whole. The scratch array is
 * reused from one call to the next while it is alive (held by a `WeakRef`, so never kept alive here): sorting a table's columns one after another thus
 * allocates one scratch array, not one sorted copy per column. On a loaded machine the page faults of a
 * fresh array of a million doubles cost more than its sort.
 *
 * @example
 * const v = Float64Array.of(3, NaN, -1, 2);
 * sortNumbersInPlace(v); // → 3, with v = [-1, 2, 3, NaN]
 */
export function sortNumbersInPlace(values: Float64Array): number {
  const n = values.length;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) continue;
    values[count++] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count < n) values.fill(NaN, count);
  const span = max - min;
  if (count < SMALL || !(span > 0) || !Number.isFinite(span)) {
    sortFloat64(values.subarray(0, count));
    return count;
  }
  const buckets = bucketsFor(count);
  const scale = (buckets - 1) / span;
  const counts = new Uint32Array(buckets + 1);
  for (let i = 0; i < count; i++) counts[((values[i] - min) * scale) | 0]++;
  let sum = 0;
  for (let b = 0; b < buckets; b++) {
    const c = counts[b];
    counts[b] = sum;
    sum += c;
  }
  const scratch = scratchFor(count);
  for (let i = 0; i < count; i++) {
    const v = values[i];
    scratch[counts[((v - min) * scale) | 0]++] = v;
  }
  gatherBuckets(values, scratch, counts, buckets);
  orderSignedZeros(values.subarray(0, count));
  return count;
}

/** A first-pass bucket larger than this is copied back and sorted by {@link bucketSort} on its own. */
const DENSE = 8 * MAX_BUCKETS;
const subCounts = new Uint32Array(MAX_BUCKETS + 1);

/**
 * The second pass of {@link sortNumbersInPlace}: the first pass scattered the values into `scratch`
 * (counts[b] = the end of bucket b); each bucket is scattered back into `values` at the same place by its
 * own sub-buckets, then put in order by one insertion pass over the bucket (a value is then at most a
 * sub-bucket away from its place). No copy of the whole column back and forth: the values cross once each
 * way. A sub-bucket larger than {@link INSERTION} is sorted by {@link bucketSort} first, with the bucket's
 * part of `scratch` (read already) as its room, so the insertion pass stays linear whatever the density;
 * a dense bucket goes to {@link bucketSort} whole.
 */
function gatherBuckets(values: Float64Array, scratch: Float64Array, counts: Uint32Array, buckets: number): void {
  let start = 0;
  for (let b = 0; b < buckets; b++) {
    const end = counts[b];
    const size = end - start;
    if (size <= INSERTION || size > DENSE) {
      for (let i = start; i < end; i++) values[i] = scratch[i];
      if (size > DENSE) bucketSort(values, scratch.subarray(start, end), start, end, 1);
      else if (size > 1) insertionSort(values, start, end);
      start = end;
      continue;
    }
    let lo = scratch[start];
    let hi = lo;
    for (let i = start + 1; i < end; i++) {
      const v = scratch[i];
      if (v < lo) lo = v;
      else if (v > hi) hi = v;
    }
    if (lo === hi) {
      // Equal values (−0 and +0 among them keep their signs: orderSignedZeros orders them after).
      for (let i = start; i < end; i++) values[i] = scratch[i];
      start = end;
      continue;
    }
    // One sub-bucket per value (two per value was measured no faster): the insertion pass then moves a
    // value past one neighbour or none, most of the time.
    const sub = Math.min(MAX_BUCKETS, size);
    const scale = (sub - 1) / (hi - lo);
    subCounts.fill(0, 0, sub);
    for (let i = start; i < end; i++) subCounts[((scratch[i] - lo) * scale) | 0]++;
    let sum = start;
    for (let k = 0; k < sub; k++) {
      const c = subCounts[k];
      subCounts[k] = sum;
      sum += c;
    }
    for (let i = start; i < end; i++) {
      const v = scratch[i];
      values[subCounts[((v - lo) * scale) | 0]++] = v;
    }
    let from = start;
    for (let k = 0; k < sub; k++) {
      const to = subCounts[k];
      if (to - from > INSERTION) bucketSort(values, scratch.subarray(start, end), from, to, 2);
      from = to;
    }
    insertionSort(values, start, end);
    start = end;
  }
}

let scratchRef: WeakRef<Float64Array> | undefined;

/** Room for n values: the last scratch array handed out when it is still alive and large enough. */
function scratchFor(n: number): Float64Array {
  const cached = scratchRef?.deref();
  if (cached !== undefined && cached.length >= n) return cached;
  const fresh = new Float64Array(n);
  scratchRef = new WeakRef(fresh);
  return fresh;
}

/** Sorts values[from, to) using scratch[0, to − from) as room. */
function bucketSort(values: Float64Array, scratch: Float64Array, from: number, to: number, depth: number): void {
  const n = to - from;
  if (n <= INSERTION) return insertionSort(values, from, to);
  let min = values[from];
  let max = min;
  for (let i = from + 1; i < to; i++) {
    const v = values[i];
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  if (min === max) return;
  const span = max - min;
  if (!Number.isFinite(span) || depth >= MAX_DEPTH) {
    radixSortFloat64(values.subarray(from, to));
    return;
  }
  const buckets = bucketsFor(n);
  // Slightly under B so that v = max lands in the last bucket without a clamp.
  const scale = (buckets - 1) / span;
  const counts = new Uint32Array(buckets + 1);
  for (let i = from; i < to; i++) counts[((values[i] - min) * scale) | 0]++;
  let sum = from;
  for (let b = 0; b < buckets; b++) {
    const c = counts[b];
    counts[b] = sum;
    sum += c;
  }
  for (let i = from; i < to; i++) {
    const v = values[i];
    scratch[counts[((v - min) * scale) | 0]++ - from] = v;
  }
  values.set(scratch.subarray(0, n), from);
  sortBuckets(values, counts, buckets, from, scratch, depth + 1);
}

/** After a scatter, counts[b] holds the end of bucket b (= the start of b + 1): sorts each bucket. */
function sortBuckets(values: Float64Array, counts: Uint32Array, buckets: number, from: number, scratch: Float64Array, depth: number): void {
  let start = from;
  for (let b = 0; b < buckets; b++) {
    const end = counts[b];
    const size = end - start;
    if (size > INSERTION) bucketSort(values, scratch, start, end, depth);
    else if (size > 1) insertionSort(values, start, end);
    start = end;
  }
}

function insertionSort(values: Float64Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const v = values[i];
    let j = i - 1;
    while (j >= from && values[j] > v) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = v;
  }
}

/** −0 and +0 compare equal: put the run of zeros in the built-in sort's order, −0 first. */
function orderSignedZeros(values: Float64Array): void {
  let i = 0;
  const n = values.length;
  // Binary search for the first value ≥ 0 (−0 included).
  let hi = n;
  while (i < hi) {
    const mid = (i + hi) >>> 1;
    if (values[mid] < 0) i = mid + 1;
    else hi = mid;
  }
  let end = i;
  let negative = 0;
  while (end < n && values[end] === 0) {
    if (Object.is(values[end], -0)) negative++;
    end++;
  }
  if (negative === 0) return;
  values.fill(-0, i, i + negative);
  values.fill(0, i + negative, end);
}


/** LSD radix sort of the bit patterns: the fallback of {@link sortFloat64} (see the module comment). */
function radixSortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < SMALL) return values.sort();
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  let minHi = 0xffffffff;
  let maxHi = 0;
  for (let i = 0; i < n; i++) {
    let h = words[2 * i + 1];
    const l = words[2 * i];
    if (h & 0x80000000) {
      h = ~h >>> 0;
      lo[i] = ~l >>> 0;
    } else {
      h = (h | 0x80000000) >>> 0;
      lo[i] = l;
    }
    hi[i] = h;
    if (h < minHi) minHi = h;
    if (h > maxHi) maxHi = h;
  }
  const span = maxHi - minHi;
  const bits = span === 0 ? 0 : 32 - Math.clz32(span);
  const passes = Math.ceil(bits / 11);
  if (passes > 0) {
    const width = Math.ceil(bits / passes);
    const mask = width >= 32 ? 0xffffffff : (1 << width) - 1;
    const size = mask + 1;
    const counts = new Uint32Array(passes * size);
    for (let i = 0; i < n; i++) {
      const k = hi[i] - minHi;
      for (let p = 0; p < passes; p++) counts[p * size + ((k >>> (p * width)) & mask)]++;
    }
    let lo2 = new Uint32Array(n);
    let hi2 = new Uint32Array(n);
    for (let p = 0; p < passes; p++) {
      const base = p * size;
      const shift = p * width;
      let sum = 0;
      for (let d = 0; d < size; d++) {
        const c = counts[base + d];
        counts[base + d] = sum;
        sum += c;
      }
      for (let i = 0; i < n; i++) {
        const h = hi[i];
        const to = counts[base + (((h - minHi) >>> shift) & mask)]++;
        hi2[to] = h;
        lo2[to] = lo[i];
      }
      [lo, lo2] = [lo2, lo];
      [hi, hi2] = [hi2, hi];
    }
  }
  orderRunsByLow(hi, lo, n);
  for (let i = 0; i < n; i++) {
    const h = hi[i];
    if (h & 0x80000000) {
      words[2 * i + 1] = h & 0x7fffffff;
      words[2 * i] = lo[i];
    } else {
      words[2 * i + 1] = ~h >>> 0;
      words[2 * i] = ~lo[i] >>> 0;
    }
  }
  return values;
}

/** Within each run of equal `hi`, orders `lo` ascending (unsigned). */
function orderRunsByLow(hi: Uint32Array, lo: Uint32Array, n: number): void {
  let start = 0;
  while (start < n) {
    const h = hi[start];
    let end = start + 1;
    while (end < n && hi[end] === h) end++;
    const length = end - start;
    if (length > LONG_RUN) {
      // Unsigned 32-bit values are exact doubles: the typed-array sort orders them numerically.
      const run = Float64Array.from(lo.subarray(start, end)).sort();
      for (let k = 0; k < length; k++) lo[start + k] = run[k];
    } else if (length > 1) {
      for (let i = start + 1; i < end; i++) {
        const v = lo[i];
        let j = i - 1;
        while (j >= start && lo[j] > v) {
          lo[j + 1] = lo[j];
          j--;
        }
        lo[j + 1] = v;
      }
    }
    start = end;
  }
}
