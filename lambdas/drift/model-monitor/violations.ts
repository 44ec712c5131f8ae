/**
 * Model Monitor's constraint checks over one drift check's data: the `constraint_violations.json` view of
 * the same comparison mlwatch decides on (the SageMaker developer guide, "Schema for Violations").
 *
 * - data_type_check: the share of present values whose type is not the baseline's `inferred_type`
 *   (Integral: non-numeric or non-whole values; Fractional: non-numeric values; String: none, any value is
 *   text) > `datatype_check_threshold`.
 * - completeness_check: the current share of non-missing values < the feature's `completeness`.
 * - baseline_drift_check (`distribution_constraints.perform_comparison` Enabled): the L∞ distance between
 *   the baseline and current distributions > `comparison_threshold` (numerical: the KS statistic D of the
 *   report; categorical `LInfinity`: max over categories of |p_base − p_current|). `Robust` subtracts
 *   1.8·√((n + m)/(n·m)) first (never below 0), the two-sample KS critical value Deequ — the library Model
 *   Monitor's analyzer is built on — uses for its `linf_robust`; `Simple` does not. Categorical
 *   `ChiSquared`: the chi-square p-value of the report < `categorical_comparison_threshold`.
 * - missing_column_check: one per constrained feature absent from the current data.
 * - extra_column_check: one per current column the baseline lacks.
 * - categorical_values_check: the share of current values outside `string_constraints.domains` >
 *   `domain_content_threshold`.
 * `num_constraints.is_non_negative` is read and written back but has no check type in Model Monitor's
 * vocabulary, so it is not reported. Nothing is checked when `evaluate_constraints` is Disabled.
 */
import type { DriftReport, FeaturePair } from "../../core/drift/index.js";
import { isNumericSample } from "../../core/drift/samples.js";
import type { FeatureConstraints, MonitorConstraints, MonitoringThresholds } from "./types.js";

/** Model Monitor's constraint check types. */
export const ConstraintCheckType = {
  dataType: "data_type_check",
  completeness: "completeness_check",
  baselineDrift: "baseline_drift_check",
  missingColumn: "missing_column_check",
  extraColumn: "extra_column_check",
  categoricalValues: "categorical_values_check",
} as const;
export type ConstraintCheckType = (typeof ConstraintCheckType)[keyof typeof ConstraintCheckType];

/** One violation, in Model Monitor's field names. */
export interface ConstraintViolation {
  readonly feature_name: string;
  readonly constraint_check_type: ConstraintCheckType;
  readonly description: string;
}

/** The KS critical-value coefficient of Deequ's `linf_robust`. */
export const ROBUST_C_ALPHA = 1.8;

/** Facts of the load the samples do not carry: non-numeric values met in numerical features. */
export interface LoadFacts {
  readonly invalid?: Readonly<Record<string, number>>;
  readonly unexpectedFeatures?: readonly string[];
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

function thresholdsFor(c: MonitorConstraints, f: FeatureConstraints | undefined): MonitoringThresholds {
  return f?.overrides ? { ...c.thresholds, ...f.overrides } : c.thresholds;
}

/** L∞ distance of two category distributions (non-missing shares). */
export function categoricalLInfinity(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): { distance: number; n: number; m: number } {
  let n = 0;
  let m = 0;
  for (const v of Object.values(a)) n += v;
  for (const v of Object.values(b)) m += v;
  let distance = 0;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const p = Object.hasOwn(a, key) && n > 0 ? a[key] / n : 0;
    const q = Object.hasOwn(b, key) && m > 0 ? b[key] / m : 0;
    distance = Math.max(distance, Math.abs(p - q));
  }
  return { distance, n, m };
}

/** `linf_robust`: the simple distance less the KS critical value at sizes n and m, never below 0. */
export function robustDistance(simple: number, n: number, m: number): number {
  if (n <= 0 || m <= 0) return simple;
  return Math.max(0, simple - ROBUST_C_ALPHA * Math.sqrt((n + m) / (n * m)));
}

function dataTypeShare(f: FeatureConstraints, pair: FeaturePair, invalid: number): number | undefined {
  const current = pair.current;
  if (!current || f.inferredType === "String" || f.inferredType === "Unknown") return undefined;
  if (!isNumericSample(current)) return 1;
  const present = current.count + invalid;
  if (present === 0) return undefined;
  let mismatched = invalid;
  if (f.inferredType === "Integral" && current.sorted.length > 0) {
    let fractional = 0;
    for (const v of current.sorted) if (!Number.isInteger(v)) fractional++;
    // A sketch's points each stand for count / points values.
    mismatched += (fractional * current.count) / current.sorted.length;
  }
  return mismatched / present;
}

/**
 * Evaluates a constraints document against a check's feature pairs and report.
 * @returns the violations, features in the constraints' order, then the extra columns.
 */
