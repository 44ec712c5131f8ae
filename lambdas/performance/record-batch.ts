/**
 * Recording one batch — an inline or `dataUri` batch, or the records a ground-truth post joined — in the
 * same steps, so every batch gets the same metrics, alerts and place in reports:
 *
 * 0. the model and version must be registered (404 `MODEL_NOT_REGISTERED` / `VERSION_NOT_REGISTERED`), and
 *    the version's task is fixed by its first batch (a batch of another task is a 409 naming both);
 * 1. the raw rows go to S3 (`batches/{model}/{version}/{date}/{batchId}.json`) before anything else: if that
 *    fails nothing is recorded and the caller gets a 500 naming the request id;
 * 2. metrics from the statistics engine; baseline = the request's, else the registry's registered metrics;
 *    thresholds = defaults < the model's stored thresholds < the request's;
 * 3. the summary (metrics + sufficient statistics + judgement) goes to the table, counted on the version's
 *    task claim in the same transaction (batch-claim.ts) — a failure of step 2 or 3 (a 409 there, the
 *    thresholds unreadable) takes the raw rows back;
 * 4. CloudWatch metrics, then the SNS alert when the batch degraded (with the suppression window), the
 *    `mlwatch Performance Degraded` event and the retraining policy (announce.ts; their outcomes and the
 *    steps that did not complete are added to the summary), then audit.
 * Steps 1–4 are the finishing steps every check and batch shares (lambdas/shared/finishing.ts). Step 4's
 * failures do not undo the batch (a retry would count it twice): they are listed in `incomplete`, logged,
 * counted (`IncompleteSteps`) and returned as `warnings`.
 */
import { randomUUID } from "node:crypto";
import type { StandardUnit } from "@aws-sdk/client-cloudwatch";
import { AlertType, raiseAlert, type AlertOutcome } from "../alerts/index.js";
import { recordAudit } from "../shared/audit.js";
import { FinishingStep, finishRecording, type IncompleteStep } from "../shared/finishing.js";
import { resourceNames } from "../shared/env.js";
import { Dimension, MetricName, publishMetrics, type MetricValue } from "../shared/metrics.js";
import type { CheckedColumns } from "../core/performance/batch-columns.js";
import { evaluateBatch } from "../core/performance/batch-metrics.js";
import { evaluateDegradation, performanceDrift, type DegradationResult, type PerformanceDrift } from "../core/performance/degradation.js";
import { canonicalBaseline, canonicalMetric, defaultPrimaryMetric, metricsOfTask, type QualityMetric, type Task } from "../core/performance/metric-names.js";
import { mergeThresholds, type PerformanceThresholds } from "../core/performance/thresholds.js";
import { performanceAlertMessage } from "../core/performance/alert-message.js";
import { deleteRawObject, putRawObject, rawBatchKey } from "./store/raw.js";
import { getStoredThresholds } from "./store/thresholds.js";
import { batchRecordOf, updateBatchOutcome, type BatchRecord, type StoredBatch } from "./store/batches.js";
import { checkVersionTask, putBatchWithClaim } from "./batch-claim.js";
import { requireRegistered, type RegisteredModel, type RegisteredVersion } from "../registry/index.js";
import { announceBatch } from "./announce.js";
import type { EventOutcome } from "../shared/events-bus.js";
import type { RetrainingSummary } from "../retraining/index.js";
import { fairnessFromStats, fairnessStats, type Fairness, type FairnessStats } from "../core/performance/fairness.js";
import { latencyOfBatch, type LatencySummary } from "../core/performance/latency.js";
import { scoresByDayOf, type EstimationHistogram } from "../core/performance/estimation-histogram.js";

/** What to record. */
export interface RecordBatchInput {
  readonly model: string;
  readonly version: string;
  readonly source: "batch" | "ground_truth";
  readonly columns: CheckedColumns;
  /** When the predictions were made; default: now. */
  readonly timestamp?: string;
  /** The raw payload to keep in S3 (the request body, or the joined records). */
  readonly raw: Record<string, unknown>;
  readonly baseline?: Record<string, number>;
  readonly thresholds?: Partial<PerformanceThresholds>;
  /** One protected-attribute value per row (checked by `checkGroups`). */
  readonly groups?: readonly string[];
  /** One latency in milliseconds per row (checked by `checkLatencies`). */
  readonly latencies?: Float64Array;
  /**
   * Score histograms by UTC day of prediction (joined ground truth, whose rows were predicted on earlier
   * days); default: a scored binary batch's rows on its timestamp's day.
   */
  readonly scoresByDay?: Record<string, EstimationHistogram>;
  readonly requestId: string;
  readonly caller: string;
}

