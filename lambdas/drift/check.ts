/**
 * One drift check from loaded data to its outcomes, in the order that keeps nothing silently lost:
 * 1. the report (drift core: `buildDriftReport` over the baseline profile and the current columns),
 * 2. the HTML page (`reports/drift/{model}/{checkId}.html`: summary, per-feature histograms) and the full
 *    report JSON (`….json`, naming the page) to S3,
 * 3. the summary row (status `completed`),
 * 4. the metrics (DataDriftScore, DriftDetected, DriftChecks by ModelName; FeaturePSI by ModelName, FeatureName),
 * 5. the alert when drift was found (the inbox and SNS, deduplicated as lambdas/shared/alerts.ts says),
 * 6. the `mlwatch Drift Detected` event and the model's retraining policy (announce.ts),
 * then the row is updated with what happened to 4, 5 and 6 — a failed publish, alert or event is recorded
 * there and logged, never dropped — and the check is audited.
 */
import {
  buildDriftReport,
  featureHistograms,
  renderDriftReportHtml,
  type DriftReport,
  type DriftThresholds,
  type FeaturePair,
} from "../core/drift/index.js";
import { AlertType, raiseAlert } from "../alerts/index.js";
import { recordAudit } from "../shared/audit.js";
import { resourceNames } from "../shared/env.js";
import { serviceLogger } from "../shared/logger.js";
import { Dimension, MetricName, publishMetrics, type MetricValue } from "../shared/metrics.js";
import { driftAlertBody, driftAlertSubject, driftAlertSummary } from "./alert-message.js";
import { announceDriftCheck } from "./announce.js";
import type { LoadedData } from "./loaded-data.js";
import { pairsOf } from "./compare-data.js";
import type { BaselineProfile } from "./profile.js";
import { suggestConstraints } from "./model-monitor/constraints.js";
import { type ConstraintCheckType, type ConstraintViolation, countByCheckType, evaluateConstraints } from "./model-monitor/violations.js";
import { putJson, putText, removeOrphan, reportHtmlKey, reportKey, violationsKey } from "./store/objects.js";
import { putCheck, updateCheck, type CheckRecord, type CheckSource, type DriftedFeature } from "./store/checks.js";
import { alertFingerprint } from "../core/alerts/fingerprint.js";
import { type CheckCost, type CheckUsage, checkCost, lambdaGbSeconds } from "../core/cost/check-cost.js";
import { checkPrices, currentUsage, functionMemoryMb } from "../shared/usage.js";

const logger = serviceLogger("drift");

/** What identifies a check. */
export interface CheckContext {
  readonly model: string;
  readonly checkId: string;
  readonly source: CheckSource;
  readonly baselineId: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly dataUri?: string;
  readonly thresholds?: Partial<DriftThresholds>;
  readonly requestId?: string;
}

/** The JSON stored in S3 for every completed check. */
export interface StoredReport {
  readonly checkId: string;
  readonly model: string;
  readonly baselineId: string;
  readonly source: CheckSource;
  readonly dataUri?: string;
  readonly createdAt: string;
  readonly completedAt: string;
  readonly rows: number;
  readonly objects: number;
  readonly warnings: string[];
  readonly driftDetected: boolean;
  readonly driftShare: number;
  readonly severity: string;
  readonly driftedFeatures: DriftedFeature[];
  /** The HTML page of this report. */
  readonly reportHtmlUri: string;
  /** Model Monitor constraint violations per check type; the list is in `violationsUri` (constraint_violations.json). */
  readonly violationCounts?: Record<ConstraintCheckType, number>;
  readonly violationsUri?: string;
  /** What this check cost, measured from its own run (lambdas/core/cost/check-cost.ts). */
  readonly cost?: CheckCost;
  readonly report: DriftReport;
}

