/**
 * A model's promotion policy: gates on any number of metrics, the stages that need a second person's
 * approval, and how many versions to keep.
 *
 * Gates apply to promotions into production. Each gate reads one metric of the candidate — its registered
 * value, else the live value of its latest performance window — and checks `min` (value ≥ min), `max`
 * (value ≤ max) and `notWorseThanProduction` (no worse than the production version's value of the same
 * metric, in the metric's direction; passes when there is no production version or it has no value, as the
 * primary-metric gate does). A candidate without a value fails every rule of that gate. Every gate is
 * evaluated, so a refusal lists all the failed ones. A policy without gates keeps the primary-metric gate
 * (gate.ts).
 *
 * Retention: the versions beyond the newest `keepLast` (by version number, whatever their stage) that are in
 * development or staging and hold no alias are archived; production, archived and aliased versions are
 * never chosen.
 */
import { metricDirection, type QualityMetric } from "../performance/metric-names.js";
import { liveMetricDirection, type LiveMetric } from "../performance/live-metrics.js";
import type { FailedGate } from "../errors.js";
import { noWorse, type Direction } from "./gate.js";
import { Stage } from "./stages.js";

/** One gate of a policy. */
export interface PolicyGate {
  readonly metric: string;
  readonly min?: number;
  readonly max?: number;
  readonly notWorseThanProduction?: boolean;
  /** Which way is better, for notWorseThanProduction. @default the model's direction for its primary metric, else the metric's known direction */
  readonly direction?: Direction;
}

/** A model's promotion policy. */
export interface PromotionPolicy {
  readonly gates: readonly PolicyGate[];
  /** Stages whose promotions need approval by a second principal. */
  readonly requireApproval: readonly Stage[];
  readonly retention: { readonly keepLast: number } | null;
}

/** Where a gate's value came from. */
export type MetricSource = "registered" | "live";

/** A metric value and where it came from. */
export interface SourcedValue {
  readonly value: number;
  readonly source: MetricSource;
}

/** Reads one metric of a version (registered first, then live). */
export type MetricLookup = (metric: string) => SourcedValue | undefined;

/** One evaluated gate. */
export interface GateCheck {
  readonly metric: string;
  /** The gate as text, e.g. `min 0.8, max 1.25`, `notWorseThanProduction`. */
  readonly gate: string;
  readonly value: number | null;
  readonly source: MetricSource | null;
  readonly passed: boolean;
  /** The rule(s) that failed (the whole gate when the value is missing); empty when passed. */
  readonly rule: string;
  readonly reason: string;
  readonly productionValue?: number | null;
}

/** The verdict of a policy's gates. */
export interface PolicyGateResult {
  readonly policy: true;
  readonly passed: boolean;
  readonly productionVersion: string | null;
  readonly checks: GateCheck[];
  readonly failed: FailedGate[];
  readonly reason: string;
}

/** The direction of a gate's metric for notWorseThanProduction, or undefined when it cannot be known. */
export function gateDirection(gate: PolicyGate, primaryMetric: string, modelDirection: Direction): Direction | undefined {
  if (gate.direction) return gate.direction;
  if (gate.metric === primaryMetric) return modelDirection;
  return (metricDirection as Record<string, Direction | undefined>)[gate.metric as QualityMetric] ?? (liveMetricDirection as Record<string, Direction | undefined>)[gate.metric as LiveMetric];
}

/** A gate as text. */
export function describeGate(gate: PolicyGate): string {
  const parts: string[] = [];
  if (gate.min !== undefined) parts.push(`min ${gate.min}`);
  if (gate.max !== undefined) parts.push(`max ${gate.max}`);
  if (gate.notWorseThanProduction) parts.push("notWorseThanProduction");
  return parts.join(", ");
}

/**
 * Evaluates every gate of a policy for promoting `candidate` to production.
 * @param primary the model's primary metric and direction (the default direction of its gates)
 */
export function evaluatePolicyGates(
  gates: readonly PolicyGate[],
  candidate: { readonly version: string; readonly lookup: MetricLookup },
  production: { readonly version: string; readonly lookup: MetricLookup } | undefined,
  primary: { readonly metric: string; readonly direction: Direction },
): PolicyGateResult {
  const checks = gates.map((gate): GateCheck => {
    const found = candidate.lookup(gate.metric);
    const text = describeGate(gate);
    if (!found) {
      return { metric: gate.metric, gate: text, value: null, source: null, passed: false, rule: text, reason: `version ${candidate.version} has no ${gate.metric} (neither registered nor in its latest performance window)` };
    }
    const failed: string[] = [];
    const reasons: string[] = [];
    if (gate.min !== undefined && !(found.value >= gate.min)) failed.push(`min ${gate.min}`);
    if (gate.max !== undefined && !(found.value <= gate.max)) failed.push(`max ${gate.max}`);
    let productionValue: number | null | undefined;
    if (gate.notWorseThanProduction) {
      const direction = gateDirection(gate, primary.metric, primary.direction) ?? primary.direction;
      const prod = production?.lookup(gate.metric);
      productionValue = production ? (prod?.value ?? null) : null;
      if (!production) reasons.push("no production version to compare with");
      else if (!prod) reasons.push(`production version ${production.version} has no ${gate.metric}`);
      else if (!noWorse(found.value, prod.value, direction)) {
        failed.push("notWorseThanProduction");
        reasons.push(`${found.value} is worse than ${prod.value} of production ${production.version} (${direction} is better)`);
      } else reasons.push(`${found.value} is no worse than ${prod.value} of production ${production.version} (${direction} is better)`);
    }
    const passed = failed.length === 0;
    const head = `${gate.metric} ${found.value} (${found.source}) ${passed ? "passes" : "fails"} ${passed ? text : failed.join(", ")}`;
    return {
      metric: gate.metric,
      gate: text,
      value: found.value,
      source: found.source,
      passed,
      rule: failed.join(", "),
      reason: reasons.length > 0 ? `${head}: ${reasons.join("; ")}` : head,
      ...(productionValue !== undefined ? { productionValue } : {}),
    };
  });
  const failed = checks.filter((c) => !c.passed).map((c) => ({ metric: c.metric, value: c.value, rule: c.rule }));
  const passed = failed.length === 0;
  const reason = passed
    ? `all ${checks.length} policy gates passed`
    : `${failed.length} of ${checks.length} policy gates failed: ${failed.map((f) => `${f.metric} = ${f.value === null ? "none" : f.value} (${f.rule})`).join("; ")}`;
  return { policy: true, passed, productionVersion: production?.version ?? null, checks, failed, reason };
}

/** A version as retention sees it. */
export interface RetentionCandidate {
  readonly version: string;
  readonly stage: Stage;
  readonly aliases: readonly string[];
}

/**
 * The versions retention archives.
 * @param newestFirst every version of the model, highest version first
 */
export function retentionVictims(newestFirst: readonly RetentionCandidate[], keepLast: number): string[] {
  return newestFirst
    .slice(Math.max(0, keepLast))
    .filter((v) => (v.stage === Stage.development || v.stage === Stage.staging) && v.aliases.length === 0)
    .map((v) => v.version);
}
