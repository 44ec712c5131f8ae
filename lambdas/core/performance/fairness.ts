/**
 * Group fairness of a binary classifier from live predictions: one protected-attribute value per row
 * (`groups`), the prediction and the actual label of that row.
 *
 * Per group g: selection rate SR(g) = rows predicted positive / rows (positive = label 1, `true`), and —
 * over the rows whose actual is positive — the true-positive rate TPR(g) = predicted positive / actual
 * positive. Disparate impact = min SR / max SR over the groups (the "four-fifths rule" reads it as fair
 * within [0.8, 1.25]); the TPR gap (equal-opportunity difference) = max TPR − min TPR over the groups that
 * have actual positives. Both need two groups; disparate impact is null when no group has a positive
 * prediction (0/0), the TPR gap when fewer than two groups have actual positives.
 *
 * Per-group counts are sufficient statistics: they add across batches, so a window's fairness is exact.
 * Reference: the selection rates, disparate impact and TPR gap agree with numpy's
 * `(pred[g == k] == 1).mean()` and `(pred[(g == k) & (y == 1)] == 1).mean()` (test/fixtures/generate_reference.py).
 * Cost: O(n) per batch, O(k log k) per combination for k groups.
 */
import { ValidationError } from "../errors.js";

/** Most distinct groups in one batch. */
export const maxGroups = 100;

/** Counts of one group. */
export interface GroupCounts {
  readonly group: string;
  readonly n: number;
  readonly predictedPositive: number;
  readonly actualPositive: number;
  readonly truePositive: number;
}

/** Sufficient statistics of fairness: per-group counts, ordered by group. Stored with each batch. */
export interface FairnessStats {
  readonly groups: readonly GroupCounts[];
}

/** Fairness of a batch or a window, as the API answers it. */
export interface Fairness {
  /** group → selection rate (a null-prototype object: group values are user data). */
  readonly selectionRates: Record<string, number>;
  /** min selection rate / max selection rate; null with fewer than two groups or no positive prediction. */
  readonly disparateImpact: number | null;
  /** group → true-positive rate; null for a group without actual positives. */
  readonly truePositiveRates: Record<string, number | null>;
  /** max TPR − min TPR over groups with actual positives; null when fewer than two have them. */
  readonly tprGap: number | null;
  /** group → rows. */
  readonly counts: Record<string, number>;
}

const isPositive = (label: string | number): boolean => String(label) === "1";

/** A group value as compared: strings (1-256 characters), integers and booleans (as 1/0), as text. */
export function toGroup(v: unknown): string | undefined {
  if (typeof v === "boolean") return v ? "1" : "0";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : undefined;
  if (typeof v === "string") return v.length >= 1 && v.length <= 256 ? v : undefined;
  return undefined;
}

/** The JSON type of a group value, as the caller sent it. */
const groupType = (v: unknown): string => (typeof v === "boolean" ? "boolean" : typeof v === "number" ? "number" : "string");

/**
 * A warning when values of different types were counted as one group: groups are compared as text, so
 * `1`, `"1"` and `true` are the one group "1" (and `false`, `0`, `"0"` the group "0") — the rule CSV and
 * Parquet data need, where a column has no per-value type. Undefined when every group was sent one way.
 */
export function mergedGroupsWarning(groups: readonly unknown[], field = "groups"): string | undefined {
  const types = new Map<string, Set<string>>();
  for (const v of groups) {
    const key = toGroup(v);
    if (key === undefined) continue;
    let seen = types.get(key);
    if (!seen) types.set(key, (seen = new Set()));
    seen.add(groupType(v));
  }
  const merged = [...types].filter(([, t]) => t.size > 1);
  if (merged.length === 0) return undefined;
  const shown = merged.slice(0, 5).map(([key, t]) => `"${key.slice(0, 40)}" (from ${[...t].sort().join(" and ")} values)`);
  return `${field}: values of different types were counted as one group, as groups are compared as text: ${shown.join(", ")}${merged.length > 5 ? ` and ${merged.length - 5} more` : ""}; send each group one way`;
}

/**
 * Checks the `groups` column of a classification batch and converts it.
 * @throws {ValidationError} when its length differs, a value is not a group, the labels are not binary 0/1, or there are more than {@link maxGroups} groups
 */
