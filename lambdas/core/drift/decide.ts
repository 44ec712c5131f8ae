/**
 * The decision of one compared feature: which rules fire, its severity and the reason in words.
 *
 * Each rule needs its Benjamini–Hochberg-adjusted p-value below `pValue` and its effect size at its
 * threshold. Share and count gates are exact (`exact.ts`: counts against counts, the threshold as the
 * decimal it is written as); PSI and normalised Wasserstein gates allow a relative tolerance of 1e-9.
 * The reason lists every rule that fired and every test that was significant without firing one
 * (e.g. "also significant: …"); a feature without drift lists why each test did not fire.
 */
import { type CategoricalComparison, type FeatureTests, type NumericComparison, type SampleSummary } from "./compare.js";
import { MAX_DISCRETE_VALUES, OTHER_VALUES, baselineDistinct, valueCell } from "./cells.js";
import { effectReaches, shareChangeReaches, shareReaches } from "./exact.js";
import { type CategoricalSample, type FeatureSample, type NumericSample, categoryCount, isNumericSample } from "./samples.js";
import type { DriftThresholds } from "./thresholds.js";

/** Names of the decision rules, as they appear in `rulesFired`. */
export const DriftRule = {
  /** Numerical: adjusted KS p below the level and corrected PSI or normalised Wasserstein above theirs. */
  numericalShift: "numerical-shift",
  /** Numerical, discrete: adjusted chi-square p over the value cells below the level and corrected PSI above its threshold. */
  discreteShift: "discrete-shift",
  /** Numerical: significantly more current values outside the baseline's [min, max] than its size predicts. */
  outOfRange: "out-of-range",
  /** Categorical: adjusted chi-square p (pooled cells) below the level and corrected PSI above its threshold. */
  categoricalShift: "categorical-shift",
  /** Categorical or discrete: one cell's share moved by at least `shareShift`, significantly. */
  shareShift: "share-shift",
  /** Categorical or discrete: a frequent category (value) appeared or vanished, significantly. */
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

/** A number in a sentence: 3 significant digits, exponent form outside [1e-3, 1e4). */
export const fmt = (x: number): string => {
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e4 ? String(Number(x.toPrecision(3))) : x.toExponential(2);
};
const points = (x: number): string => `${x > 0 ? "+" : x < 0 ? "−" : ""}${fmt(Math.abs(x) * 100)} points`;
const pct = (x: number): string => `${fmt(x * 100)} %`;

function severityOf(rules: DriftRule[], tests: FeatureTests, t: DriftThresholds, currentCount: number): Severity {
  if (rules.length === 0) return "none";
  if (rules.includes(DriftRule.featureMissing)) return "high";
  if (effectReaches(tests.psi?.corrected, t.psiHigh)) return "high";
  const range = tests.outOfRange;
  // At least half of the current values outside the baseline's range (2k ≥ n₂, exactly).
  if (rules.includes(DriftRule.outOfRange) && range && 2 * (range.below + range.above) >= currentCount) return "high";
  return "moderate";
}

type Adjustable = { pValue: number; adjustedPValue?: number };
const adjustedOf = (x: Adjustable): number => x.adjustedPValue ?? x.pValue;

/** Words for a category-change candidate of a categorical or discrete feature. */
function changeTexts(categories: string[], samples: { baseline: FeatureSample; current: FeatureSample }, tests: FeatureTests): string[] {
  const rows = (x: number) => `${x} row${x === 1 ? "" : "s"}`;
  if (isNumericSample(samples.baseline)) {
    const base = baselineDistinct(samples.baseline as NumericSample, MAX_DISCRETE_VALUES);
    return categories.map((k) => {
      if (k === OTHER_VALUES) return `${rows(tests.discrete?.newValues ?? 0)} with values the baseline never had`;
      const i = base ? Array.from(base.values, valueCell).indexOf(k) : -1;
      return `vanished value ${k}${base && i >= 0 ? ` (${rows(base.counts[i])} in the baseline)` : ""}`;
    });
  }
  const b = samples.baseline as CategoricalSample;
  const c = samples.current as CategoricalSample;
  return categories.map((k) =>
    categoryCount(b.counts, k) === 0 ? `new category "${k}" (${rows(categoryCount(c.counts, k))})` : `vanished category "${k}" (${rows(categoryCount(b.counts, k))})`,
  );
}

/** Rules, severity and reason of one compared feature (its p-values already adjusted). */
export function decideFeature(
  comparison: NumericComparison | CategoricalComparison,
  samples: { baseline: FeatureSample; current: FeatureSample },
  t: DriftThresholds,
): FeatureDrift {
  const rules: DriftRule[] = [];
  const fired: string[] = [];
  const alsoSignificant: string[] = [];
  const quiet: string[] = [];
  const tests = comparison.tests;
  const significant = (p: number): boolean => p < t.pValue;
  const below = (p: number): string => `adjusted p = ${fmt(p)} < ${fmt(t.pValue)}`;
  const n2 = comparison.current.count;
  const discrete = tests.discrete !== undefined;

  const primary = comparison.type === "numerical" && !discrete ? tests.ks : tests.chiSquare;
  const testName = comparison.type === "numerical" ? (discrete ? `chi-square over ${tests.discrete!.values} value cells` : "KS") : "chi-square";
  if (primary === undefined) {
    quiet.push(`no non-missing values in ${comparison.baseline.count === 0 ? "baseline" : "current"} data`);
  } else {
    const adjusted = adjustedOf(primary);
    const psiText = `corrected PSI ${fmt(tests.psi?.corrected ?? 0)}`;
    if (significant(adjusted)) {
      const pText = `${testName} ${below(adjusted)}`;
      const practical: string[] = [];
      if (effectReaches(tests.psi?.corrected, t.psi)) practical.push(`${psiText} ≥ ${fmt(t.psi)}`);
      const w = tests.wasserstein?.normalized;
      const continuous = comparison.type === "numerical" && !discrete;
      if (continuous && effectReaches(w, t.wassersteinNormalized)) practical.push(`normalised Wasserstein ${fmt(w!)} ≥ ${fmt(t.wassersteinNormalized)}`);
      if (practical.length > 0) {
        rules.push(continuous ? DriftRule.numericalShift : discrete ? DriftRule.discreteShift : DriftRule.categoricalShift);
        fired.push(`${pText} and ${practical.join(" and ")}`);
      } else {
        const wText = continuous ? `, normalised Wasserstein ${w === null || w === undefined ? "n/a" : fmt(w)} < ${fmt(t.wassersteinNormalized)}` : "";
        alsoSignificant.push(`${pText} but the shift is negligible (${psiText} < ${fmt(t.psi)}${wText})`);
      }
    } else {
      quiet.push(`${testName} adjusted p = ${fmt(adjusted)} ≥ ${fmt(t.pValue)}`);
    }
  }

  const range = tests.outOfRange;
  const outside = range ? range.below + range.above : 0;
  if (range && outside > 0) {
    const what = `${outside} of ${n2} current values (${fmt(range.share)}) outside the baseline range [${fmt(range.baselineMin)}, ${fmt(range.baselineMax)}]${range.expected === undefined ? "" : `, ${fmt(range.expected)} expected by chance`}`;
    const enough = outside >= t.minCount && shareReaches(outside, n2, t.outOfRangeShare);
    if (range.pValue !== undefined && enough) {
      const adjusted = adjustedOf(range as Adjustable);
      if (significant(adjusted)) {
        rules.push(DriftRule.outOfRange);
        fired.push(`${what} (exact test ${below(adjusted)}; ≥ ${t.minCount} values, share ≥ ${fmt(t.outOfRangeShare)})`);
      } else quiet.push(`${what}, not significant (adjusted p = ${fmt(adjusted)})`);
    } else if (outside >= t.minCount || shareReaches(outside, n2, 0.01)) {
      quiet.push(`${what}, ${outside < t.minCount ? `fewer than ${t.minCount} values` : `share < ${fmt(t.outOfRangeShare)}`}`);
    }
  }

  const shift = tests.shareShift;
  if (shift) {
    const cell = !discrete ? `"${shift.category}"` : shift.category === OTHER_VALUES ? "values the baseline never had" : `value ${shift.category}`;
    const what = `share of ${cell} moved ${pct(shift.baseline)} → ${pct(shift.current)} (${points(shift.change)}, ≥ ${fmt(t.shareShift * 100)}${shift.candidates > 1 ? `; ${shift.candidates} cells moved that much` : ""})`;
    const adjusted = adjustedOf(shift);
    if (significant(adjusted)) {
      rules.push(DriftRule.shareShift);
      fired.push(`${what} (two-proportion test × ${shift.cells} cells, ${below(adjusted)})`);
    } else quiet.push(`${what}, not significant (adjusted p = ${fmt(adjusted)})`);
  }

  const change = tests.categoryChange;
  if (change) {
    const texts = changeTexts(change.categories, samples, tests);
    const shown = (texts.length > 3 ? [...texts.slice(0, 3), `${texts.length - 3} more`] : texts).join(", ");
    const adjusted = adjustedOf(change);
    if (significant(adjusted)) {
      rules.push(DriftRule.categoryChange);
      fired.push(`${shown} (${below(adjusted)})`);
    } else quiet.push(`${shown}, not significant (adjusted p = ${fmt(adjusted)})`);
  }

  const missing = tests.missingShare;
  if (missing) {
    const b = samples.baseline;
    const c = samples.current;
    const jump = shareChangeReaches(b.missing, b.count + b.missing, c.missing, c.count + c.missing, t.missingShareJump);
    const adjusted = adjustedOf(missing);
    const what = `missing share ${missing.change > 0 ? "rose" : "fell"} from ${fmt(missing.baseline)} to ${fmt(missing.current)}`;
    const how = `${missing.method === "fisher" ? "Fisher" : "two-proportion"} ${below(adjusted)}`;
    if (significant(adjusted) && jump) {
      rules.push(DriftRule.missingShareJump);
      fired.push(`${what} (change ≥ ${fmt(t.missingShareJump)}, ${how})`);
    } else if (significant(adjusted)) alsoSignificant.push(`${what} (${how}) but the change is < ${fmt(t.missingShareJump)}`);
    else if (jump) quiet.push(`${what}, not significant (adjusted p = ${fmt(adjusted)})`);
  }

  const drifted = rules.length > 0;
  const reason = drifted
    ? [...fired, ...(alsoSignificant.length > 0 ? [`also significant: ${alsoSignificant.join("; ")}`] : [])].join("; ")
    : `no drift: ${[...alsoSignificant, ...quiet].join("; ")}`;
  return {
    type: comparison.type,
    driftDetected: drifted,
    severity: severityOf(rules, tests, t, n2),
    reason,
    rulesFired: rules,
    comparable: true,
    baseline: comparison.baseline,
    current: comparison.current,
    tests,
    ...(comparison.type === "categorical" ? { newCategories: comparison.newCategories, missingCategories: comparison.missingCategories } : {}),
  };
}

/** The p-values of a feature that join the check's Benjamini–Hochberg family. */
export function adjustableTests(tests: FeatureTests, t: DriftThresholds, currentCount: number): Adjustable[] {
  const list: (Adjustable | undefined)[] = [tests.ks, tests.chiSquare, tests.categoryChange, tests.missingShare, tests.shareShift];
  const range = tests.outOfRange;
  // Like a category-change candidate, the out-of-range test joins the family once its effect gate is met
  // (≥ minCount values, share ≥ outOfRangeShare): below it the rule cannot fire, and a p ≡ 1 would only dilute.
  if (range?.pValue !== undefined) {
    const outside = range.below + range.above;
    if (outside >= t.minCount && shareReaches(outside, currentCount, t.outOfRangeShare)) list.push(range as Adjustable);
  }
  return list.filter((x): x is Adjustable => x !== undefined);
}
