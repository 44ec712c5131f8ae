/**
 * The degradation rule's thresholds, configurable per model (stored) and per request (override).
 *
 * One definition (`performanceThresholdSpecs`) gives every threshold's default, allowed range, the metric and
 * rule it applies to, and its description; the `PerformanceThresholds` type, `defaultPerformanceThresholds`,
 * `thresholdOf`, `mergeThresholds`' checks, the API's request schema and docs/performance.md's table are all
 * derived from it, so they cannot disagree.
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
import { classificationMetricNames, type QualityMetric, regressionMetricNames } from "./metric-names.js";

/**
 * The tolerated degradation in percent — of RMSE and MAE by default, and of the primary metric for the stack's
 * performance-drift alarm (`alarmPerformanceDriftPercent`): one number, so the batch rule and the alarm agree.
 */
export const defaultDegradationPercent = 10;

/** How a rule compares a metric with its baseline. */
export type ThresholdRule = "increasePct" | "dropPoints" | "floor";

/** How one numerical threshold is described, bounded and defaulted. */
export interface NumberThresholdSpec {
  readonly kind: "number";
  /** The value used when neither the model nor the request sets it; null = the rule is off. */
  readonly default: number | null;
  /** Whether `null` (rule off) is allowed. */
  readonly nullable: boolean;
  /** Smallest allowed value (inclusive); unbounded below when absent. */
  readonly min?: number;
  /** Largest allowed value (inclusive); unbounded above when absent. */
  readonly max?: number;
  /** Whole numbers only. */
  readonly integer?: boolean;
  /** The metric this threshold judges, and how. */
  readonly rule?: { readonly metric: QualityMetric; readonly compare: ThresholdRule };
  /** One sentence for the API document and the docs. */
  readonly description: string;
}

/** The primary-metric choice: a metric name or null. */
export interface MetricThresholdSpec {
  readonly kind: "metric";
  readonly default: null;
  readonly nullable: true;
  readonly description: string;
}

export type PerformanceThresholdSpec = NumberThresholdSpec | MetricThresholdSpec;

const increase = (metric: QualityMetric, name: string, deflt: number | null, extra = ""): NumberThresholdSpec & { readonly nullable: true } => ({
  kind: "number",
  default: deflt,
  nullable: true,
  min: 0,
  rule: { metric, compare: "increasePct" },
  description: `Largest tolerated ${name} rise above the baseline, percent (relative)${extra}.`,
});
const drop = (metric: QualityMetric, name: string, deflt: number | null, extra = ""): NumberThresholdSpec & { readonly nullable: true } => ({
  kind: "number",
  default: deflt,
  nullable: true,
  min: 0,
  rule: { metric, compare: "dropPoints" },
  description: `Largest tolerated ${name} fall below the baseline, in percentage points${extra}.`,
});

/** Every performance threshold: the one source of their names, defaults, ranges and descriptions. */
export const performanceThresholdSpecs = {
  rmseIncreasePct: increase("rmse", "RMSE", defaultDegradationPercent),
  maeIncreasePct: increase("mae", "MAE", defaultDegradationPercent),
  mapeIncreasePct: increase("mape", "MAPE", null, " — MAPE is itself in percent"),
  r2Min: {
    kind: "number",
    default: 0.9,
    nullable: true,
    max: 1,
    rule: { metric: "r2", compare: "floor" },
    description: "Lowest tolerated R² — an absolute floor that applies even without a baseline.",
  },
  accuracyDropPoints: drop("accuracy", "accuracy", 5, " of the 0–1 metric (0.92 → 0.86 is 6 points)"),
  f1DropPoints: drop("f1", "F1", 5),
  precisionDropPoints: drop("precision", "precision", null),
  recallDropPoints: drop("recall", "recall", null),
  aucDropPoints: drop("auc", "AUC", null),
  minCount: {
    kind: "number",
    default: 1,
    nullable: false,
    min: 1,
    integer: true,
    description: "Fewest rows a batch needs to be judged; smaller batches are recorded but not judged (raise it for small ground-truth joins).",
  },
  highFactor: {
    kind: "number",
    default: 2,
    nullable: false,
    min: 1,
    description: "A change of at least this many times its threshold is severity high (R²: below 0.8 for the 0.9 floor and 2), otherwise moderate.",
  },
  primaryMetric: {
    kind: "metric",
    default: null,
    nullable: true,
    description:
      "The metric behind PerformanceDrift, the trend and the worst batches: this setting, else the model's registered primary metric when it is a metric of the batch's task, else rmse / accuracy.",
  },
} as const satisfies Record<string, PerformanceThresholdSpec>;

