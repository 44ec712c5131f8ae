/**
 * Cell-level pieces of the comparison: discrete numerical features as value cells, and the share-shift
 * test of one category's (or value's) share.
 *
 * Discrete numerical features (`discreteCells`): when the baseline has at most `limit` distinct values
 * (known exactly: every value is held, or the profile stored the full sample's value counts), the feature
 * is compared on its value counts — each baseline value is a cell, current values that are none of them
 * share one cell, {@link OTHER_VALUES} — so chi-square, PSI and Jensen–Shannon see the values as
 * categories (a binary feature is two cells, whatever its share of ones; decile bins would collapse).
 * The current side is counted exactly: from every value, or from a merged fan-out summary's counts on
 * the same baseline values (`binned.discrete`).
 *
 * Share shift (`shareShiftTest`): every cell whose share moves by at least `gate` (exact: counts against
 * counts, `shareChangeReaches`) is a candidate; each candidate's two-proportion test gives a p-value:
 * Fisher's exact test (`scipy.stats.fisher_exact`) unless every expected count of its 2 × 2 table is
 * ≥ {@link SHARE_SHIFT_FISHER_BELOW} (then Pearson chi-square = `chi2_contingency(correction=False)`): a
 * candidate is picked for its large move, i.e. from the tail, where the chi-square approximation of a cell
 * expecting a dozen rows is ~10× too small (a null simulation of 20 categories at n = 200 alarmed 10 %); and the feature's p-value is min(1, k · min p) over the candidates, k = every cell of
 * the feature (Bonferroni over all cells, so it is valid whichever cells became candidates); it then
 * joins the check's Benjamini–Hochberg family like every other test. The cell with the smallest p is named.
 * Cost: O(distinct values + n) for the cells, O(k) plus the candidates' tests for the share shift.
 */
import { shareChangeReaches } from "./exact.js";
import { fisherExact2x2 } from "../stats/fisher-exact.js";
import { twoProportionTest } from "../stats/two-proportion.js";
import type { CategoricalSample, NumericSample } from "./samples.js";
import { type ValueCounts, distinctSorted } from "./distinct-values.js";

export { MAX_DISCRETE_VALUES, type ValueCounts, distinctSorted } from "./distinct-values.js";

/** The cell of current values that are none of the baseline's values. */
export const OTHER_VALUES = "other values";
/** The baseline's full-sample value counts when known and at most `limit` values. */
export function baselineDistinct(sample: NumericSample, limit: number): ValueCounts | undefined {
  if (sample.distinct) return sample.distinct.values.length <= limit ? sample.distinct : undefined;
  return sample.sorted.length === sample.count ? distinctSorted(sample.sorted, limit) : undefined;
}

/** Counts of a sorted sample on the given ascending values, and of values that are none of them. O(n + k). */
export function countOnValues(sorted: ArrayLike<number>, values: ArrayLike<number>): { counts: Float64Array; other: number } {
  const counts = new Float64Array(values.length);
  let other = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    const x = sorted[i];
    while (j < values.length && values[j] < x) j++;
    if (j < values.length && values[j] === x) counts[j]++;
    else other++;
  }
  return { counts, other };
}


/** Values strictly below `x` in a sorted sample. */
export function countBelow(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function countAbove(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}

/** Same length and the same values (Object.is). */
export function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** The name of a value's cell ("0" for −0 too). */
export const valueCell = (x: number): string => String(x === 0 ? 0 : x);

/**
 * A discrete numerical pair as categorical samples over value cells, or undefined when the feature is not
 * discrete (more than `limit` baseline values, or counts that are not known exactly).
 */
export function discreteCells(
  baseline: NumericSample,
  current: NumericSample,
  limit: number,
): { baseline: CategoricalSample; current: CategoricalSample; values: number; newValues: number } | undefined {
  const base = baselineDistinct(baseline, limit);
  if (base === undefined) return undefined;
  const summary = current.binned?.discrete;
  let cur: { counts: ArrayLike<number>; other: number };
  if (summary && sameValues(summary.values, base.values)) cur = summary;
  else if (current.sorted.length === current.count) cur = countOnValues(current.sorted, base.values);
  else return undefined;
  const b: Record<string, number> = Object.create(null);
  const c: Record<string, number> = Object.create(null);
  for (let i = 0; i < base.values.length; i++) {
    const key = valueCell(base.values[i]);
    b[key] = base.counts[i];
    if (cur.counts[i] > 0) c[key] = cur.counts[i];
  }
  if (cur.other > 0) c[OTHER_VALUES] = cur.other;
  return {
    baseline: { counts: b, count: baseline.count, missing: baseline.missing },
    current: { counts: c, count: current.count, missing: current.missing },
    values: base.values.length,
    newValues: cur.other,
  };
}

/** Below this smallest expected count a share-shift cell is tested exactly (Fisher). */
export const SHARE_SHIFT_FISHER_BELOW = 1000;

function cellPValue(x1: number, n1: number, x2: number, n2: number): number {
  const n = n1 + n2;
  const events = x1 + x2;
  if (events === 0 || events === n) return 1;
  const minExpected = (Math.min(n1, n2) * Math.min(events, n - events)) / n;
  return minExpected < SHARE_SHIFT_FISHER_BELOW ? fisherExact2x2(x1, n1 - x1, x2, n2 - x2) : twoProportionTest(x1, n1, x2, n2).pValue;
}

/** The share-shift test of one feature. */
export interface ShareShift {
  /** The candidate cell with the smallest p-value. */
  readonly category: string;
  readonly baseline: number;
  readonly current: number;
  /** current − baseline share. */
  readonly change: number;
  /** min(1, cells · min p) over the candidate cells. */
  readonly pValue: number;
  adjustedPValue?: number;
  /** Cells whose share moved by at least the gate. */
  readonly candidates: number;
  /** Cells of the feature (the Bonferroni factor). */
  readonly cells: number;
}

/**
 * The share-shift test over aligned counts (undefined when no cell moved by `gate`). `skip` names a cell that
 * is never a candidate (a truncated baseline's pooled cell, whose baseline share is biased by the selection).
 */
export function shareShiftTest(
  categories: readonly string[],
  b: ArrayLike<number>,
  c: ArrayLike<number>,
  n1: number,
  n2: number,
  gate: number,
  skip?: string,
): ShareShift | undefined {
  let best = -1;
  let bestP = Infinity;
  let candidates = 0;
  for (let i = 0; i < categories.length; i++) {
    if (categories[i] === skip || !shareChangeReaches(b[i], n1, c[i], n2, gate)) continue;
    candidates++;
    const p = cellPValue(b[i], n1, c[i], n2);
    if (p < bestP) {
      bestP = p;
      best = i;
    }
  }
  if (best < 0) return undefined;
  const bs = b[best] / n1;
  const cs = c[best] / n2;
  return { category: categories[best], baseline: bs, current: cs, change: cs - bs, pValue: Math.min(1, bestP * categories.length), candidates, cells: categories.length };
}
