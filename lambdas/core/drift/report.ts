/**
 * The drift report of one check: every feature compared, Benjamini–Hochberg across the features, the
 * decision rule, severity and the reason in words.
 *
 * 1. Each feature present on both sides is compared (`compareNumeric` / `compareCategorical`).
 * 2. The features' p-values — KS for numerical, chi-square for categorical — are adjusted together with
 *    `benjaminiHochberg`; the adjusted value is stored next to the raw one (`adjustedPValue`).
 * 3. Decision (`DriftThresholds`): numerical drift = adjusted KS p < pValue AND (PSI ≥ psi OR normalised
 *    Wasserstein ≥ wassersteinNormalized); categorical drift = adjusted chi-square p < pValue AND (PSI ≥ psi
 *    OR a category with ≥ categoryShare of either sample appeared or vanished); either type also drifts when
 *    |missing share change| ≥ missingShareJump. `rulesFired` names the rules that fired, `reason` says it in
 *    words with the numbers.
 * 4. Severity: `none` when the feature did not drift; otherwise from PSI — moderate below psiHigh, high from
 *    psiHigh — so a drifted feature is never `none` even when a rule other than PSI fired.
 * A feature present in only one of the two data sets is reported, not compared: `driftDetected: false`,
 * `comparable: false`, empty tests, reason "missing in current data" (or "missing in baseline data").
 * `driftShare` = drifted features / comparable features (0 when none is comparable).
 * Cost: the sum of the comparisons plus O(f log f) for f features.
 *
 * @throws {ValidationError} when a feature is numerical on one side and categorical on the other, a threshold
 *   is not a finite non-negative number, or psiHigh < psiModerate.
 * @example
 * buildDriftReport({ x: { baseline: prepareNumeric(a), current: prepareNumeric(b) } }).features.x.reason;
 * // → "no drift: KS adjusted p = 0.41 ≥ 0.05"
 */
import { ValidationError } from "../errors.js";
import { benjaminiHochberg } from "../stats/benjamini-hochberg.js";
import {
  type CategoricalComparison,
  type FeatureTests,
  type NumericComparison,
  type SampleSummary,
  compareCategorical,
  compareNumeric,
  summarize,
} from "./compare.js";
import { type CategoricalSample, type FeatureSample, type NumericSample, isNumericSample } from "./samples.js";
import { type DriftThresholds, defaultDriftThresholds } from "./thresholds.js";

/** Names of the decision rules, as they appear in `rulesFired`. */
export const DriftRule = {
  /** Numerical: adjusted KS p below the level and PSI or normalised Wasserstein above theirs. */
  numericalShift: "numerical-shift",
  /** Categorical: adjusted chi-square p below the level and PSI above its threshold. */
  categoricalShift: "categorical-shift",
  /** Categorical: adjusted chi-square p below the level and a frequent category appeared or vanished. */
  categoryChange: "category-change",
  /** Either: the missing share moved by at least the threshold. */
  missingShareJump: "missing-share-jump",
} as const;
export type DriftRule = (typeof DriftRule)[keyof typeof DriftRule];

export type Severity = "none" | "moderate" | "high";

export interface FeatureDrift {
  readonly type: "numerical" | "categorical";
  readonly driftDetected: boolean;
  readonly severity: Severity;
  readonly reason: string;
  readonly rulesFired: DriftRule[];
  /** False when the feature is missing from one of the data sets (then tests is empty). */
  readonly comparable: boolean;
  readonly baseline: SampleSummary;
  readonly current: SampleSummary;
  readonly tests: FeatureTests;
  /** Categorical only. */
  readonly newCategories?: string[];
  /** Categorical only. */
  readonly missingCategories?: string[];
}

export interface DriftReport {
  readonly driftDetected: boolean;
  /** Drifted features / comparable features. */
  readonly driftShare: number;
  readonly features: Record<string, FeatureDrift>;
  /** The thresholds this report was decided with. */
  readonly thresholds: DriftThresholds;
}

export interface FeaturePair {
  readonly baseline?: FeatureSample;
  readonly current?: FeatureSample;
}

const fmt = (x: number): string => {
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e4 ? String(Number(x.toPrecision(3))) : x.toExponential(2);
};

