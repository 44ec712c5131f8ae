/**
 * The promotion gate: a staging version may replace the production version only when its primary
 * metric is no worse than production's, in the model's direction (`lower` or `higher` is better).
 * Equal values pass. With no production version the gate passes. A candidate without the primary
 * metric fails (nothing to compare); a production version without it lets the candidate pass.
 */

/** Which way the primary metric improves. */
export const Direction = { lower: "lower", higher: "higher" } as const;
export type Direction = (typeof Direction)[keyof typeof Direction];

/** Input of {@link evaluateGate}. */
export interface GateInput {
  readonly primaryMetric: string;
  readonly direction: Direction;
  readonly candidate: { readonly version: string; readonly metrics: Readonly<Record<string, number>> };
  /** The current production version; undefined when the model has none. */
  readonly production?: { readonly version: string; readonly metrics: Readonly<Record<string, number>> };
}

/** The gate's verdict, recorded with the promotion. */
export interface GateResult {
  readonly passed: boolean;
  readonly primaryMetric: string;
  readonly direction: Direction;
  readonly candidateValue: number | null;
  readonly productionVersion: string | null;
  readonly productionValue: number | null;
  readonly reason: string;
}

/** True when `a` is at least as good as `b` in `direction`. */
export function noWorse(a: number, b: number, direction: Direction): boolean {
  return direction === Direction.higher ? a >= b : a <= b;
}

/** Evaluates the gate for promoting `candidate` over `production`. */
export function evaluateGate(input: GateInput): GateResult {
  const { primaryMetric, direction, candidate, production } = input;
  const candidateValue = finiteOrNull(candidate.metrics[primaryMetric]);
  const base = { primaryMetric, direction, candidateValue, productionVersion: production?.version ?? null };
  if (!production) {
    return { ...base, passed: true, productionValue: null, reason: "no production version to compare with" };
  }
  const productionValue = finiteOrNull(production.metrics[primaryMetric]);
  if (candidateValue === null) {
    return { ...base, passed: false, productionValue, reason: `version ${candidate.version} has no ${primaryMetric} metric to compare with production` };
  }
  if (productionValue === null) {
    return { ...base, passed: true, productionValue, reason: `production version ${production.version} has no ${primaryMetric} metric` };
  }
  const passed = noWorse(candidateValue, productionValue, direction);
  const relation = passed ? "is no worse than" : "is worse than";
  return {
    ...base,
    passed,
    productionValue,
    reason: `${primaryMetric} ${candidateValue} of ${candidate.version} ${relation} ${productionValue} of production ${production.version} (${direction} is better)`,
  };
}

function finiteOrNull(x: number | undefined): number | null {
  return typeof x === "number" && Number.isFinite(x) ? x : null;
}
