/**
 * The drift report of one check: every feature compared, Benjamini–Hochberg across every test of the
 * check, the decision rules, severity and the reason in words.
 *
 * 1. Each feature present on both sides is compared (`compareNumeric` / `compareCategorical`); a numerical
 *    feature with at most `discreteValues` distinct baseline values is compared on its value cells.
 * 2. Every p-value of every feature — KS or chi-square, missing share, category change, share shift, and the
 *    out-of-range test once its gate is met — is adjusted together with `benjaminiHochberg`; each adjusted
 *    value is stored next to its raw one (`adjustedPValue`).
 * 3. Rules (`decide.ts`, `DriftThresholds`); each needs its adjusted p < pValue AND its effect size:
 *    - numerical-shift: KS, and noise-corrected PSI ≥ psi or robust normalised Wasserstein ≥ wassersteinNormalized;
 *    - discrete-shift / categorical-shift: chi-square over pooled cells (values / categories), and corrected PSI ≥ psi;
 *    - out-of-range: its own exact test, ≥ minCount current values outside the baseline's [min, max], share ≥ outOfRangeShare;
 *    - share-shift: one cell's share moved ≥ shareShift (two-proportion test, Bonferroni over the cells);
 *    - category-change: a category (value) seen on one side only, with ≥ minCount rows and ≥ categoryShare;
 *    - missing-share-jump: two-proportion test, and |missing share change| ≥ missingShareJump (exact);
 *    - feature-missing (no test: a fact): a baseline feature with values is absent from the current data.
 *    `rulesFired` names the rules that fired, `reason` says it in words with the numbers, including the
 *    tests that were significant without firing a rule.
 * 4. Severity: `none` when the feature did not drift; `high` when its corrected PSI ≥ psiHigh, the feature
 *    is missing from the current data, or at least half of its current values are outside the baseline's
 *    range; otherwise `moderate`.
 * A feature only in the current data is reported (`comparable: false`, no drift) and listed in
 * `unexpectedFeatures`, with any names the caller passes (columns the ingest did not keep).
 * `driftShare` = drifted features / (comparable features + baseline features missing from the current data),
 * 0 when there are none. Cost: the sum of the comparisons plus O(m log m) for the m p-values.
 *
 * @throws {ValidationError} when a feature is numerical on one side and categorical on the other, or a
 *   threshold is unknown or outside its range (`driftThresholdSpecs`).
 * @example
 * buildDriftReport({ x: { baseline: prepareNumeric(a), current: prepareNumeric(b) } }).features.x.reason;
 * // → "no drift: KS adjusted p = 0.41 ≥ 0.05"
 */
import { ValidationError } from "../errors.js";
import { benjaminiHochberg } from "../stats/benjamini-hochberg.js";
import {
  type CategoricalComparison,
  type NumericComparison,
  compareCategorical,
  compareNumeric,
  summarize,
} from "./compare.js";
import { DriftRule, type FeatureDrift, adjustableTests, decideFeature } from "./decide.js";
import { type CategoricalSample, type FeatureSample, type NumericSample, isNumericSample } from "./samples.js";
import { type DriftThresholdName, type DriftThresholds, defaultDriftThresholds, driftThresholdSpecs } from "./thresholds.js";

export { DriftRule, type FeatureDrift, type Severity } from "./decide.js";

export interface DriftReport {
  readonly driftDetected: boolean;
  /** Drifted features / (comparable features + baseline features missing from the current data). */
  readonly driftShare: number;
  /** Per feature (a null-prototype object: any feature name is data). */
  readonly features: Record<string, FeatureDrift>;
  /** Features in the current data that the baseline does not have, sorted. */
  readonly unexpectedFeatures: string[];
  /** The thresholds this report was decided with. */
  readonly thresholds: DriftThresholds;
}

export interface FeaturePair {
  readonly baseline?: FeatureSample;
  readonly current?: FeatureSample;
}

/** Options of {@link buildDriftReport}. */
export interface BuildDriftReportOptions {
  /** Names of current columns that were not loaded because the baseline lacks them. */
  readonly unexpectedFeatures?: readonly string[];
}