/** The drifted features of a report, highest PSI first, with the p-value that decided them. */
export function driftedFeaturesOf(report: DriftReport): DriftedFeature[] {
  return Object.entries(report.features)
    .filter(([, f]) => f.driftDetected)
    .map(([name, f]) => ({
      name,
      severity: f.severity,
      psi: f.tests.psi?.value,
      pValue: f.tests.ks?.adjustedPValue ?? f.tests.chiSquare?.adjustedPValue ?? f.tests.ks?.pValue ?? f.tests.chiSquare?.pValue,
    }))
    .sort((a, b) => (b.psi ?? 0) - (a.psi ?? 0));
}

/** The overall severity: the highest of the features'. */
export function overallSeverity(report: DriftReport): "none" | "moderate" | "high" {
  let worst: "none" | "moderate" | "high" = "none";
  for (const f of Object.values(report.features)) {
    if (f.severity === "high") return "high";
    if (f.severity === "moderate") worst = "moderate";
  }
  return worst;
}

export { compareWithBaseline, pairsOf } from "./compare-data.js";

function violationMetrics(model: string, counts: Record<ConstraintCheckType, number>): MetricValue[] {
  return Object.entries(counts).map(([type, n]) => ({ name: MetricName.constraintViolations, value: n, unit: "Count" as const, dimensions: { [Dimension.model]: model, [Dimension.constraintCheckType]: type } }));
}

function metricsOf(model: string, report: DriftReport, cost: CheckCost): MetricValue[] {
  const dims = { [Dimension.model]: model };
  const values: MetricValue[] = [
    { name: MetricName.driftCheckCost, value: cost.estimatedUsd, unit: "None", dimensions: dims },
    { name: MetricName.dataDriftScore, value: report.driftShare, dimensions: dims },
    { name: MetricName.driftDetected, value: report.driftDetected ? 1 : 0, dimensions: dims },
    { name: MetricName.driftChecks, value: 1, unit: "Count", dimensions: dims },
  ];
  for (const [feature, f] of Object.entries(report.features)) {
    const psi = f.tests.psi?.value;
    if (psi !== undefined) values.push({ name: MetricName.featurePsi, value: psi, dimensions: { ...dims, [Dimension.feature]: feature } });
  }
  return values;
}

const message = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 1000);

/**
 * Runs a check end to end and records it.
 * @param existing true when a `pending` row exists (async checks), false to create the row (sync, monitor)
 * @returns the final summary row and the stored report
 */
export async function completeCheck(
  ctx: CheckContext,
  profile: BaselineProfile,
  data: LoadedData,
  existing: boolean,
): Promise<{ record: CheckRecord; stored: StoredReport }> {
  const invalid: Record<string, number> = Object.create(null);
  for (const [name, column] of data.columns) if (column.invalid > 0) invalid[name] = column.invalid;
  return completeCheckFrom(ctx, profile, { pairs: pairsOf(profile, data), rows: data.rows, objects: data.objects, warnings: data.warnings, unexpectedFeatures: data.unexpectedFeatures, invalid }, existing);
}

/** What a check's report is built from: the feature pairs and the facts of the load (single worker or merged fan-out summaries). */
export interface CheckInput {
  readonly pairs: Record<string, FeaturePair>;
  readonly rows: number;
  readonly objects: number;
  readonly warnings: string[];
  readonly unexpectedFeatures?: readonly string[];
  /** Non-numeric values met in numerical features (Model Monitor's data_type_check); absent after a fan-out. */
  readonly invalid?: Readonly<Record<string, number>>;
  /** What ran elsewhere for this check (a fan-out's shards and its state transitions), added to this run's usage. */
  readonly elsewhere?: CheckUsage;
}

/** Writes of the completion still to come when the cost is taken (HTML, constraint_violations.json, report JSON). */
const reportWrites = 3;

/**
 * The check's cost: this run's measured duration × the function's memory and its counted S3 requests (the
 * report writes that follow included), plus what ran elsewhere for it.
 */
