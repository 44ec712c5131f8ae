/**
 * The live metrics of a set of batches by name — what a promotion gate reads when a version has no
 * registered value for the gated metric: the window's quality metrics (`accuracy`, `f1`, `auc`, `rmse`, …,
 * exact recombinations, see sufficient-stats.ts), `disparateImpact` and `tprGap` (fairness.ts) and
 * `latencyP50Ms` / `latencyP95Ms` (latency.ts). A metric the batches cannot give (no groups, no latencies,
 * null R²) is absent. Cost: that of the recombinations, O(b·k²) for b batches.
 */
import { combineFairness, fairnessFromStats, type FairnessStats } from "./fairness.js";
import { combineLatency, latencyFromSketch, type LatencySketch } from "./latency.js";
import { metricsOfTask } from "./metric-names.js";
import { combineStats, metricsFromStats, metricValue, type BatchStats } from "./sufficient-stats.js";

/** The names of the live metrics that are not quality metrics. */
export const LiveMetric = { disparateImpact: "disparateImpact", tprGap: "tprGap", latencyP50Ms: "latencyP50Ms", latencyP95Ms: "latencyP95Ms" } as const;
export type LiveMetric = (typeof LiveMetric)[keyof typeof LiveMetric];

/** Which way is better for each live metric that is not a quality metric. */
export const liveMetricDirection: Readonly<Record<LiveMetric, "lower" | "higher">> = {
  disparateImpact: "higher",
  tprGap: "lower",
  latencyP50Ms: "lower",
  latencyP95Ms: "lower",
};

/** The fields of a stored batch the live metrics read. */
export interface LiveBatch {
  readonly stats: BatchStats;
  readonly fairness?: FairnessStats | null;
  readonly latency?: LatencySketch | null;
}

/** Live metric name → value over `batches` (all of one task). Empty when there are none. */
export function liveMetrics(batches: readonly LiveBatch[]): Map<string, number> {
  const out = new Map<string, number>();
  if (batches.length === 0) return out;
  const stats = combineStats(batches.map((b) => b.stats));
  const metrics = metricsFromStats(stats);
  for (const name of metricsOfTask(stats.task)) {
    const v = metricValue(metrics, name);
    if (v !== undefined) out.set(name, v);
  }
  const fair = batches.map((b) => b.fairness).filter((f): f is FairnessStats => f !== undefined && f !== null);
  if (fair.length > 0) {
    const f = fairnessFromStats(combineFairness(fair));
    if (f.disparateImpact !== null) out.set(LiveMetric.disparateImpact, f.disparateImpact);
    if (f.tprGap !== null) out.set(LiveMetric.tprGap, f.tprGap);
  }
  const sketches = batches.map((b) => b.latency).filter((l): l is LatencySketch => l !== undefined && l !== null);
  if (sketches.length > 0) {
    const l = latencyFromSketch(combineLatency(sketches));
    out.set(LiveMetric.latencyP50Ms, l.p50);
    out.set(LiveMetric.latencyP95Ms, l.p95);
  }
  return out;
}
