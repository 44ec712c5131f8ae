/**
 * Performance estimation in the service: gathers a version's reference, its labelled and unlabelled score
 * histograms for a window, and builds the report's `estimated` section (lambdas/core/performance/
 * estimation-report.ts); after unlabelled scored rows are recorded, estimates their days and — when the
 * primary metric's estimate and its whole interval fell beyond the threshold — raises the
 * `performance_estimated` alert, publishes `mlwatch Performance Estimated Drop` and applies the retraining
 * policy. `EstimatedPerformance` (the estimated primary metric of each estimated day) goes to CloudWatch.
 *
 * Reference: the stored one (`PUT …/estimation-reference`: labelled scored batches of the version placed in
 * [from, to], ground-truth joins included), else the version's labelled scored batches posted directly
 * (source `batch`) in the window looked at. Joined ground truth is never a default reference: it is what
 * the estimates are checked against.
 */
import { AlertType, raiseAlert, type AlertOutcome } from "../alerts/index.js";
import { resourceNames } from "../shared/env.js";
import { serviceLogger } from "../shared/logger.js";
import { Dimension, MetricName, publishMetrics } from "../shared/metrics.js";
import { MlwatchEventType } from "../shared/event-types.js";
import { publishEvent, type EventOutcome } from "../shared/events-bus.js";
import { applyRetrainingPolicy, type RetrainingSummary } from "../retraining/index.js";
import type { QualityMetric } from "../core/performance/metric-names.js";
import { mergeThresholds } from "../core/performance/thresholds.js";
import { defaultEstimationSettings, estimatedMetricNames, type EstimatedMetric, type EstimationSettings } from "../core/performance/estimation.js";
import { combineAny, estimateAny, fitAny, realizedAny, type EstimationHistogram } from "../core/performance/estimation-kind.js";
import { buildEstimatedSection, estimatedDrop, unlabelledByDay, type DayHistograms, type EstimatedDrop } from "../core/performance/estimation-report.js";
import { estimatedAlertMessage } from "../core/performance/estimation-alert.js";
import { summarizeTrackRecord, trackedWindows } from "../core/performance/estimation-track-record.js";
import { putRecordEntry, queryRecordEntries } from "./store/estimation-record.js";
import { getStoredThresholds } from "./store/thresholds.js";
import { queryBatches, type StoredBatch } from "./store/batches.js";
import { getEstimationReference, queryScores, type EstimationReferenceSetting } from "./store/estimation.js";
import { choosePrimaryMetric, resolveBaseline } from "./record-batch.js";
import { requireRegistered } from "../registry/index.js";

const logger = serviceLogger("performance");
const dayMs = 86_400_000;

/** Days a write-time check looks back for the default reference. */
export const checkReferenceDays = 30;

/** The score histograms a labelled batch carries, by UTC day of its predictions. */
const histogramsOf = (b: StoredBatch): DayHistograms | undefined => {
  const byDay = (b as StoredBatch & { scoresByDay?: Record<string, EstimationHistogram> | null }).scoresByDay;
  return byDay && Object.keys(byDay).length > 0 ? { id: b.batchId, source: b.source, byDay } : undefined;
};

/** Everything a window's estimation needs, read from the table. */
export async function gatherEstimation(model: string, version: string, fromIso: string, toIso: string, windowBatches?: readonly StoredBatch[]) {
  const stored = await getEstimationReference(model, version);
  const [window, referenceBatches, scores] = await Promise.all([
    windowBatches ? Promise.resolve({ batches: [...windowBatches], truncated: false }) : queryBatches(model, fromIso, toIso, [version]),
    stored ? queryBatches(model, stored.from, stored.to, [version]) : Promise.resolve(undefined),
    queryScores(model, version, fromIso, toIso),
  ]);
  const own = window.batches.filter((b) => b.version === version);
  const reference = (referenceBatches ? referenceBatches.batches : own.filter((b) => b.source === "batch")).map(histogramsOf).filter((h): h is DayHistograms => h !== undefined);
  const inReference = new Set(reference.map((r) => r.id));
  const labelled = own.filter((b) => !inReference.has(b.batchId)).map(histogramsOf).filter((h): h is DayHistograms => h !== undefined);
  const unlabelled: DayHistograms[] = scores.items.map((s) => ({ id: s.id, source: s.source, byDay: s.byDay }));
  return {
    stored,
    reference,
    referenceSource: referenceSourceOf(stored, fromIso, toIso),
    labelled,
    unlabelled,
    truncated: window.truncated || (referenceBatches?.truncated ?? false) || scores.truncated,
  };
}

