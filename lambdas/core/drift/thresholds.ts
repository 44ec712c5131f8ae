/**
 * The decision rule's thresholds and settings for one drift check, each configurable per check.
 *
 * One definition (`driftThresholdSpecs`) gives every threshold's default, allowed range and description; the
 * `DriftThresholds` type, `defaultDriftThresholds`, the API's request schema, the OpenAPI document and the docs
 * are all derived from it, so they cannot disagree.
 *
 * Every rule (report.ts) pairs a significance test — its p-value adjusted by Benjamini–Hochberg together with
 * every other test of the check, compared with `pValue` — with an effect size that must reach its threshold:
 * numerical shift (KS; noise-corrected PSI ≥ `psi` or robust normalised Wasserstein ≥ `wassersteinNormalized`),
 * out-of-range values (its own exact test; ≥ `minCount` values and share ≥ `outOfRangeShare`), categorical or discrete shift
 * (chi-square over pooled cells; noise-corrected PSI ≥ `psi`), share shift (one cell's share moves ≥ `shareShift`), category change (a one-sided category with ≥ `minCount` rows and
 * ≥ `categoryShare` of its sample), missing share (two-proportion test; |change| ≥ `missingShareJump`).
 * Severity of a drifted feature: high when its corrected PSI ≥ `psiHigh`, the feature vanished from the
 * current data, or at least half of its current values are outside the baseline's range; otherwise moderate.
 */

/** How one threshold is described, bounded and defaulted. */
export interface DriftThresholdSpec {
  /** The value used when a check does not set it. */
  readonly default: number;
  /** Smallest allowed value (inclusive). */
  readonly min: number;
  /** Largest allowed value (inclusive); unbounded when absent. */
  readonly max?: number;
  /** Whole numbers only. @default false */
  readonly integer?: boolean;
  /** One sentence for the API document and the docs. */
  readonly description: string;
}

/** Every drift threshold: the one source of their names, defaults, ranges and descriptions. */
export const driftThresholdSpecs = {
  pValue: {
    default: 0.05,
    min: 0,
    max: 1,
    description:
      "Significance level for every Benjamini–Hochberg-adjusted p-value of the check (KS, chi-square, missing share, category change, out-of-range, share shift).",
  },
  psi: { default: 0.1, min: 0, description: "Minimum noise-corrected PSI (pooled PSI − (cells − 1)(1/n₁ + 1/n₂)) for a practically meaningful shift." },
  wassersteinNormalized: {
    default: 0.1,
    min: 0,
    description: "Minimum Wasserstein distance / robust baseline scale (min of standard deviation and IQR/1.349) for a meaningful numerical shift.",
  },
  missingShareJump: { default: 0.05, min: 0, max: 1, description: "Minimum absolute change in missing share for the (significant) missing-share rule." },
  categoryShare: { default: 0.01, min: 0, max: 1, description: "Minimum share of its sample for a new or vanished category to count." },
  minCount: {
    default: 5,
    min: 1,
    integer: true,
    description: "Minimum rows behind a new or vanished category, or behind the current values outside the baseline's range, for those rules to count.",
  },
  outOfRangeShare: {
    default: 0.001,
    min: 0,
    max: 1,
    description:
      "Minimum share of current values outside the baseline's [min, max] for the out-of-range rule (its own exact test against the 2n₂/(n₁ + 1) values expected outside by chance).",
  },
  shareShift: {
    default: 0.03,
    min: 0,
    max: 1,
    description:
      "Minimum move of one category's (or discrete value's) share, baseline → current, for the share-shift rule (significant after Bonferroni over the cells and Benjamini–Hochberg across the check).",
  },
  discreteValues: {
    default: 20,
    min: 2,
    max: 100,
    integer: true,
    description:
      "A numerical feature with at most this many distinct baseline values (binary ones always) is compared on its value counts (chi-square, PSI and Jensen–Shannon over the values as cells) instead of KS and quantile bins.",
  },
  psiHigh: { default: 0.25, min: 0, description: "Noise-corrected PSI from which a drifted feature's severity is high." },
  psiBins: { default: 10, min: 2, max: 100, integer: true, description: "Number of quantile bins for numerical PSI and Jensen–Shannon." },
} as const satisfies Record<string, DriftThresholdSpec>;

/** Names of the drift thresholds. */
export type DriftThresholdName = keyof typeof driftThresholdSpecs;

/** A complete set of thresholds (see `driftThresholdSpecs` for each one's meaning and default). */
export type DriftThresholds = { readonly [K in DriftThresholdName]: number };

/** The defaults of every threshold. */
export const defaultDriftThresholds: DriftThresholds = Object.freeze(
  Object.fromEntries(Object.entries(driftThresholdSpecs).map(([name, spec]) => [name, spec.default])) as DriftThresholds,
);