function resolveThresholds(overrides: Partial<DriftThresholds> = {}): DriftThresholds {
  const merged = { ...defaultDriftThresholds };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!(key in defaultDriftThresholds)) throw new ValidationError(`unknown drift threshold "${key}"`);
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new ValidationError(`drift threshold "${key}" must be a finite number ≥ 0`);
    }
    (merged as Record<string, number>)[key] = value;
  }
  if (merged.psiHigh < merged.psiModerate) throw new ValidationError("drift threshold psiHigh must be ≥ psiModerate");
  if (!(Number.isInteger(merged.psiBins) && merged.psiBins >= 2)) {
    throw new ValidationError("drift threshold psiBins must be an integer ≥ 2");
  }
  return merged;
}

function severityOf(drifted: boolean, psi: number | undefined, t: DriftThresholds): Severity {
  if (!drifted) return "none";
  return psi !== undefined && psi >= t.psiHigh ? "high" : "moderate";
}

function frequentChanges(
  comparison: CategoricalComparison,
  baseline: CategoricalSample,
  current: CategoricalSample,
  t: DriftThresholds,
): string[] {
  const fresh = comparison.newCategories.filter((c) => (current.counts[c] ?? 0) / current.count >= t.categoryShare);
  const gone = comparison.missingCategories.filter(
    (c) => (baseline.counts[c] ?? 0) / baseline.count >= t.categoryShare,
  );
  return [...fresh.map((c) => `new category "${c}"`), ...gone.map((c) => `vanished category "${c}"`)];
}

function decide(
  comparison: NumericComparison | CategoricalComparison,
  adjusted: number | undefined,
  samples: { baseline: FeatureSample; current: FeatureSample },
  t: DriftThresholds,
): FeatureDrift {
  const rules: DriftRule[] = [];
  const reasons: string[] = [];
  const quiet: string[] = [];
  const tests = comparison.tests;
  const psi = tests.psi?.value;
  const missingDelta = comparison.current.missingShare - comparison.baseline.missingShare;
  const testName = comparison.type === "numerical" ? "KS" : "chi-square";

  if (adjusted === undefined) {
    const side = comparison.baseline.count === 0 ? "baseline" : "current";
    quiet.push(`no non-missing values in ${side} data`);
  } else if (adjusted < t.pValue) {
    const pText = `${testName} adjusted p = ${fmt(adjusted)} < ${fmt(t.pValue)}`;
    const practical: string[] = [];
    if (psi !== undefined && psi >= t.psi) practical.push(`PSI ${fmt(psi)} ≥ ${fmt(t.psi)}`);
    if (comparison.type === "numerical") {
      const w = tests.wasserstein?.normalized;
      if (w !== null && w !== undefined && w >= t.wassersteinNormalized) {
        practical.push(`normalised Wasserstein ${fmt(w)} ≥ ${fmt(t.wassersteinNormalized)}`);
      }
      if (practical.length > 0) {
        rules.push(DriftRule.numericalShift);
        reasons.push(`${pText} and ${practical.join(" and ")}`);
      } else {
        const w2 = tests.wasserstein?.normalized;
        quiet.push(
          `${pText} but the shift is negligible (PSI ${fmt(psi ?? 0)} < ${fmt(t.psi)}, normalised Wasserstein ${
            w2 === null || w2 === undefined ? "n/a" : fmt(w2)
          } < ${fmt(t.wassersteinNormalized)})`,
        );
      }
    } else {
      const changes = frequentChanges(
        comparison,
        samples.baseline as CategoricalSample,
        samples.current as CategoricalSample,
        t,
      );
      if (practical.length > 0) rules.push(DriftRule.categoricalShift);
      if (changes.length > 0) rules.push(DriftRule.categoryChange);
      const shown = changes.length > 3 ? [...changes.slice(0, 3), `${changes.length - 3} more`] : changes;
      const all = [...practical, ...(shown.length > 0 ? [shown.join(", ")] : [])];
      if (all.length > 0) reasons.push(`${pText} and ${all.join(" and ")}`);
      else quiet.push(`${pText} but the shift is negligible (PSI ${fmt(psi ?? 0)} < ${fmt(t.psi)}, no frequent category appeared or vanished)`);
    }
  } else {
    quiet.push(`${testName} adjusted p = ${fmt(adjusted)} ≥ ${fmt(t.pValue)}`);
  }
  if (Math.abs(missingDelta) >= t.missingShareJump) {
    rules.push(DriftRule.missingShareJump);
    reasons.push(
      `missing share ${missingDelta > 0 ? "rose" : "fell"} from ${fmt(comparison.baseline.missingShare)} to ${fmt(
        comparison.current.missingShare,
      )} (change ≥ ${fmt(t.missingShareJump)})`,
    );
  }
  const drifted = rules.length > 0;
  const withAdjusted: FeatureTests = { ...tests };
  if (tests.ks && adjusted !== undefined) withAdjusted.ks = { ...tests.ks, adjustedPValue: adjusted };
  if (tests.chiSquare && adjusted !== undefined) withAdjusted.chiSquare = { ...tests.chiSquare, adjustedPValue: adjusted };
  return {
    type: comparison.type,
    driftDetected: drifted,
    severity: severityOf(drifted, psi, t),
    reason: drifted ? reasons.join("; ") : `no drift: ${quiet.join("; ")}`,
    rulesFired: rules,
    comparable: true,
    baseline: comparison.baseline,
    current: comparison.current,
    tests: withAdjusted,
    ...(comparison.type === "categorical"
      ? { newCategories: comparison.newCategories, missingCategories: comparison.missingCategories }
      : {}),
  };
}