/** What was recorded, as the API answers it. */
export interface RecordedBatch extends BatchRecord {
  readonly primaryMetric: QualityMetric;
  readonly performanceDrift: PerformanceDrift | null;
  readonly degradation: DegradationResult;
  readonly thresholds: PerformanceThresholds;
  readonly alert: (Partial<AlertOutcome> & { sent: boolean; error?: string }) | null;
  /** The `mlwatch Performance Degraded` event (degraded batches only). */
  readonly event: EventOutcome | null;
  /** The retraining request the batch caused under the model's policy. */
  readonly retraining: RetrainingSummary | null;
  readonly metricsPublished: number;
  /** One line per finishing step that did not complete (and any the route adds). */
  readonly warnings: string[];
  /** The finishing steps that did not complete (lambdas/shared/finishing.ts), empty when all did. */
  readonly incomplete: readonly IncompleteStep[];
  /** Fairness of the batch's rows (when it had groups). */
  readonly fairness: Fairness | null;
  /** Exact latency percentiles of the batch (when it had latencies). */
  readonly latency: LatencySummary | null;
}

/** The metric behind PerformanceDrift and trends: thresholds' choice, else the registry's, else the task's default. */
export function choosePrimaryMetric(task: Task, thresholds: PerformanceThresholds, registered?: string): QualityMetric {
  const allowed = metricsOfTask(task) as readonly string[];
  if (thresholds.primaryMetric && allowed.includes(thresholds.primaryMetric)) return thresholds.primaryMetric;
  const fromRegistry = registered ? canonicalMetric(registered)?.metric : undefined;
  if (fromRegistry && allowed.includes(fromRegistry)) return fromRegistry;
  return defaultPrimaryMetric[task];
}

/** The baseline of a batch: the request's, else the registered metrics of the version. */
export function resolveBaseline(
  registered: { model: RegisteredModel; version?: RegisteredVersion },
  given: Record<string, number> | undefined,
): { values: Partial<Record<QualityMetric, number>>; source: string | null; sourceLabel: string; raw: Record<string, number> | null; registeredPrimary?: string } {
  const registeredPrimary = registered.model.primaryMetric;
  if (given && Object.keys(given).length > 0) {
    return { values: canonicalBaseline(given).values, source: "request", sourceLabel: "the baseline given in the request", raw: given, registeredPrimary };
  }
  const metrics = registered.version?.metrics;
  if (metrics && Object.keys(metrics).length > 0) {
    return {
      values: canonicalBaseline(metrics).values,
      source: "registry",
      sourceLabel: `registered metrics of version ${registered.version?.version}`,
      raw: metrics,
      registeredPrimary,
    };
  }
  return { values: {}, source: null, sourceLabel: "none", raw: null, registeredPrimary };
}

/** CloudWatch accepts data points up to two weeks old and two hours ahead; outside that, the time of receipt. */
function metricTime(timestamp: string, received: Date): Date {
  const t = Date.parse(timestamp);
  const now = received.getTime();
  return t >= now - 14 * 86_400_000 + 60_000 && t <= now + 2 * 3_600_000 - 60_000 ? new Date(t) : received;
}

/** The CloudWatch values of a batch. */
function metricValues(model: string, version: string, task: Task, metrics: Record<string, unknown>, count: number, drift: PerformanceDrift | undefined, at: Date): MetricValue[] {
  const dimensions = { [Dimension.model]: model, [Dimension.version]: version };
  const value = (name: MetricName, v: unknown, unit: StandardUnit = "None"): MetricValue[] =>
    typeof v === "number" && Number.isFinite(v) ? [{ name, value: v, unit, dimensions, timestamp: at }] : [];
  const out: MetricValue[] =
    task === "regression"
      ? [
          ...value(MetricName.batchRmse, metrics.rmse),
          ...value(MetricName.batchMae, metrics.mae),
          ...value(MetricName.batchMape, metrics.mape, "Percent"),
          ...value(MetricName.batchR2, metrics.r2),
        ]
      : [
          ...value(MetricName.batchAccuracy, metrics.accuracy),
          ...value(MetricName.batchPrecision, metrics.precision),
          ...value(MetricName.batchRecall, metrics.recall),
          ...value(MetricName.batchF1, metrics.f1),
          ...value(MetricName.batchAuc, metrics.auc),
        ];
  out.push(...value(MetricName.predictionCount, count, "Count"));
  if (drift) out.push(...value(MetricName.performanceDrift, drift.degradationPct, "Percent"));
  return out;
}