export function checkGroups(groups: readonly unknown[], labels: { predicted: ReadonlyArray<string | number>; actual: ReadonlyArray<string | number> }, field = "groups"): string[] {
  const n = labels.predicted.length;
  if (groups.length !== n) throw new ValidationError(`${field} has ${groups.length} rows but the predictions have ${n}`);
  const out = new Array<string>(n);
  const problems: string[] = [];
  for (let i = 0; i < n && problems.length < 5; i++) {
    const g = toGroup(groups[i]);
    if (g === undefined) problems.push(`${field}[${i}] is not a group value (a string of 1-256 characters, an integer or a boolean)`);
    else out[i] = g;
  }
  if (problems.length > 0) throw new ValidationError(problems.join("; "));
  for (let i = 0; i < n; i++) {
    for (const label of [labels.predicted[i], labels.actual[i]]) {
      const text = String(label);
      if (text !== "0" && text !== "1") throw new ValidationError(`${field} are accepted only for binary 0/1 labels (selection = predicted 1); found label ${JSON.stringify(text.slice(0, 40))}`);
    }
  }
  const distinct = new Set(out).size;
  if (distinct > maxGroups) throw new ValidationError(`${field}: at most ${maxGroups} distinct groups per batch, found ${distinct}`);
  return out;
}

/** Per-group counts of one batch (groups from {@link checkGroups}). */
export function fairnessStats(groups: readonly string[], predicted: ReadonlyArray<string | number>, actual: ReadonlyArray<string | number>): FairnessStats {
  if (groups.length !== predicted.length || groups.length !== actual.length) throw new ValidationError("fairnessStats requires one group, prediction and actual per row");
  const counts = new Map<string, { n: number; predictedPositive: number; actualPositive: number; truePositive: number }>();
  for (let i = 0; i < groups.length; i++) {
    let c = counts.get(groups[i]);
    if (!c) counts.set(groups[i], (c = { n: 0, predictedPositive: 0, actualPositive: 0, truePositive: 0 }));
    const p = isPositive(predicted[i]);
    const a = isPositive(actual[i]);
    c.n++;
    if (p) c.predictedPositive++;
    if (a) c.actualPositive++;
    if (p && a) c.truePositive++;
  }
  return { groups: [...counts].map(([group, c]) => ({ group, ...c })).sort((x, y) => (x.group < y.group ? -1 : x.group > y.group ? 1 : 0)) };
}

/** Adds the per-group counts of several batches. */
export function combineFairness(list: readonly FairnessStats[]): FairnessStats {
  const counts = new Map<string, { n: number; predictedPositive: number; actualPositive: number; truePositive: number }>();
  for (const s of list) {
    for (const g of s.groups) {
      const c = counts.get(g.group) ?? { n: 0, predictedPositive: 0, actualPositive: 0, truePositive: 0 };
      counts.set(g.group, { n: c.n + g.n, predictedPositive: c.predictedPositive + g.predictedPositive, actualPositive: c.actualPositive + g.actualPositive, truePositive: c.truePositive + g.truePositive });
    }
  }
  return { groups: [...counts].map(([group, c]) => ({ group, ...c })).sort((x, y) => (x.group < y.group ? -1 : x.group > y.group ? 1 : 0)) };
}

/** Selection rates, disparate impact, true-positive rates and their gap from per-group counts. */
export function fairnessFromStats(stats: FairnessStats): Fairness {
  const selectionRates = Object.create(null) as Record<string, number>;
  const truePositiveRates = Object.create(null) as Record<string, number | null>;
  const counts = Object.create(null) as Record<string, number>;
  const rates: number[] = [];
  const tprs: number[] = [];
  for (const g of stats.groups) {
    if (g.n === 0) continue;
    const rate = g.predictedPositive / g.n;
    selectionRates[g.group] = rate;
    counts[g.group] = g.n;
    rates.push(rate);
    const tpr = g.actualPositive > 0 ? g.truePositive / g.actualPositive : null;
    truePositiveRates[g.group] = tpr;
    if (tpr !== null) tprs.push(tpr);
  }
  const highest = rates.length >= 2 ? Math.max(...rates) : 0;
  const disparateImpact = rates.length >= 2 && highest > 0 ? Math.min(...rates) / highest : null;
  const tprGap = tprs.length >= 2 ? Math.max(...tprs) - Math.min(...tprs) : null;
  return { selectionRates, disparateImpact, truePositiveRates, tprGap, counts };
}
