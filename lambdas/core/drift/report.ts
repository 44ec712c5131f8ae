/**
 * The drift report of one check: every feature compared, Benjamini–Hochberg across every test of the
 * check, the decision rules, severity and the reason in words.
 *
 * 1. Each feature present on both sides is compared (`compareNumeric` / `compareCategorical`).
 * 2. Every p-value of every feature — KS or chi-square, missing share, category change (categorical) — is
 *    adjusted together with `benjaminiHochberg`; each adjusted value is stored
 *    next to its raw one (`adjustedPValue`).
 * 3. Rules (`DriftThresholds`); each needs its adjusted p < pValue AND its effect size:
 *    - numerical-shift: KS, and noise-corrected PSI ≥ psi or robust normalised Wasserstein ≥ wassersteinNormalized;
 *    - out-of-range: KS, and ≥ minCount current values outside the baseline's [min, max], share ≥ outOfRangeShare;
 *    - categorical-shift: chi-square over pooled cells, and noise-corrected PSI ≥ psi;
 *    - category-change: a category seen on one side only, with ≥ minCount rows and ≥ categoryShare;
 *    - missing-share-jump: two-proportion test, and |missing share change| ≥ missingShareJump;
 *    - feature-missing (no test: a fact): a baseline feature with values is absent from the current data.
 *    `rulesFired` names the rules that fired, `reason` says it in words with the numbers.
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
  type FeatureTests,
  type NumericComparison,
  type SampleSummary,
  compareCategorical,
  compareNumeric,
  summarize,
} from "./compare.js";
import { type CategoricalSample, type FeatureSample, type NumericSample, categoryCount, isNumericSample } from "./samples.js";
import { type DriftThresholdName, type DriftThresholds, defaultDriftThresholds, driftThresholdSpecs } from "./thresholds.js";

/** Names of the decision rules, as they appear in `rulesFired`. */
export const DriftRule = {
  /** Numerical: adjusted KS p below the level and corrected PSI or normalised Wasserstein above theirs. */
  numericalShift: "numerical-shift",
  /** Numerical: a significant share of current values outside the baseline's [min, max]. */
  outOfRange: "out-of-range",
  /** Categorical: adjusted chi-square p (pooled cells) below the level and corrected PSI above its threshold. */
  categoricalShift: "categorical-shift",
  /** Categorical: a frequent category appeared or vanished, significantly. */
  categoryChange: "category-change",
  /** Either: the missing share moved significantly and by at least the threshold. */
  missingShareJump: "missing-share-jump",
  /** Either: a baseline feature is absent from the current data (schema drift). */
  featureMissing: "feature-missing",
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

const fmt = (x: number): string => {
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e4 ? String(Number(x.toPrecision(3))) : x.toExponential(2);
};

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

const HIGH_OUT_OF_RANGE_SHARE = 0.5;

function severityOf(rules: DriftRule[], tests: FeatureTests, t: DriftThresholds): Severity {
  if (rules.length === 0) return "none";
  if (rules.includes(DriftRule.featureMissing)) return "high";
  if ((tests.psi?.corrected ?? 0) >= t.psiHigh) return "high";
  if (rules.includes(DriftRule.outOfRange) && (tests.outOfRange?.share ?? 0) >= HIGH_OUT_OF_RANGE_SHARE) return "high";
  return "moderate";
}

function changeText(category: string, x: number, side: "new" | "vanished"): string {
  return `${side} category "${category}" (${x} row${x === 1 ? "" : "s"})`;
}

function decide(comparison: NumericComparison | CategoricalComparison, samples: { baseline: FeatureSample; current: FeatureSample }, t: DriftThresholds): FeatureDrift {
  const rules: DriftRule[] = [];
  const reasons: string[] = [];
  const quiet: string[] = [];
  const tests = comparison.tests;
  const significant = (p: number | undefined): p is number => p !== undefined && p < t.pValue;
  const psiText = (): string => `corrected PSI ${fmt(tests.psi?.corrected ?? 0)}`;

  const primary = comparison.type === "numerical" ? tests.ks : tests.chiSquare;
  const testName = comparison.type === "numerical" ? "KS" : "chi-square";
  if (primary === undefined) {
    const side = comparison.baseline.count === 0 ? "baseline" : "current";
    quiet.push(`no non-missing values in ${side} data`);
  } else {
    const adjusted = primary.adjustedPValue ?? primary.pValue;
    if (significant(adjusted)) {
      const pText = `${testName} adjusted p = ${fmt(adjusted)} < ${fmt(t.pValue)}`;
      const practical: string[] = [];
      if ((tests.psi?.corrected ?? 0) >= t.psi) practical.push(`${psiText()} ≥ ${fmt(t.psi)}`);
      const w = tests.wasserstein?.normalized;
      if (comparison.type === "numerical" && w !== null && w !== undefined && w >= t.wassersteinNormalized) {
        practical.push(`normalised Wasserstein ${fmt(w)} ≥ ${fmt(t.wassersteinNormalized)}`);
      }
      if (practical.length > 0) {
        rules.push(comparison.type === "numerical" ? DriftRule.numericalShift : DriftRule.categoricalShift);
        reasons.push(`${pText} and ${practical.join(" and ")}`);
      } else {
        const wText = comparison.type === "numerical" ? `, normalised Wasserstein ${w === null || w === undefined ? "n/a" : fmt(w)} < ${fmt(t.wassersteinNormalized)}` : "";
        quiet.push(`${pText} but the shift is negligible (${psiText()} < ${fmt(t.psi)}${wText})`);
      }
    } else {
      quiet.push(`${testName} adjusted p = ${fmt(adjusted)} ≥ ${fmt(t.pValue)}`);
    }
  }

  const range = tests.outOfRange;
  if (range && range.below + range.above > 0 && tests.ks) {
    const adjusted = tests.ks.adjustedPValue ?? tests.ks.pValue;
    const what = `${range.below + range.above} of ${comparison.current.count} current values (${fmt(range.share)}) outside the baseline range [${fmt(range.baselineMin)}, ${fmt(range.baselineMax)}]`;
    const enough = range.below + range.above >= t.minCount && range.share >= t.outOfRangeShare;
    if (significant(adjusted) && enough) {
      rules.push(DriftRule.outOfRange);
      reasons.push(`KS adjusted p = ${fmt(adjusted)} < ${fmt(t.pValue)} and ${what} (≥ ${t.minCount} values, share ≥ ${fmt(t.outOfRangeShare)})`);
    } else if (range.share >= t.outOfRangeShare) {
      quiet.push(`${what}, ${enough ? "KS not significant" : `fewer than ${t.minCount} values`}`);
    }
  }

  if (comparison.type === "categorical") {
    const change = tests.categoryChange;
    if (change) {
      const adjusted = change.adjustedPValue ?? change.pValue;
      const b = samples.baseline as CategoricalSample;
      const c = samples.current as CategoricalSample;
      const texts = change.categories.map((k) =>
        categoryCount(b.counts, k) === 0 ? changeText(k, categoryCount(c.counts, k), "new") : changeText(k, categoryCount(b.counts, k), "vanished"),
      );
      const shown = texts.length > 3 ? [...texts.slice(0, 3), `${texts.length - 3} more`] : texts;
      if (significant(adjusted)) {
        rules.push(DriftRule.categoryChange);
        reasons.push(`${shown.join(", ")} (adjusted p = ${fmt(adjusted)} < ${fmt(t.pValue)})`);
      } else {
        quiet.push(`${shown.join(", ")}, not significant (adjusted p = ${fmt(adjusted)})`);
      }
    }
  }

  const missing = tests.missingShare;
  if (missing && Math.abs(missing.change) >= t.missingShareJump) {
    const adjusted = missing.adjustedPValue ?? missing.pValue;
    const what = `missing share ${missing.change > 0 ? "rose" : "fell"} from ${fmt(missing.baseline)} to ${fmt(missing.current)}`;
    if (significant(adjusted)) {
      rules.push(DriftRule.missingShareJump);
      reasons.push(`${what} (change ≥ ${fmt(t.missingShareJump)}, ${missing.method === "fisher" ? "Fisher" : "two-proportion"} adjusted p = ${fmt(adjusted)} < ${fmt(t.pValue)})`);
    } else {
      quiet.push(`${what}, not significant (adjusted p = ${fmt(adjusted)})`);
    }
  }

  const drifted = rules.length > 0;
  return {
    type: comparison.type,
    driftDetected: drifted,
    severity: severityOf(rules, tests, t),
    reason: drifted ? reasons.join("; ") : `no drift: ${quiet.join("; ")}`,
    rulesFired: rules,
    comparable: true,
    baseline: comparison.baseline,
    current: comparison.current,
    tests,
    ...(comparison.type === "categorical" ? { newCategories: comparison.newCategories, missingCategories: comparison.missingCategories } : {}),
  };
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

type AdjustableTest = { pValue: number; adjustedPValue?: number };

function adjustableTests(tests: FeatureTests): AdjustableTest[] {
  const list: (AdjustableTest | undefined)[] = [tests.ks, tests.chiSquare, tests.categoryChange, tests.missingShare];
  return list.filter((x): x is AdjustableTest => x !== undefined);
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
        : compareCategorical(baseline as CategoricalSample, current as CategoricalSample, { categoryShare: t.categoryShare, minCount: t.minCount }),
    );
  }
  const all = [...comparisons.values()].flatMap((c) => adjustableTests(c.tests));
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
    if (comparison !== undefined) feature = decide(comparison, { baseline: baseline!, current: current! }, t);
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
