/**
 * Model drift of one batch: its metrics against the version's baseline under the thresholds
 * (`PerformanceThresholds`), and the `PerformanceDrift` figure — the percent change of the primary metric
 * against its baseline, (current − baseline)/|baseline|·100, signed as the metric moves (a positive value
 * is a rise: worse for RMSE, better for accuracy; `worse` says which), and `degradationPct`, the same change
 * oriented so that positive always means worse — the value published as the `PerformanceDrift` metric, so
 * one alarm threshold ("more than 10 % worse") serves lower-is-better and higher-is-better metrics alike.
 * Each finding names the metric, both values, the change, the threshold and a sentence a person reads.
 * Cost: O(number of metrics).
 */
import { metricDirection, type QualityMetric, type Task, metricsOfTask } from "./metric-names.js";
import { type PerformanceThresholds, thresholdOf } from "./thresholds.js";

export type DegradationSeverity = "none" | "moderate" | "high";

/** One metric that degraded beyond its threshold. */
export interface DegradationFinding {
  readonly metric: QualityMetric;
  /** The baseline value (the floor for the R² rule when no baseline R² is known). */
  readonly baseline: number | null;
  readonly current: number;
  /**
   * Rise in percent (`increasePct`), fall in points (`dropPoints`), or shortfall below the floor (`floor`);
   * null for a rise from a baseline of exactly 0 (no relative change exists).
   */
  readonly change: number | null;
  readonly rule: "increasePct" | "dropPoints" | "floor";
  readonly threshold: number;
  readonly severity: "moderate" | "high";
  readonly message: string;
}

/** The judgement of one batch. */
export interface DegradationResult {
  /** False when the batch was too small or there was nothing to compare with. */
  readonly checked: boolean;
  readonly reason?: string;
  readonly degraded: boolean;
  readonly severity: DegradationSeverity;
  readonly findings: DegradationFinding[];
}

/** The primary metric's change against its baseline. */
export interface PerformanceDrift {
  readonly metric: QualityMetric;
  readonly baseline: number;
  readonly current: number;
  /** (current − baseline)/|baseline|·100. */
  readonly changePct: number;
  /** True when the change is in the worse direction for this metric. */
  readonly worse: boolean;
  /** `changePct` oriented so positive = worse (RMSE +12 % → 12; accuracy 0.90 → 0.81 → 10). */
  readonly degradationPct: number;
}

const fmt = (x: number): string => (Math.abs(x) >= 1000 || (Math.abs(x) < 0.001 && x !== 0) ? x.toExponential(3) : Number(x.toPrecision(4)).toString());

/**
 * Judges a batch.
 * @param task the batch's task (only its metrics are judged)
 * @param current the batch's metrics by canonical name (null/undefined = not available)
 * @param baseline baseline values by canonical name
 * @param thresholds merged thresholds
 * @param count the batch's rows
 */
export function evaluateDegradation(
  task: Task,
  current: Readonly<Partial<Record<QualityMetric, number | null>>>,
  baseline: Readonly<Partial<Record<QualityMetric, number>>>,
  thresholds: PerformanceThresholds,
  count: number,
): DegradationResult {
  if (count < thresholds.minCount) {
    return { checked: false, reason: `batch of ${count} rows is below thresholds.minCount ${thresholds.minCount}`, degraded: false, severity: "none", findings: [] };
  }
  const findings: DegradationFinding[] = [];
  let compared = 0;
  // metrics that have a value and a baseline but whose rule is switched off: named when nothing was compared
  const off: string[] = [];
  for (const metric of metricsOfTask(task)) {
    const rule = thresholdOf[metric];
    const value = current[metric];
    if (!rule || value === null || value === undefined || !Number.isFinite(value)) continue;
    const threshold = thresholds[rule.key] as number | null;
    if (threshold === null) {
      if (baseline[metric] !== undefined) off.push(`${metric} (thresholds.${rule.key} is off)`);
      continue;
    }
    const base = baseline[metric];
    if (rule.kind === "floor") {
      compared++;
      if (value < threshold) {
        const shortfall = threshold - value;
        const high = shortfall >= (thresholds.highFactor - 1) * (1 - threshold) && thresholds.highFactor > 1;
        findings.push({
          metric,
          baseline: base ?? null,
          current: value,
          change: shortfall,
          rule: rule.kind,
          threshold,
          severity: high ? "high" : "moderate",
          message: `${metric} is ${fmt(value)}, below the floor ${fmt(threshold)}${base !== undefined ? ` (baseline ${fmt(base)})` : ""}`,
        });
      }
      continue;
    }
    if (base === undefined || !Number.isFinite(base)) continue;
    compared++;
    if (rule.kind === "increasePct") {
      if (base <= 0) {
        // A perfect baseline (error 0) has no relative change; any error at all is reported as a rise.
        if (value > 0 && base === 0) {
          findings.push({ metric, baseline: base, current: value, change: null, rule: rule.kind, threshold, severity: "high", message: `${metric} rose from 0 to ${fmt(value)}` });
        }
        continue;
      }
      const rise = ((value - base) / base) * 100;
      if (rise > threshold) {
        findings.push({
          metric,
          baseline: base,
          current: value,
          change: rise,
          rule: rule.kind,
          threshold,
          severity: rise >= thresholds.highFactor * threshold ? "high" : "moderate",
          message: `${metric} rose ${rise.toFixed(1)} % (${fmt(base)} → ${fmt(value)}; threshold +${fmt(threshold)} %)`,
        });
      }
    } else {
      const fall = (base - value) * 100;
      if (fall > threshold) {
        findings.push({
          metric,
          baseline: base,
          current: value,
          change: fall,
          rule: rule.kind,
          threshold,
          severity: fall >= thresholds.highFactor * threshold ? "high" : "moderate",
          message: `${metric} fell ${fall.toFixed(1)} points (${fmt(base)} → ${fmt(value)}; threshold ${fmt(threshold)} points)`,
        });
      }
    }
  }
  const degraded = findings.length > 0;
  const severity: DegradationSeverity = !degraded ? "none" : findings.some((f) => f.severity === "high") ? "high" : "moderate";
  if (compared === 0) {
    const reason = off.length > 0 ? `no rule applies: the baseline has ${off.join(", ")}; set a threshold to judge it` : "no baseline metric to compare with and no absolute rule applies";
    return { checked: false, reason, degraded: false, severity: "none", findings: [] };
  }
  return { checked: true, degraded, severity, findings };
}

/** The primary metric's percent change against its baseline; undefined when either is missing or the baseline is 0. */
export function performanceDrift(
  metric: QualityMetric,
  current: Readonly<Partial<Record<QualityMetric, number | null>>>,
  baseline: Readonly<Partial<Record<QualityMetric, number>>>,
): PerformanceDrift | undefined {
  const value = current[metric];
  const base = baseline[metric];
  if (value === null || value === undefined || base === undefined || base === 0 || !Number.isFinite(value) || !Number.isFinite(base)) return undefined;
  const changePct = ((value - base) / Math.abs(base)) * 100;
  const lowerIsBetter = metricDirection[metric] === "lower";
  const worse = lowerIsBetter ? value > base : value < base;
  const degradationPct = lowerIsBetter ? changePct : -changePct;
  return { metric, baseline: base, current: value, changePct, worse, degradationPct: degradationPct === 0 ? 0 : degradationPct };
}
