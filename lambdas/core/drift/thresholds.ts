/**
 * The decision rule's thresholds and settings for one drift check, each configurable per check.
 *
 * One definition (`driftThresholdSpecs`) gives every threshold's default, allowed range and description; the
 * `DriftThresholds` type, `defaultDriftThresholds`, the API's request schema, the OpenAPI document and the docs
 * are all derived from it, so they cannot disagree.
 *
 * A numerical feature drifts when its Benjamini–Hochberg-adjusted KS p-value < `pValue` and the shift is
 * practically meaningful (PSI ≥ `psi` or normalised Wasserstein ≥ `wassersteinNormalized`). A categorical
 * feature drifts when its adjusted chi-square p < `pValue` and (PSI ≥ `psi` or a category holding
 * ≥ `categoryShare` of either sample appeared or vanished). Either type also drifts when its missing share
 * moves by ≥ `missingShareJump` (absolute). Severity comes from PSI: < `psiModerate` none,
 * < `psiHigh` moderate, else high.
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
  pValue: { default: 0.05, min: 0, max: 1, description: "Significance level for the BH-adjusted KS / chi-square p-value." },
  psi: { default: 0.1, min: 0, description: "Minimum PSI for a practically meaningful shift." },
  wassersteinNormalized: {
    default: 0.1,
    min: 0,
    description: "Minimum Wasserstein distance / baseline standard deviation for a meaningful shift.",
  },
  missingShareJump: { default: 0.05, min: 0, max: 1, description: "Absolute change in missing share that counts as drift on its own." },
  categoryShare: { default: 0.01, min: 0, max: 1, description: "Share of a sample above which a new or vanished category matters." },
  psiModerate: { default: 0.1, min: 0, description: "PSI from which severity is moderate." },
  psiHigh: { default: 0.25, min: 0, description: "PSI from which severity is high." },
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
