/**
 * The performance report of a window: overall metrics, per-day aggregates (UTC days), the trend of the
 * primary metric and the worst batches — and the side-by-side comparison of versions over one window.
 *
 * Overall and per-day metrics recombine the batches' sufficient statistics (`combineStats`), so they are
 * exact, except AUC (row-weighted mean of batch AUCs, see sufficient-stats.ts).
 * The trend is `metricTrend` (scipy `linregress`) over one point per batch: t = days since the window's start
 * (the batch's timestamp), value = the batch's primary metric; batches are not weighted by size. Slope is per
 * day. With fewer than three batches (two points always make a perfect line: p 0 says nothing), or all at one
 * instant, there is no trend (null, with the reason).
 * The worst batches are the five with the worst primary metric (highest for lower-is-better metrics).
 * Cost: O(b log b + b·k²) for b batches with k class labels.
 */
import { metricTrend } from "../metrics/trend.js";
import { type MetricDirection, type QualityMetric, type Task, metricDirection } from "./metric-names.js";
import { type BatchStats, type WindowMetrics, combineStats, metricValue, metricsFromStats } from "./sufficient-stats.js";
import { combineFairness, fairnessFromStats, type Fairness, type FairnessStats } from "./fairness.js";
import { combineLatency, latencyFromSketch, type LatencySketch, type LatencySummary } from "./latency.js";

/** Fewest batches with the primary metric that make a trend. */
export const minTrendBatches = 3;

/** The fields of a stored batch the report reads. */
export interface ReportBatch {
  readonly batchId: string;
  readonly version: string;
  readonly task: Task;
  readonly source: string;
  /** ISO 8601 time the batch is placed at. */
  readonly timestamp: string;
  readonly count: number;
  readonly stats: BatchStats;
  readonly metrics: Readonly<Record<string, unknown>>;
  /** Per-group counts, when the batch had `groups`. */
  readonly fairness?: FairnessStats | null;
  /** Latency sketch, when the batch had `latenciesMs`. */
  readonly latency?: LatencySketch | null;
}

export interface DailyAggregate {
  /** UTC day, `YYYY-MM-DD`. */
  readonly date: string;
  readonly batchCount: number;
  readonly count: number;
  readonly metrics: WindowMetrics;
}

export interface ReportTrend {
  readonly metric: QualityMetric;
  /** Which way is better for the metric. */
  readonly better: MetricDirection;
  /** Change of the metric per day. */
  readonly slopePerDay: number;
  readonly intercept: number;
  readonly pValue: number;
  readonly direction: "improving" | "degrading" | "flat";
  readonly n: number;
}

export interface WorstBatch {
  readonly batchId: string;
  readonly version: string;
  readonly source: string;
  readonly timestamp: string;
  readonly count: number;
  readonly value: number;
  readonly metrics: Readonly<Record<string, unknown>>;
}

export interface PerformanceReport {
  readonly task: Task | null;
  readonly primaryMetric: QualityMetric;
  readonly batchCount: number;
  readonly count: number;
  readonly overall: WindowMetrics | null;
  readonly daily: DailyAggregate[];
  readonly trend: ReportTrend | null;
  readonly trendReason?: string;
  readonly worstBatches: WorstBatch[];
  /** Fairness over the window's batches that had groups; null when none had. */
  readonly fairness: Fairness | null;
  /** Latency over the window's batches that had latencies (percentiles from the merged sketch, within 1%); null when none had. */
  readonly latency: LatencySummary | null;
}

/** Fairness and latency of a set of batches (null each when no batch carries it). */
export function fairnessAndLatency(batches: readonly ReportBatch[]): { fairness: Fairness | null; latency: LatencySummary | null } {
  const fair = batches.map((b) => b.fairness).filter((f): f is FairnessStats => f !== undefined && f !== null);
  const sketches = batches.map((b) => b.latency).filter((l): l is LatencySketch => l !== undefined && l !== null);
  return {
    fairness: fair.length > 0 ? fairnessFromStats(combineFairness(fair)) : null,
    latency: sketches.length > 0 ? latencyFromSketch(combineLatency(sketches)) : null,
  };
}

const dayMs = 86_400_000;

/** How many worst batches a report lists. */
export const worstBatchCount = 5;