/** Defaults overlaid with a check's thresholds, each checked against its spec. */
export function resolveThresholds(overrides: Partial<DriftThresholds> = {}): DriftThresholds {
  const merged: Record<string, number> = { ...defaultDriftThresholds };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!Object.hasOwn(driftThresholdSpecs, key)) throw new ValidationError(`unknown drift threshold "${key}"`);
    const spec = driftThresholdSpecs[key as DriftThresholdName] as { min: number; max?: number; integer?: boolean };
    if (typeof value !== "number" || !Number.isFinite(value) || value < spec.min || (spec.max !== undefined && value > spec.max)) {
      throw new ValidationError(`drift threshold "${key}" must be a number in [${spec.min}, ${spec.max ?? "∞"}]`);
    }
    if (spec.integer && !Number.isInteger(value)) throw new ValidationError(`drift threshold "${key}" must be an integer`);
    merged[key] = value;
  }
  return merged as DriftThresholds;
}

function oneSided(sample: FeatureSample, present: "baseline" | "current"): FeatureDrift {
  const summary = summarize(sample.count, sample.missing);
  const empty = summarize(0, 0);
  const categorical = !isNumericSample(sample);
  const dropped = present === "baseline" && sample.count > 0;
  return {
    type: categorical ? "categorical" : "numerical",
    driftDetected: dropped,
    severity: dropped ? "high" : "none",
    reason:
      present === "current"
        ? "not in the baseline: an unexpected new feature (see unexpectedFeatures)"
        : dropped
          ? `feature missing from the current data (schema drift): the baseline has ${sample.count} values, the current data has no such column`
          : "no drift: missing in current data, and the baseline has no values either",
    rulesFired: dropped ? [DriftRule.featureMissing] : [],
    comparable: false,
    baseline: present === "baseline" ? summary : empty,
    current: present === "current" ? summary : empty,
    tests: {},
    ...(categorical ? { newCategories: [], missingCategories: [] } : {}),
  };
}

/** Compare every feature, adjust every p-value of the check together and decide. */
export function buildDriftReport(
  features: Readonly<Record<string, FeaturePair>>,
  thresholds?: Partial<DriftThresholds>,
  options: BuildDriftReportOptions = {},
): DriftReport {
  const t = resolveThresholds(thresholds);
  const names = Object.keys(features);
  const comparisons = new Map<string, NumericComparison | CategoricalComparison>();
  const cellOptions = { categoryShare: t.categoryShare, minCount: t.minCount, shareShift: t.shareShift };
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
        ? compareNumeric(baseline as NumericSample, current as NumericSample, { bins: t.psiBins, discreteValues: t.discreteValues, ...cellOptions })
        : compareCategorical(baseline as CategoricalSample, current as CategoricalSample, cellOptions),
    );
  }
  const all = [...comparisons.values()].flatMap((c) => adjustableTests(c.tests, t, c.current.count));
  const adjusted = benjaminiHochberg(all.map((x) => x.pValue));
  all.forEach((x, i) => (x.adjustedPValue = adjusted[i]));

  const out: Record<string, FeatureDrift> = Object.create(null);
  const unexpected = new Set(options.unexpectedFeatures ?? []);
  let drifted = 0;
  let evaluated = 0;
  for (const name of names) {
    const { baseline, current } = features[name];
    const comparison = comparisons.get(name);
    let feature: FeatureDrift;
    if (comparison !== undefined) feature = decideFeature(comparison, { baseline: baseline!, current: current! }, t);
    else if (baseline !== undefined) feature = oneSided(baseline, "baseline");
    else {
      feature = oneSided(current!, "current");
      unexpected.add(name);
    }
    if (feature.comparable || feature.driftDetected) evaluated++;
    if (feature.driftDetected) drifted++;
    out[name] = feature;
  }
  return {
    driftDetected: drifted > 0,
    driftShare: evaluated === 0 ? 0 : drifted / evaluated,
    features: out,
    unexpectedFeatures: [...unexpected].sort(),
    thresholds: t,
  };
}
