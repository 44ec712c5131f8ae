/**
 * The decision rule's thresholds and settings for one drift check, each configurable per check.
 *
 * A numerical feature drifts when its Benjamini–Hochberg-adjusted KS p-value < `pValue` and the shift is
 * practically meaningful (PSI ≥ `psi` or normalised Wasserstein ≥ `wassersteinNormalized`). A categorical
 * feature drifts when its adjusted chi-square p < `pValue` and (PSI ≥ `psi` or a category holding
 * ≥ `categoryShare` of either sample appeared or vanished). Either type also drifts when its missing share
 * moves by ≥ `missingShareJump` (absolute). Severity comes from PSI: < `psiModerate` none,
 * < `psiHigh` moderate, else high.
 */
export interface DriftThresholds {
  /** Significance level for the BH-adjusted KS / chi-square p-value. @default 0.05 */
  readonly pValue: number;
  /** Minimum PSI for a practically meaningful shift. @default 0.1 */
  readonly psi: number;
  /** Minimum Wasserstein distance / baseline standard deviation for a meaningful shift. @default 0.1 */
  readonly wassersteinNormalized: number;
  /** Absolute change in missing share that counts as drift on its own. @default 0.05 */
  readonly missingShareJump: number;
  /** Share of a sample above which a new or vanished category matters. @default 0.01 */
  readonly categoryShare: number;
  /** PSI from which severity is moderate. @default 0.1 */
  readonly psiModerate: number;
  /** PSI from which severity is high. @default 0.25 */
  readonly psiHigh: number;
  /** Number of quantile bins for numerical PSI and Jensen–Shannon. @default 10 */
  readonly psiBins: number;
}

export const defaultDriftThresholds: DriftThresholds = {
  pValue: 0.05,
  psi: 0.1,
  wassersteinNormalized: 0.1,
  missingShareJump: 0.05,
  categoryShare: 0.01,
  psiModerate: 0.1,
  psiHigh: 0.25,
  psiBins: 10,
} as const;