function costOfRun(elsewhere?: CheckUsage): CheckCost {
  const usage = currentUsage();
  const ms = usage ? performance.now() - usage.startedAt : 0;
  return checkCost(
    {
      lambdaGbSeconds: lambdaGbSeconds(ms, functionMemoryMb()) + (elsewhere?.lambdaGbSeconds ?? 0),
      stepFunctionsTransitions: elsewhere?.stepFunctionsTransitions ?? 0,
      s3ReadRequests: (usage?.s3ReadRequests ?? 0) + (elsewhere?.s3ReadRequests ?? 0),
      s3WriteRequests: (usage?.s3WriteRequests ?? 0) + reportWrites + (elsewhere?.s3WriteRequests ?? 0),
    },
    checkPrices(),
  );
}

/**
 * Completes a check from its feature pairs: the one completion path of the single worker and of the
 * fan-out reduce (reports, row, metrics, alert, audit).
 */
export async function completeCheckFrom(
  ctx: CheckContext,
  profile: BaselineProfile,
  data: CheckInput,
  existing: boolean,
): Promise<{ record: CheckRecord; stored: StoredReport }> {
  const started = performance.now();
  const pairs = data.pairs;
  const report = buildDriftReport(pairs, ctx.thresholds, { unexpectedFeatures: data.unexpectedFeatures });
  const completedAt = new Date().toISOString();
  const driftedFeatures = driftedFeaturesOf(report);
  const severity = overallSeverity(report);
  const jsonKey = reportKey(ctx.model, ctx.checkId);
  // Model Monitor's view of the same comparison: the imported constraints, else those its baselining job would suggest.
  const constraints = profile.modelMonitor?.constraints ?? suggestConstraints(profile);
  const violations: ConstraintViolation[] = evaluateConstraints(constraints, pairs, report, { invalid: data.invalid, unexpectedFeatures: report.unexpectedFeatures });
  const violationCounts = countByCheckType(violations);
  const vKey = violationsKey(ctx.model, ctx.checkId);
  const cost = costOfRun(data.elsewhere);
  const html = renderDriftReportHtml({
    model: ctx.model,
    checkId: ctx.checkId,
    baselineId: ctx.baselineId,
    source: ctx.source,
    dataUri: ctx.dataUri,
    completedAt,
    rows: data.rows,
    baselineRows: profile.rows,
    severity,
    reportUri: `s3://${resourceNames().bucket}/${jsonKey}`,
    report,
    histograms: featureHistograms(pairs, { bins: report.thresholds.psiBins, discreteValues: report.thresholds.discreteValues }),
    violations: { counts: violationCounts, list: violations, uri: `s3://${resourceNames().bucket}/${vKey}` },
    cost,
  });
  const htmlKey = reportHtmlKey(ctx.model, ctx.checkId);
  const reportHtmlUri = await putText(htmlKey, html, "text/html; charset=utf-8");
  let violationsUri: string;
  try {
    violationsUri = await putJson(vKey, { violations });
  } catch (err) {
    await removeOrphan(htmlKey, { model: ctx.model, checkId: ctx.checkId });
    throw err;
  }
  const stored: StoredReport = {
    checkId: ctx.checkId,
    model: ctx.model,
    baselineId: ctx.baselineId,
    source: ctx.source,
    dataUri: ctx.dataUri,
    createdAt: ctx.createdAt,
    completedAt,
    rows: data.rows,
    objects: data.objects,
    warnings: data.warnings,
    driftDetected: report.driftDetected,
    driftShare: report.driftShare,
    severity,
    driftedFeatures,
    reportHtmlUri,
    violationCounts,
    violationsUri,
    cost,
    report,
  };
  let reportUri: string;
  try {
    reportUri = await putJson(jsonKey, stored);
  } catch (err) {
    await Promise.all([removeOrphan(htmlKey, { model: ctx.model, checkId: ctx.checkId }), removeOrphan(vKey, { model: ctx.model, checkId: ctx.checkId })]);
    throw err;
  }

  const summary: CheckRecord = {
    model: ctx.model,
    checkId: ctx.checkId,
    status: "completed",
    source: ctx.source,
    baselineId: ctx.baselineId,
    createdAt: ctx.createdAt,
    createdBy: ctx.createdBy,
    dataUri: ctx.dataUri,
    thresholds: ctx.thresholds,
    completedAt,
    rows: data.rows,
    objects: data.objects,
    driftDetected: report.driftDetected,
    driftShare: report.driftShare,
    severity,
    featureCount: Object.keys(report.features).length,
    driftedFeatures,
    reportUri,
    reportHtmlUri,
    violationCounts,
    cost,
    warnings: data.warnings.length > 0 ? data.warnings.slice(0, 20) : undefined,
  };
  try {
    if (existing) await updateCheck(ctx.model, ctx.checkId, summary);
    else await putCheck(summary);
  } catch (err) {
    // No summary, no report: a failed write leaves no object behind (the check is marked failed, or the caller retries).
    await Promise.all([htmlKey, jsonKey, vKey].map((key) => removeOrphan(key, { model: ctx.model, checkId: ctx.checkId })));
    throw err;
  }

  const outcome: { metricsPublished?: number; metricsError?: string; alert?: CheckRecord["alert"]; event?: CheckRecord["event"]; retraining?: CheckRecord["retraining"]; durationMs?: number } = {};
  try {
    outcome.metricsPublished = await publishMetrics(resourceNames().metricsNamespace, [...metricsOf(ctx.model, report, cost), ...(constraints.emitMetrics ? violationMetrics(ctx.model, violationCounts) : [])]);
  } catch (err) {
    outcome.metricsError = message(err);
    logger.error("drift metrics not published", { model: ctx.model, checkId: ctx.checkId, error: err as Error });
  }
  if (report.driftDetected) {
    try {
      const names = driftedFeatures.map((f) => f.name).sort();
      const sent = await raiseAlert({
        type: AlertType.dataDrift,
        model: ctx.model,
        severity,
        summary: driftAlertSummary(ctx.model, names, severity),
        link: { checkId: ctx.checkId, reportUri },
        subject: driftAlertSubject(ctx.model, driftedFeatures.length),
        body: driftAlertBody(
          { model: ctx.model, checkId: ctx.checkId, baselineId: ctx.baselineId, source: ctx.source, dataUri: ctx.dataUri, rows: data.rows, baselineRows: profile.rows, reportUri, reportHtmlUri, severity, completedAt },
          report,
        ),
        fingerprint: alertFingerprint.dataDrift(names),
      });
      outcome.alert = { sent: sent.sent, alertId: sent.alertId, occurrences: sent.occurrences, messageId: sent.messageId, suppressedUntil: sent.suppressedUntil, error: sent.error };
      if (sent.error) logger.error("drift alert not sent", { model: ctx.model, checkId: ctx.checkId, alertId: sent.alertId, error: sent.error });
    } catch (err) {
      outcome.alert = { sent: false, error: message(err) };
      logger.error("drift alert not sent", { model: ctx.model, checkId: ctx.checkId, error: err as Error });
    }
  }
  Object.assign(outcome, await announceDriftCheck(summary, report));
  outcome.durationMs = Math.round(performance.now() - started);
  await updateCheck(ctx.model, ctx.checkId, outcome);
  const record = { ...summary, ...outcome } as CheckRecord;

  await recordAudit({
    type: "drift.checked",
    actor: ctx.createdBy,
    model: ctx.model,
    target: `models/${ctx.model}/drift-checks/${ctx.checkId}`,
    details: {
      source: ctx.source,
      baselineId: ctx.baselineId,
      rows: data.rows,
      driftDetected: report.driftDetected,
      driftShare: report.driftShare,
      driftedFeatures: driftedFeatures.map((f) => f.name),
      alert: outcome.alert,
      event: outcome.event,
      retraining: outcome.retraining,
      reportUri,
      reportHtmlUri,
    },
    requestId: ctx.requestId,
  });
  logger.info("drift check completed", { model: ctx.model, checkId: ctx.checkId, rows: data.rows, driftDetected: report.driftDetected, driftShare: report.driftShare });
  return { record, stored };
}