/**
 * Builds the report of `batches` (all of one task) over the window starting at `fromMs`.
 * @param primaryMetric the metric behind the trend and the worst batches
 */
export function buildPerformanceReport(batches: readonly ReportBatch[], primaryMetric: QualityMetric, fromMs: number): PerformanceReport {
  const sorted = [...batches].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  if (sorted.length === 0) {
    return { task: null, primaryMetric, batchCount: 0, count: 0, overall: null, daily: [], trend: null, trendReason: "no batches in the window", worstBatches: [], fairness: null, latency: null };
  }
  const byDay = new Map<string, ReportBatch[]>();
  for (const b of sorted) {
    const day = b.timestamp.slice(0, 10);
    const list = byDay.get(day);
    if (list) list.push(b);
    else byDay.set(day, [b]);
  }
  const daily: DailyAggregate[] = [...byDay].map(([date, list]) => {
    const stats = combineStats(list.map((b) => b.stats));
    return { date, batchCount: list.length, count: stats.n, metrics: metricsFromStats(stats) };
  });
  const overallStats = combineStats(sorted.map((b) => b.stats));
  const better = metricDirection[primaryMetric];

  const points = sorted
    .map((b) => ({ t: (Date.parse(b.timestamp) - fromMs) / dayMs, value: metricValue(b.metrics, primaryMetric) }))
    .filter((p): p is { t: number; value: number } => p.value !== undefined && Number.isFinite(p.t));
  let trend: ReportTrend | null = null;
  let trendReason: string | undefined;
  if (points.length < minTrendBatches) {
    trendReason = `not enough data: a trend needs at least ${minTrendBatches} batches with ${primaryMetric}; found ${points.length}`;
  } else if (points.every((p) => p.t === points[0].t)) {
    trendReason = "every batch has the same timestamp";
  } else {
    const fit = metricTrend(points, better);
    trend = { metric: primaryMetric, better, slopePerDay: fit.slope, intercept: fit.intercept, pValue: fit.pValue, direction: fit.direction, n: fit.n };
  }

  const worstBatches: WorstBatch[] = sorted
    .map((b) => ({ b, value: metricValue(b.metrics, primaryMetric) }))
    .filter((x): x is { b: ReportBatch; value: number } => x.value !== undefined)
    .sort((x, y) => (better === "lower" ? y.value - x.value : x.value - y.value))
    .slice(0, worstBatchCount)
    .map(({ b, value }) => ({ batchId: b.batchId, version: b.version, source: b.source, timestamp: b.timestamp, count: b.count, value, metrics: b.metrics }));

  return {
    task: sorted[0].task,
    primaryMetric,
    batchCount: sorted.length,
    count: overallStats.n,
    overall: metricsFromStats(overallStats),
    daily,
    trend,
    ...(trendReason ? { trendReason } : {}),
    worstBatches,
    ...fairnessAndLatency(sorted),
  };
}

/** One version's column in a comparison. */
export interface VersionComparison {
  readonly version: string;
  readonly batchCount: number;
  readonly count: number;
  readonly metrics: WindowMetrics | null;
  readonly primaryValue: number | null;
}

/**
 * Versions side by side over one window, and the best by the primary metric (null when fewer than two
 * versions have a value for it). Ties go to the version listed first.
 */
export function compareVersions(
  versions: readonly string[],
  batches: readonly ReportBatch[],
  primaryMetric: QualityMetric,
): { versions: VersionComparison[]; best: string | null } {
  const columns = versions.map((version): VersionComparison => {
    const own = batches.filter((b) => b.version === version);
    if (own.length === 0) return { version, batchCount: 0, count: 0, metrics: null, primaryValue: null };
    const stats = combineStats(own.map((b) => b.stats));
    const metrics = metricsFromStats(stats);
    return { version, batchCount: own.length, count: stats.n, metrics, primaryValue: metricValue(metrics, primaryMetric) ?? null };
  });
  const valued = columns.filter((c) => c.primaryValue !== null);
  let best: string | null = null;
  if (valued.length >= 2) {
    const lower = metricDirection[primaryMetric] === "lower";
    let top = valued[0];
    for (const c of valued.slice(1)) {
      if (lower ? (c.primaryValue as number) < (top.primaryValue as number) : (c.primaryValue as number) > (top.primaryValue as number)) top = c;
    }
    best = top.version;
  }
  return { versions: columns, best };
}
