/**
 * Side-by-side comparison of model versions' metrics. The first version is the baseline: every other
 * version gets an absolute delta (`value − baseline`) and a relative delta (`(value − baseline) / |baseline|`,
 * null when the baseline is 0 or a value is missing). The best version on the primary metric follows
 * the model's direction; ties go to the earlier version in the list.
 */
import { ValidationError } from "../errors.js";
import type { Direction } from "./gate.js";

/** One version's metrics. */
export interface VersionMetrics {
  readonly version: string;
  readonly metrics: Readonly<Record<string, number>>;
}

/** One metric across the compared versions. */
export interface MetricComparison {
  readonly name: string;
  readonly values: Record<string, number | null>;
  readonly deltas: Record<string, { absolute: number | null; relative: number | null }>;
  /** The version with the best value when this is the primary metric; omitted for others. */
  readonly best?: string | null;
}

/** The comparison answer. */
export interface VersionComparison {
  readonly baseline: string;
  readonly versions: string[];
  readonly primaryMetric: string;
  readonly direction: Direction;
  readonly metrics: MetricComparison[];
  readonly best: { readonly version: string; readonly value: number } | null;
}

/**
 * Compares versions' metrics against the first one.
 * @throws ValidationError when fewer than two versions are given.
 */
export function compareVersionMetrics(versions: readonly VersionMetrics[], primaryMetric: string, direction: Direction): VersionComparison {
  if (versions.length < 2) throw new ValidationError("compareVersionMetrics requires at least two versions");
  const baseline = versions[0];
  const names = [...new Set(versions.flatMap((v) => Object.keys(v.metrics)))].sort((a, b) =>
    a === primaryMetric ? -1 : b === primaryMetric ? 1 : a.localeCompare(b),
  );
  let best: { version: string; value: number } | null = null;
  for (const v of versions) {
    const value = v.metrics[primaryMetric];
    if (typeof value !== "number") continue;
    if (best === null || (direction === "higher" ? value > best.value : value < best.value)) best = { version: v.version, value };
  }
  const metrics = names.map((name) => {
    const base = baseline.metrics[name];
    const values: Record<string, number | null> = Object.create(null);
    const deltas: Record<string, { absolute: number | null; relative: number | null }> = Object.create(null);
    for (const v of versions) {
      const value = v.metrics[name];
      values[v.version] = typeof value === "number" ? value : null;
      if (v === baseline) continue;
      const absolute = typeof value === "number" && typeof base === "number" ? value - base : null;
      const relative = absolute !== null && base !== 0 ? absolute / Math.abs(base as number) : null;
      deltas[v.version] = { absolute, relative };
    }
    const entry: MetricComparison = { name, values, deltas };
    return name === primaryMetric ? { ...entry, best: best?.version ?? null } : entry;
  });
  return { baseline: baseline.version, versions: versions.map((v) => v.version), primaryMetric, direction, metrics, best };
}