/** Most histogram cells a batch summary carries (five numbers each): the item must stay under DynamoDB's 400 KB. */
export const maxScoreCells = 8000;

/** A new batch id: time-ordered, unique. */
export function newBatchId(now: Date): string {
  return `${now.toISOString().replace(/[-:.TZ]/g, "").slice(0, 14)}-${randomUUID().replace(/-/g, "").slice(0, 12)}`;
}

/** The warning a batch's answer gives for a finishing step that did not complete (the API's `warnings`). */
function warningOf(step: IncompleteStep, event: EventOutcome | undefined): string {
  switch (step.step) {
    case FinishingStep.metrics:
      return `CloudWatch metrics were not published: ${step.error}`;
    case FinishingStep.alert:
      return `the performance-drift alert was not sent: ${step.error}`;
    case FinishingStep.event:
      return `the ${event?.type ?? "performance"} event was not published: ${step.error}`;
    case FinishingStep.retraining:
      return `the retraining request failed: ${step.error}`;
    case FinishingStep.outcome:
      return `the event outcome was not stored on the batch: ${step.error}`;
    case FinishingStep.audit:
      return `the audit entry was not written: ${step.error}`;
  }
}

/** Records one batch (see the file comment for the steps). */
export async function recordBatch(input: RecordBatchInput): Promise<RecordedBatch> {
  const { model, version, source, columns } = input;
  const received = new Date();
  const receivedAt = received.toISOString();
  const timestamp = input.timestamp ? new Date(input.timestamp).toISOString() : receivedAt;
  const batchId = newBatchId(received);

  // 0. Performance data belongs to registered versions; a batch of another task than the version's is refused
  // before anything is written (the transaction of step 3 is what guarantees it).
  const registered = await requireRegistered(model, version);
  await checkVersionTask(model, version, columns.task);

  const { stored: batch, outcome } = await finishRecording<JudgedBatch, AlertOutcome | (Partial<AlertOutcome> & { sent: boolean; error?: string }), RetrainingSummary>({
    operation: "batch",
    model,
    context: { model, version, batchId, requestId: input.requestId },
    // Steps 1–3: raw rows, metrics and judgement, summary (a failure removes the raw rows).
    store: (written) => storeBatch(input, registered, { batchId, timestamp, receivedAt }, written),
    removeObject: deleteRawObject,
    publishMetrics: ({ summary, drift }) =>
      publishMetrics(resourceNames().metricsNamespace, metricValues(model, version, columns.task, summary.metrics, columns.count, drift, metricTime(timestamp, received))),
    raiseAlert: async (judged) => (judged.degradation.degraded ? raisePerformanceAlert(input, judged) : undefined),
    announce: ({ degradation, drift }) => announceBatch({ model, version, batchId, degradation, drift, caller: input.caller, requestId: input.requestId }),
    recordOutcome: ({ summary }, done) => updateBatchOutcome(summary, { event: done.event, retraining: done.retraining, incomplete: done.incomplete.length > 0 ? done.incomplete : undefined }),
    audit: async ({ summary, degradation, drift, primaryMetric }, done) => {
      await recordAudit({
        type: "performance.batch_recorded",
        actor: input.caller,
        model,
        version,
        target: `models/${model}/versions/${version}/batches/${batchId}`,
        after: { batchId, source, count: columns.count, timestamp, rawUri: summary.rawUri, degraded: degradation.degraded, severity: degradation.severity },
        details: { alert: done.alert ?? null, event: done.event ?? null, retraining: done.retraining ?? null, primaryMetric, performanceDrift: drift ?? null, ...(done.incomplete.length > 0 ? { incomplete: done.incomplete } : {}) },
        requestId: input.requestId,
      });
    },
  });

  return {
    ...batchRecordOf(batch.summary),
    primaryMetric: batch.primaryMetric,
    performanceDrift: batch.drift ?? null,
    degradation: batch.degradation,
    thresholds: batch.thresholds,
    alert: outcome.alert ?? null,
    event: outcome.event ?? null,
    retraining: outcome.retraining ?? null,
    metricsPublished: outcome.metricsPublished ?? 0,
    warnings: outcome.incomplete.map((step) => warningOf(step, outcome.event)),
    incomplete: outcome.incomplete,
    fairness: batch.fairness ? fairnessFromStats(batch.fairness) : null,
    latency: batch.latency?.summary ?? null,
  };
}