function referenceSourceOf(stored: EstimationReferenceSetting | undefined, fromIso: string, toIso: string): Record<string, unknown> {
  return stored
    ? { source: "stored", from: stored.from, to: stored.to, requestedMethod: stored.method, updatedAt: stored.updatedAt, updatedBy: stored.updatedBy }
    : { source: "default", from: fromIso, to: toIso, rule: "the version's labelled batches posted with scores (source batch) in the window" };
}

/** Settings with the stored reference's method. */
const settingsFor = (stored: EstimationReferenceSetting | undefined): EstimationSettings => ({ ...defaultEstimationSettings, method: stored?.method ?? "auto" });

/** The report's `estimated` section of one version over [fromIso, toIso]. */
export async function estimatedSection(model: string, version: string, fromIso: string, toIso: string, windowBatches?: readonly StoredBatch[]) {
  const [g, record] = await Promise.all([gatherEstimation(model, version, fromIso, toIso, windowBatches), queryRecordEntries(model, version)]);
  const section = buildEstimatedSection({
    reference: g.reference,
    referenceSource: g.referenceSource,
    labelled: g.labelled,
    unlabelled: g.unlabelled,
    fromDay: fromIso.slice(0, 10),
    toDay: toIso.slice(0, 10),
    settings: settingsFor(g.stored),
  });
  const trackRecord = { ...summarizeTrackRecord(record.entries), truncated: record.truncated };
  return { version, scope: "classification: binary (0/1 labels with the probability of class 1 as score) or multiclass one against the rest (per-class scores with classes; precision, recall, f1 and auc are macro averages); regression is not estimated", ...section, trackRecord, truncated: g.truncated };
}

/** What checking a labelled batch against the estimates did. */
export interface TrackRecordOutcome {
  readonly batchId: string;
  readonly recorded: boolean;
  readonly windows: number;
  readonly reason?: string;
  readonly warnings: string[];
}

/**
 * Adds a labelled batch to the version's estimation track record (store/estimation-record.ts): each of its
 * days estimated from its scores with the reference in force now and compared with its labels. A batch in
 * the reference is not (an in-sample check would flatter the record), and neither is one without scored 0/1
 * rows or when no reference fits. Never throws: the batch is recorded whatever happens here.
 */