export function evaluateConstraints(constraints: MonitorConstraints, pairs: Readonly<Record<string, FeaturePair>>, report: DriftReport, facts: LoadFacts = {}): ConstraintViolation[] {
  if (!constraints.evaluateConstraints) return [];
  const out: ConstraintViolation[] = [];
  const byName = new Map(constraints.features.map((f) => [f.name, f]));
  const names = [...constraints.features.map((f) => f.name), ...Object.keys(pairs).filter((n) => !byName.has(n))];
  for (const name of names) {
    const f = byName.get(name);
    const pair = Object.hasOwn(pairs, name) ? pairs[name] : undefined;
    const t = thresholdsFor(constraints, f);
    if (!pair?.current) {
      if (f && f.inferredType !== "Unknown") out.push({ feature_name: name, constraint_check_type: ConstraintCheckType.missingColumn, description: `Column ${name} of the baseline is missing from the current data.` });
      continue;
    }
    const current = pair.current;
    if (f) {
      const invalid = facts.invalid && Object.hasOwn(facts.invalid, name) ? facts.invalid[name] : 0;
      const share = dataTypeShare(f, pair, invalid);
      if (share !== undefined && share > t.datatypeCheckThreshold) {
        out.push({ feature_name: name, constraint_check_type: ConstraintCheckType.dataType, description: `Data type match requirement is not met. Expected data type: ${f.inferredType}, expected match: at least ${pct(1 - t.datatypeCheckThreshold)}. Observed: ${pct(1 - share)} of the present values are ${f.inferredType}.` });
      }
      const total = current.count + current.missing;
      const completeness = total === 0 ? 0 : current.count / total;
      if (f.completeness !== undefined && completeness < f.completeness - 1e-12) {
        out.push({ feature_name: name, constraint_check_type: ConstraintCheckType.completeness, description: `Data completeness requirement is not met. Expected: at least ${pct(f.completeness)} of the values present. Observed: ${pct(completeness)}.` });
      }
      if (f.domains && !isNumericSample(current) && current.count > 0) {
        const domain = new Set(f.domains);
        let unknown = 0;
        for (const [value, n] of Object.entries(current.counts)) if (!domain.has(value)) unknown += n;
        const unknownShare = unknown / current.count;
        if (unknownShare > t.domainContentThreshold) {
          out.push({ feature_name: name, constraint_check_type: ConstraintCheckType.categoricalValues, description: `Data content check is not met. Expected: at most ${pct(t.domainContentThreshold)} of the values outside the baseline's ${f.domains.length} known value(s). Observed: ${pct(unknownShare)}.` });
        }
      }
    }
    if (!t.performComparison || !pair.baseline || pair.baseline.count === 0 || current.count === 0) continue;
    const drift = report.features[name];
    if (isNumericSample(current)) {
      const simple = drift?.tests.ks?.statistic;
      if (simple === undefined) continue;
      const distance = t.comparisonMethod === "Robust" ? robustDistance(simple, pair.baseline.count, current.count) : simple;
      if (distance > t.comparisonThreshold) {
        out.push({ feature_name: name, constraint_check_type: ConstraintCheckType.baselineDrift, description: `Baseline drift distance: ${distance.toFixed(6)} (${t.comparisonMethod === "Robust" ? "linf_robust" : "linf_simple"}) exceeds threshold: ${t.comparisonThreshold}.` });
      }
      continue;
    }
    if (isNumericSample(pair.baseline)) continue;
    if (t.categoricalDriftMethod === "ChiSquared") {
      const p = drift?.tests.chiSquare?.pValue;
      if (p !== undefined && p < t.categoricalComparisonThreshold) {
        out.push({ feature_name: name, constraint_check_type: ConstraintCheckType.baselineDrift, description: `Baseline drift chi-square p-value: ${p.toPrecision(6)} is below threshold: ${t.categoricalComparisonThreshold}.` });
      }
      continue;
    }
    const { distance: simple, n, m } = categoricalLInfinity(pair.baseline.counts, current.counts);
    const distance = t.comparisonMethod === "Robust" ? robustDistance(simple, n, m) : simple;
    if (distance > t.categoricalComparisonThreshold) {
      out.push({ feature_name: name, constraint_check_type: ConstraintCheckType.baselineDrift, description: `Baseline drift distance: ${distance.toFixed(6)} (${t.comparisonMethod === "Robust" ? "linf_robust" : "linf_simple"}) exceeds threshold: ${t.categoricalComparisonThreshold}.` });
    }
  }
  for (const name of [...(facts.unexpectedFeatures ?? [])].sort()) {
    out.push({ feature_name: name, constraint_check_type: ConstraintCheckType.extraColumn, description: `Column ${name} is in the current data but not in the baseline.` });
  }
  return out;
}

/** Violations per check type (every type present, 0 when none). */
export function countByCheckType(violations: readonly ConstraintViolation[]): Record<ConstraintCheckType, number> {
  const counts = Object.fromEntries(Object.values(ConstraintCheckType).map((t) => [t, 0])) as Record<ConstraintCheckType, number>;
  for (const v of violations) counts[v.constraint_check_type]++;
  return counts;
}