/** A stored batch with its judgement (what the finishing steps after the summary need). */
interface JudgedBatch {
  readonly summary: StoredBatch;
  readonly primaryMetric: QualityMetric;
  readonly thresholds: PerformanceThresholds;
  readonly degradation: DegradationResult;
  readonly drift: PerformanceDrift | undefined;
  readonly baselineLabel: string;
  readonly fairness: FairnessStats | null;
  readonly latency: ReturnType<typeof latencyOfBatch> | null;
}

/**
 * Steps 1–3 of a batch: the raw rows to S3 first (declared as written, so any later failure of these steps
 * takes them back), then the metrics and judgement, then the summary with the version's task claim.
 */
async function storeBatch(
  input: RecordBatchInput,
  registered: { model: RegisteredModel; version?: RegisteredVersion },
  ids: { batchId: string; timestamp: string; receivedAt: string },
  written: (key: string) => void,
): Promise<JudgedBatch> {
  const { model, version, source, columns } = input;
  const { batchId, timestamp, receivedAt } = ids;
  const rawKey = rawBatchKey(model, version, timestamp.slice(0, 10), batchId);
  const rawUri = await putRawObject(rawKey, { batchId, model, version, task: columns.task, source, timestamp, receivedAt, requestId: input.requestId, caller: input.caller, ...input.raw });
  written(rawKey);

  const evaluation = evaluateBatch(columns);
  const baseline = resolveBaseline(registered, input.baseline);
  const stored = await getStoredThresholds(model);
  const thresholds = mergeThresholds(stored?.thresholds, input.thresholds);
  const primaryMetric = choosePrimaryMetric(columns.task, thresholds, baseline.registeredPrimary);
  const degradation = evaluateDegradation(columns.task, evaluation.values, baseline.values, thresholds, columns.count);
  const drift = performanceDrift(primaryMetric, evaluation.values, baseline.values);
  const fairness = input.groups && columns.task === "classification" ? fairnessStats(input.groups, columns.predicted, columns.actual) : null;
  const latency = input.latencies ? latencyOfBatch(input.latencies) : null;
  // Joined rows belong to their predictions' days, which only the caller knows.
  const scoresByDay = source === "ground_truth" ? input.scoresByDay : (input.scoresByDay ?? scoresByDayOf(columns, timestamp));

  const summary: StoredBatch = {
    batchId,
    model,
    version,
    task: columns.task,
    source,
    timestamp,
    receivedAt,
    count: columns.count,
    metrics: { ...evaluation.metrics } as Record<string, unknown>,
    stats: evaluation.stats,
    fairness,
    latency: latency?.sketch ?? null,
    ...(scoresByDay ? { scoresByDay } : {}),
    baseline: baseline.source && baseline.raw ? { source: baseline.source, metrics: baseline.raw } : null,
    primaryMetric,
    performanceDrift: drift ? { ...drift } : null,
    degradation: { ...degradation, findings: degradation.findings.map((f) => ({ ...f })) },
    rawUri,
    requestId: input.requestId,
    caller: input.caller,
  };
  await putBatchWithClaim(summary);
  return { summary, primaryMetric, thresholds, degradation, drift, baselineLabel: baseline.sourceLabel, fairness, latency };
}

/** Step 4's alert of a degraded batch (the inbox and SNS, with the suppression window). */
function raisePerformanceAlert(input: RecordBatchInput, judged: JudgedBatch): Promise<AlertOutcome> {
  const { summary, degradation, drift } = judged;
  const message = performanceAlertMessage({
    model: input.model,
    version: input.version,
    batchId: summary.batchId,
    source: input.source,
    count: input.columns.count,
    timestamp: summary.timestamp,
    degradation,
    drift,
    baselineSource: judged.baselineLabel,
    rawUri: summary.rawUri,
  });
  return raiseAlert({ type: AlertType.performanceDrift, model: input.model, version: input.version, severity: degradation.severity, link: { batchId: summary.batchId }, ...message });
}