export async function recordTrackRecord(
  model: string,
  batch: { batchId: string; version: string; source: string; timestamp: string; scoresByDay?: Record<string, EstimationHistogram> | null },
  ctx: { requestId: string },
): Promise<TrackRecordOutcome> {
  const out = { batchId: batch.batchId, recorded: false, windows: 0, warnings: [] as string[] };
  const byDay = batch.scoresByDay;
  if (!byDay || Object.keys(byDay).length === 0) return { ...out, reason: "no scored rows with 0/1 labels" };
  try {
    // Under the default rule a posted labelled batch is reference, not a check: spare the reads.
    if (batch.source === "batch" && (await getEstimationReference(model, batch.version)) === undefined) return { ...out, reason: "the batch is part of the estimation reference" };
    const now = new Date();
    const first = Object.keys(byDay).sort()[0];
    const fromIso = new Date(Math.min(Date.parse(`${first}T00:00:00.000Z`), now.getTime() - checkReferenceDays * dayMs)).toISOString();
    const g = await gatherEstimation(model, batch.version, fromIso, now.toISOString());
    // In the reference by the rule (read-after-write of the query is not relied on): a posted labelled batch
    // under the default rule, any labelled batch placed in a stored reference's window.
    const inStored = g.stored !== undefined && batch.timestamp >= g.stored.from && batch.timestamp <= g.stored.to;
    if (inStored || (g.stored === undefined && batch.source === "batch") || g.reference.some((r) => r.id === batch.batchId)) {
      return { ...out, reason: "the batch is part of the estimation reference" };
    }
    const settings = settingsFor(g.stored);
    const fit = fitAny(combineAny(g.reference.flatMap((r) => Object.values(r.byDay))), settings);
    if (g.reference.length === 0 || !fit.ok) return { ...out, reason: fit.ok ? "no labelled scored rows to calibrate on" : fit.reason };
    const windows = trackedWindows(fit.fit, byDay, settings);
    if (windows.length === 0) return { ...out, reason: "no labelled scored rows" };
    const recorded = await putRecordEntry(model, {
      batchId: batch.batchId,
      version: batch.version,
      source: batch.source,
      recordedAt: now.toISOString(),
      method: fit.method,
      referenceCount: fit.count,
      windows,
    });
    return { ...out, recorded, windows: windows.length, ...(recorded ? {} : { reason: "already in the record" }) };
  } catch (err) {
    logger.error("adding a batch to the estimation track record failed", { requestId: ctx.requestId, model, batchId: batch.batchId, error: err as Error });
    return { ...out, reason: "failed", warnings: [`the estimation track record was not updated: ${(err as Error).message}`] };
  }
}

/** What a write-time check did. */
export interface EstimationCheck {
  checked: boolean;
  reason?: string;
  days: Array<{ date: string; count: number; metric: string; estimate: number | null; interval: readonly [number, number] | null }>;
  drop: (EstimatedDrop & { date: string }) | null;
  alert: (Partial<AlertOutcome> & { sent: boolean; error?: string }) | null;
  event: EventOutcome | null;
  retraining: RetrainingSummary | null;
  metricsPublished: number;
  warnings: string[];
}

/**
 * Estimates the given days' unlabelled rows of a version after a write, and acts on an estimated drop (see
 * the file comment). Never throws: failures are logged and returned as warnings (the rows are recorded).
 */
export async function checkEstimatedDays(
  model: string,
  version: string,
  days: readonly string[],
  trigger: { id: string; description: string },
  ctx: { caller: string; requestId: string },
): Promise<EstimationCheck> {
  const out: EstimationCheck = { checked: false, days: [], drop: null, alert: null, event: null, retraining: null, metricsPublished: 0, warnings: [] };
  try {
    const now = new Date();
    const first = [...days].sort()[0];
    const fromIso = new Date(Math.min(Date.parse(`${first}T00:00:00.000Z`), now.getTime() - checkReferenceDays * dayMs)).toISOString();
    const g = await gatherEstimation(model, version, fromIso, now.toISOString());
    const settings = settingsFor(g.stored);
    const referenceHistogram = combineAny(g.reference.flatMap((r) => Object.values(r.byDay)));
    const fit = fitAny(referenceHistogram, settings);
    if (g.reference.length === 0 || !fit.ok) return { ...out, reason: fit.ok ? "no labelled scored rows to calibrate on" : fit.reason };
    const [baseline, stored] = await Promise.all([requireRegistered(model, version).then((r) => resolveBaseline(r, undefined)), getStoredThresholds(model)]);
    const thresholds = mergeThresholds(stored?.thresholds);
    const primary: QualityMetric = choosePrimaryMetric("classification", thresholds, baseline.registeredPrimary);
    // Without a registered baseline, the reference's own realized metric is the baseline.
    const referenceRealized = realizedAny(referenceHistogram);
    const estimable = (estimatedMetricNames as readonly string[]).includes(primary);
    const baselineValue = estimable ? (baseline.values[primary] ?? referenceRealized[primary as EstimatedMetric] ?? undefined) : undefined;
    const unlabelled = unlabelledByDay(g.unlabelled, g.labelled, first, now.toISOString().slice(0, 10));
    const metricValues = [];
    for (const date of [...new Set(days)].sort()) {
      const h = unlabelled.get(date);
      if (!h) continue;
      const estimate = estimateAny(fit.fit, h, settings);
      if (!estimate) continue;
      const value = estimable ? estimate.metrics[primary as EstimatedMetric] : null;
      const interval = estimable ? estimate.intervals[primary as EstimatedMetric] : null;
      out.days.push({ date, count: estimate.count, metric: primary, estimate: value, interval });
      if (value !== null) {
        metricValues.push({
          name: MetricName.estimatedPerformance,
          value,
          dimensions: { [Dimension.model]: model, [Dimension.version]: version },
          timestamp: metricTime(date, now),
        });
      }
      const drop = estimatedDrop(estimate, primary, baselineValue, thresholds);
      if (drop && (!out.drop || drop.dropPoints > out.drop.dropPoints)) out.drop = { ...drop, date };
    }
    const result: EstimationCheck = { ...out, checked: true };
    try {
      result.metricsPublished = await publishMetrics(resourceNames().metricsNamespace, metricValues);
    } catch (err) {
      logger.error("publishing EstimatedPerformance failed", { requestId: ctx.requestId, error: err as Error });
      result.warnings.push(`EstimatedPerformance was not published: ${(err as Error).message}`);
    }
    if (result.drop) await announceDrop(model, version, result as EstimationCheck & { drop: EstimatedDrop & { date: string } }, fit.method, trigger, ctx);
    return result;
  } catch (err) {
    logger.error("performance estimation after a write failed", { requestId: ctx.requestId, model, version, error: err as Error });
    return { ...out, reason: "estimation failed", warnings: [`performance estimation failed: ${(err as Error).message}`] };
  }
}