function oneSided(sample: FeatureSample, present: "baseline" | "current"): FeatureDrift {
  const summary = summarize(sample.count, sample.missing);
  const empty = summarize(0, 0);
  const absent = present === "baseline" ? "current" : "baseline";
  const categorical = !isNumericSample(sample);
  return {
    type: categorical ? "categorical" : "numerical",
    driftDetected: false,
    severity: "none",
    reason: `missing in ${absent} data`,
    rulesFired: [],
    comparable: false,
    baseline: present === "baseline" ? summary : empty,
    current: present === "current" ? summary : empty,
    tests: {},
    ...(categorical ? { newCategories: [], missingCategories: [] } : {}),
  };
}

/** Compare every feature, adjust the p-values across them and decide. */
export function buildDriftReport(
  features: Readonly<Record<string, FeaturePair>>,
  thresholds?: Partial<DriftThresholds>,
): DriftReport {
  const t = resolveThresholds(thresholds);
  const names = Object.keys(features);
  const comparisons = new Map<string, NumericComparison | CategoricalComparison>();
  const out: Record<string, FeatureDrift> = {};
  for (const name of names) {
    const { baseline, current } = features[name];
    if (baseline === undefined && current === undefined) {
      throw new ValidationError(`feature "${name}" has neither baseline nor current data`);
    }
    if (baseline === undefined || current === undefined) continue;
    const numeric = isNumericSample(baseline);
    if (numeric !== isNumericSample(current)) {
      throw new ValidationError(`feature "${name}" is numerical in one data set and categorical in the other`);
    }
    comparisons.set(
      name,
      numeric
        ? compareNumeric(baseline as NumericSample, current as NumericSample, { bins: t.psiBins })
        : compareCategorical(baseline as CategoricalSample, current as CategoricalSample),
    );
  }
  const tested = [...comparisons.entries()].filter(([, c]) => (c.tests.ks ?? c.tests.chiSquare) !== undefined);
  const adjusted = benjaminiHochberg(tested.map(([, c]) => (c.tests.ks ?? c.tests.chiSquare)!.pValue));
  const adjustedByName = new Map(tested.map(([name], i) => [name, adjusted[i]]));
  let drifted = 0;
  for (const name of names) {
    const { baseline, current } = features[name];
    const comparison = comparisons.get(name);
    if (comparison === undefined) {
      out[name] = baseline !== undefined ? oneSided(baseline, "baseline") : oneSided(current!, "current");
      continue;
    }
    const feature = decide(comparison, adjustedByName.get(name), { baseline: baseline!, current: current! }, t);
    if (feature.driftDetected) drifted++;
    out[name] = feature;
  }
  return {
    driftDetected: drifted > 0,
    driftShare: comparisons.size === 0 ? 0 : drifted / comparisons.size,
    features: out,
    thresholds: t,
  };
}
