/**
 * The Model Monitor types the drift profile carries (an imported baseline keeps its constraints and each
 * feature's `inferred_type`): declared here, apart from the readers and writers of statistics.json and
 * constraints.json, which themselves read and write profiles (profile.ts).
 */

/** Model Monitor's column types. */
export const inferredTypes = ["Integral", "Fractional", "String", "Unknown"] as const;
export type InferredType = (typeof inferredTypes)[number];

/** The thresholds of `monitoring_config` (and of a feature's overrides). */
export interface MonitoringThresholds {
  readonly datatypeCheckThreshold: number;
  readonly domainContentThreshold: number;
  readonly performComparison: boolean;
  readonly comparisonThreshold: number;
  readonly comparisonMethod: "Simple" | "Robust";
  readonly categoricalComparisonThreshold: number;
  readonly categoricalDriftMethod: "LInfinity" | "ChiSquared";
}

/** One feature's constraints. */
export interface FeatureConstraints {
  readonly name: string;
  readonly inferredType: InferredType;
  readonly completeness?: number;
  readonly isNonNegative?: boolean;
  readonly domains?: string[];
  readonly overrides?: Partial<MonitoringThresholds>;
}

/** A constraints document, read or suggested. */
export interface MonitorConstraints {
  readonly origin: "imported" | "suggested";
  readonly features: FeatureConstraints[];
  readonly evaluateConstraints: boolean;
  readonly emitMetrics: boolean;
  readonly thresholds: MonitoringThresholds;
}