/** CloudWatch accepts data points up to two weeks old: noon of the day, else now. */
function metricTime(date: string, now: Date): Date {
  const t = Math.min(Date.parse(`${date}T12:00:00.000Z`), now.getTime());
  return t >= now.getTime() - 14 * dayMs + 60_000 ? new Date(t) : now;
}

async function announceDrop(
  model: string,
  version: string,
  result: EstimationCheck & { drop: EstimatedDrop & { date: string } },
  method: "isotonic" | "platt" | "mixed",
  trigger: { id: string; description: string },
  ctx: { caller: string; requestId: string },
): Promise<void> {
  const drop = result.drop;
  const count = result.days.find((d) => d.date === drop.date)?.count ?? 0;
  const message = estimatedAlertMessage({ model, version, date: drop.date, count, method, drop, trigger: trigger.description });
  try {
    result.alert = await raiseAlert({ type: AlertType.performanceEstimated, model, version, severity: drop.severity, link: { batchId: trigger.id }, ...message });
    if (result.alert.error) result.warnings.push(`the performance_estimated alert was not sent: ${result.alert.error}`);
  } catch (err) {
    logger.error("raising the estimated-drop alert failed", { requestId: ctx.requestId, error: err as Error });
    result.alert = { sent: false, error: (err as Error).message };
    result.warnings.push(`the performance_estimated alert was not sent: ${(err as Error).message}`);
  }
  result.event = await publishEvent(MlwatchEventType.performanceEstimatedDrop, {
    model,
    version,
    date: drop.date,
    count,
    metric: drop.metric,
    estimate: drop.estimate,
    lower: drop.interval[0],
    upper: drop.interval[1],
    baseline: drop.baseline,
    limit: drop.limit,
    degradationPercent: drop.degradationPct,
    method,
    severity: drop.severity,
  });
  if (!result.event.sent) result.warnings.push(`the ${result.event.type} event was not published: ${result.event.error}`);
  result.retraining =
    (await applyRetrainingPolicy({
      model,
      trigger: "performance",
      value: drop.degradationPct,
      evidence: { batchId: trigger.id },
      detail: `estimated ${drop.metric} of version ${version}'s unlabelled predictions of ${drop.date} (${trigger.id})`,
      requestedBy: ctx.caller,
      auditRequestId: ctx.requestId,
    })) ?? null;
}
