/**
 * The degradation rule's thresholds, configurable per model (stored) and per request (override).
 *
 * Against the version's baseline: RMSE, MAE or MAPE degrade when they rise by more than their percentage
 * (relative change, (current − baseline)/baseline·100); accuracy, precision, recall, F1 or AUC degrade when
 * they fall by more than their points (percentage points of a 0–1 metric, (baseline − current)·100).
 * R² degrades when it is below `r2Min` — an absolute floor that needs no baseline. `null` turns a rule off.
 * A batch with fewer than `minCount` rows is recorded but not judged.
 * Severity is `high` when a change is at least `highFactor` times its threshold (for R²: when it is below
 * the floor by at least `highFactor − 1` times the floor's distance from 1, i.e. below 0.8 for 0.9 and 2),
 * otherwise `moderate`.
 */
import { ValidationError } from "../errors.js";
import type { QualityMetric } from "./metric-names.js";

export interface PerformanceThresholds {
  /** Largest tolerated RMSE rise, percent. @default 10 */
  readonly rmseIncreasePct: number | null;
  /** Largest tolerated MAE rise, percent. @default 10 */
  readonly maeIncreasePct: number | null;
  /** Largest tolerated MAPE rise, percent (relative). @default null (off) */
  readonly mapeIncreasePct: number | null;
  /** Lowest tolerated R². @default 0.9 */
  readonly r2Min: number | null;
  /** Largest tolerated accuracy fall, percentage points. @default 5 */
  readonly accuracyDropPoints: number | null;
  /** Largest tolerated F1 fall, percentage points. @default 5 */
  readonly f1DropPoints: number | null;
  /** Largest tolerated precision fall, percentage points. @default null (off) */
  readonly precisionDropPoints: number | null;
  /** Largest tolerated recall fall, percentage points. @default null (off) */
  readonly recallDropPoints: number | null;
  /** Largest tolerated AUC fall, percentage points. @default null (off) */
  readonly aucDropPoints: number | null;
  /** Fewest rows a batch needs to be judged. @default 1 */
  readonly minCount: number;
  /** A change this many times its threshold is `high` severity. @default 2 */
  readonly highFactor: number;
  /** The metric behind `PerformanceDrift` and the report's trend; null = the model's registered primary metric. @default null */
  readonly primaryMetric: QualityMetric | null;
}

export const defaultPerformanceThresholds: PerformanceThresholds = {
  rmseIncreasePct: 10,
  maeIncreasePct: 10,
  mapeIncreasePct: null,
  r2Min: 0.9,
  accuracyDropPoints: 5,
  f1DropPoints: 5,
  precisionDropPoints: null,
  recallDropPoints: null,
  aucDropPoints: null,
  minCount: 1,
  highFactor: 2,
  primaryMetric: null,
};

/** The rise/fall thresholds by metric, as `[threshold key, kind]`. */
export const thresholdOf: Readonly<Partial<Record<QualityMetric, { key: keyof PerformanceThresholds; kind: "increasePct" | "dropPoints" | "floor" }>>> = {
  rmse: { key: "rmseIncreasePct", kind: "increasePct" },
  mae: { key: "maeIncreasePct", kind: "increasePct" },
  mape: { key: "mapeIncreasePct", kind: "increasePct" },
  r2: { key: "r2Min", kind: "floor" },
  accuracy: { key: "accuracyDropPoints", kind: "dropPoints" },
  f1: { key: "f1DropPoints", kind: "dropPoints" },
  precision: { key: "precisionDropPoints", kind: "dropPoints" },
  recall: { key: "recallDropPoints", kind: "dropPoints" },
  auc: { key: "aucDropPoints", kind: "dropPoints" },
};

/**
 * Layers partial settings over the defaults, later layers winning; `undefined` keeps the value below it,
 * `null` turns a rule off.
 * @throws {ValidationError} when a value is negative or not finite, `highFactor` < 1, or `r2Min` > 1.
 */
export function mergeThresholds(...layers: ReadonlyArray<Partial<PerformanceThresholds> | undefined>): PerformanceThresholds {
  const merged: Record<string, unknown> = { ...defaultPerformanceThresholds };
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      // Own keys only: "toString" or "constructor" is not a threshold.
      if (value !== undefined && Object.hasOwn(defaultPerformanceThresholds, key)) merged[key] = value;
    }
  }
  const result = merged as unknown as PerformanceThresholds;
  for (const [key, value] of Object.entries(result)) {
    if (key === "primaryMetric" || value === null) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || (key !== "r2Min" && value < 0)) {
      throw new ValidationError(`thresholds.${key} must be a finite non-negative number or null`);
    }
  }
  if (result.highFactor < 1) throw new ValidationError("thresholds.highFactor must be at least 1");
  if (result.r2Min !== null && result.r2Min > 1) throw new ValidationError("thresholds.r2Min must be at most 1");
  if (result.minCount === null) throw new ValidationError("thresholds.minCount cannot be null");
  return result;
}
