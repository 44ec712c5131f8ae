/**
 * The distinct values of a sorted numerical sample and their counts, up to a limit: what makes a numerical
 * feature discrete (compared on value cells, cells.ts) and what a baseline profile keeps of it (samples.ts).
 * Its own module so that both can use it without importing each other.
 */

/** The most distinct values a baseline profile keeps counts of (the upper bound of `discreteValues`). */
export const MAX_DISCRETE_VALUES = 100;

/** Distinct values and their counts. */
export interface ValueCounts {
  readonly values: ArrayLike<number>;
  readonly counts: ArrayLike<number>;
}

/** The distinct values of a sorted sample with their counts, or undefined when there are more than `limit`. O(n). */
export function distinctSorted(sorted: ArrayLike<number>, limit: number): ValueCounts | undefined {
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (values.length > 0 && sorted[i] === values[values.length - 1]) counts[counts.length - 1]++;
    else {
      if (values.length === limit) return undefined;
      values.push(sorted[i]);
      counts.push(1);
    }
  }
  return { values: Float64Array.from(values), counts: Float64Array.from(counts) };
}
