/**
 * The canonical names of the quality metrics performance tracking compares, which way is better for each,
 * and how a registered metric name (`validation:rmse`, `test_accuracy`, `r2_score`, `F1`) maps onto them.
 *
 * A registered name is normalised by lower-casing, splitting off a data-split prefix (`train`, `validation`,
 * `val`, `test`, `eval`, … followed by `:`, `/`, `_`, `.` or `-`) and dropping every other non-alphanumeric
 * character; the remainder is looked up in an alias table. When several registered names map to the same
 * metric, the unprefixed one wins, then validation, then test/eval, then train. Cost: O(m) for m names.
 */

/** Metrics of a regression batch. */
export const regressionMetricNames = ["rmse", "mae", "mape", "r2"] as const;
/** Metrics of a classification batch. */
export const classificationMetricNames = ["accuracy", "precision", "recall", "f1", "auc", "logLoss"] as const;

export type RegressionMetricName = (typeof regressionMetricNames)[number];
export type ClassificationMetricName = (typeof classificationMetricNames)[number];
export type QualityMetric = RegressionMetricName | ClassificationMetricName;

/** The two kinds of batch. */
export type Task = "regression" | "classification";

/** Whether a lower or a higher value is better. */
export type MetricDirection = "lower" | "higher";

/** Which way is better for each metric. */
export const metricDirection: Readonly<Record<QualityMetric, MetricDirection>> = {
  rmse: "lower",
  mae: "lower",
  mape: "lower",
  r2: "higher",
  accuracy: "higher",
  precision: "higher",
  recall: "higher",
  f1: "higher",
  auc: "higher",
  logLoss: "lower",
};

/** The metrics a task's batches have. */
export function metricsOfTask(task: Task): readonly QualityMetric[] {
  return task === "regression" ? regressionMetricNames : classificationMetricNames;
}

/** The primary metric when neither the model nor its thresholds name one. */
export const defaultPrimaryMetric: Readonly<Record<Task, QualityMetric>> = { regression: "rmse", classification: "accuracy" };

// A Map, not an object literal: a registered name such as "constructor" must not find Object's members.
const aliases: ReadonlyMap<string, QualityMetric> = new Map(Object.entries({
  rmse: "rmse",
  rootmeansquarederror: "rmse",
  mae: "mae",
  meanabsoluteerror: "mae",
  mape: "mape",
  meanabsolutepercentageerror: "mape",
  r2: "r2",
  r2score: "r2",
  rsquared: "r2",
  rsq: "r2",
  accuracy: "accuracy",
  acc: "accuracy",
  precision: "precision",
  recall: "recall",
  f1: "f1",
  f1score: "f1",
  auc: "auc",
  rocauc: "auc",
  aucroc: "auc",
  logloss: "logLoss",
  crossentropy: "logLoss",
} satisfies Record<string, QualityMetric>)) as ReadonlyMap<string, QualityMetric>;

const splitRank: Readonly<Record<string, number>> = { "": 0, validation: 1, valid: 1, val: 1, test: 2, eval: 2, evaluation: 2, train: 3, training: 3 };
const splitPrefix = /^(validation|valid|val|test|evaluation|eval|training|train)[:/_.-]/;

/** The canonical metric a registered name means, and the data split it names; undefined when unknown. */
export function canonicalMetric(name: string): { metric: QualityMetric; split: string } | undefined {
  let text = name.trim().toLowerCase();
  let split = "";
  const m = splitPrefix.exec(text);
  if (m) {
    split = m[1];
    text = text.slice(m[0].length);
  }
  const metric = aliases.get(text.replace(/[^a-z0-9]/g, ""));
  return metric ? { metric, split } : undefined;
}

/** Baseline values by canonical metric, with the registered name each came from. */
export interface CanonicalBaseline {
  readonly values: Partial<Record<QualityMetric, number>>;
  readonly sourceNames: Partial<Record<QualityMetric, string>>;
}

/**
 * Maps registered metrics onto canonical names (see the file comment for the preference order).
 * Non-finite values and unknown names are ignored.
 * @example
 * canonicalBaseline({ "train:rmse": 0.5, "validation:rmse": 0.8, "r2_score": 0.93 }).values; // → { rmse: 0.8, r2: 0.93 }
 */
export function canonicalBaseline(metrics: Readonly<Record<string, number>>): CanonicalBaseline {
  const values: Partial<Record<QualityMetric, number>> = {};
  const sourceNames: Partial<Record<QualityMetric, string>> = {};
  const ranks: Partial<Record<QualityMetric, number>> = {};
  for (const [name, value] of Object.entries(metrics)) {
    if (typeof value !== "number" || !Number.isFinite(value)) continue;
    const found = canonicalMetric(name);
    if (!found) continue;
    const rank = splitRank[found.split] ?? 4;
    const previous = ranks[found.metric];
    if (previous === undefined || rank < previous) {
      values[found.metric] = value;
      sourceNames[found.metric] = name;
      ranks[found.metric] = rank;
    }
  }
  return { values, sourceNames };
}