/** Names of the performance thresholds. */
export type PerformanceThresholdName = keyof typeof performanceThresholdSpecs;

/** A complete set of thresholds (see `performanceThresholdSpecs` for each one's meaning and default). */
export type PerformanceThresholds = {
  readonly [K in PerformanceThresholdName]: (typeof performanceThresholdSpecs)[K] extends MetricThresholdSpec
    ? QualityMetric | null
    : (typeof performanceThresholdSpecs)[K]["nullable"] extends true
      ? number | null
      : number;
};

/** The metrics `primaryMetric` may name. */
export const primaryMetricChoices = [...regressionMetricNames, ...classificationMetricNames] as const;

/** The defaults of every threshold. */
export const defaultPerformanceThresholds: PerformanceThresholds = Object.freeze(
  Object.fromEntries(Object.entries(performanceThresholdSpecs).map(([name, spec]) => [name, spec.default])) as unknown as PerformanceThresholds,
);

/** The rise/fall thresholds by metric, as `[threshold key, kind]`. */
export const thresholdOf: Readonly<Partial<Record<QualityMetric, { key: PerformanceThresholdName; kind: ThresholdRule }>>> = Object.freeze(
  Object.fromEntries(
    Object.entries(performanceThresholdSpecs).flatMap(([key, spec]: [string, PerformanceThresholdSpec]) =>
      spec.kind === "number" && spec.rule ? [[spec.rule.metric, { key: key as PerformanceThresholdName, kind: spec.rule.compare }]] : [],
    ),
  ),
);

/** A threshold's default in words: its number, "off" for a rule off by default, "the model's" for the primary metric. */
export function thresholdDefaultText(spec: PerformanceThresholdSpec): string {
  if (spec.default !== null) return String(spec.default);
  return spec.kind === "metric" ? "the model's" : "off";
}

/** Why a value breaks its spec, or undefined when it is allowed. */
function thresholdProblem(spec: PerformanceThresholdSpec, value: unknown): string | undefined {
  if (value === null) return spec.nullable ? undefined : "cannot be null";
  if (spec.kind === "metric") return typeof value === "string" && (primaryMetricChoices as readonly string[]).includes(value) ? undefined : `must be one of ${primaryMetricChoices.join(", ")}`;
  if (typeof value !== "number" || !Number.isFinite(value)) return "must be a finite number";
  if (spec.min !== undefined && value < spec.min) return `must be at least ${spec.min}`;
  if (spec.max !== undefined && value > spec.max) return `must be at most ${spec.max}`;
  if (spec.integer && !Number.isInteger(value)) return "must be an integer";
  return undefined;
}

/**
 * Layers partial settings over the defaults, later layers winning; `undefined` keeps the value below it,
 * `null` turns a rule off. Each value is checked against its spec (stored thresholds were checked by the
 * request schema when written; this guards the values a caller builds itself).
 * @throws {ValidationError} naming the first threshold outside its spec, e.g. `thresholds.highFactor must be at least 1`.
 */
export function mergeThresholds(...layers: ReadonlyArray<Partial<PerformanceThresholds> | undefined>): PerformanceThresholds {
  const merged: Record<string, unknown> = { ...defaultPerformanceThresholds };
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      // Own keys only: "toString" or "constructor" is not a threshold.
      if (value !== undefined && Object.hasOwn(performanceThresholdSpecs, key)) merged[key] = value;
    }
  }
  for (const [key, spec] of Object.entries(performanceThresholdSpecs) as Array<[string, PerformanceThresholdSpec]>) {
    const problem = thresholdProblem(spec, merged[key]);
    if (problem) throw new ValidationError(`thresholds.${key} ${problem}`);
  }
  return merged as unknown as PerformanceThresholds;
}
