/**
 * The values a metric can take when its name fixes its meaning: errors and losses are never negative,
 * rates and areas lie in [0, 1], R² is at most 1. Names are read like registered names (case, separators
 * and a split prefix such as `validation:` ignored: `validation:rmse`, `val_auc`, `F1-Score`). A name
 * this table does not know is free: any finite value.
 *
 * Used by the registry (registered metrics) and by performance batches (a request's baseline), so an
 * impossible baseline such as `rmse: -1` is refused instead of producing a meaningless degradation.
 */

/** The allowed range of each known meaning. */
const ranges = {
  error: { min: 0, rule: "is an error or loss: must be 0 or more" },
  unit: { min: 0, max: 1, rule: "is a rate or an area under a curve: must be between 0 and 1" },
  r2: { max: 1, rule: "is R²: must be at most 1" },
} as const;
type Meaning = keyof typeof ranges;

const meaningOf: ReadonlyMap<string, Meaning> = new Map<string, Meaning>([
  ...["rmse", "rootmeansquarederror", "mse", "meansquarederror", "mae", "meanabsoluteerror", "mape", "meanabsolutepercentageerror", "rmsle", "msle", "medae", "logloss", "crossentropy", "loss"].map(
    (n) => [n, "error"] as [string, Meaning],
  ),
  ...["accuracy", "acc", "precision", "recall", "f1", "f1score", "auc", "rocauc", "aucroc", "prauc", "aucpr"].map((n) => [n, "unit"] as [string, Meaning]),
  ...["r2", "r2score", "rsquared", "rsq"].map((n) => [n, "r2"] as [string, Meaning]),
]);

const splitPrefix = /^(validation|valid|val|test|evaluation|eval|training|train)[:/_.-]/;

/**
 * Why `value` is impossible for a metric named `name`, or undefined when it is possible (or the name is unknown).
 * @example
 * metricRangeProblem("validation:rmse", -1); // → "is an error or loss: must be 0 or more"
 * metricRangeProblem("auc", 0.93); // → undefined
 */
export function metricRangeProblem(name: string, value: number): string | undefined {
  let text = name.trim().toLowerCase();
  const m = splitPrefix.exec(text);
  if (m) text = text.slice(m[0].length);
  const meaning = meaningOf.get(text.replace(/[^a-z0-9]/g, ""));
  if (meaning === undefined) return undefined;
  const range: { min?: number; max?: number; rule: string } = ranges[meaning];
  if ((range.min !== undefined && value < range.min) || (range.max !== undefined && value > range.max)) return range.rule;
  return undefined;
}
