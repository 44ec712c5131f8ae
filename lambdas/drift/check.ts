/**
 * One drift check from loaded data to its outcomes. The report is built first, without I/O (drift core:
 * `buildDriftReport` over the baseline profile and the current columns; Model Monitor's constraint view of the
 * same comparison; the HTML page). Then the check is finished as every check and batch is
 * (lambdas/shared/finishing.ts), in the order that keeps nothing silently lost:
 * 1. the HTML page (`reports/drift/{model}/{checkId}.html`: summary, per-feature histograms),
 *    constraint_violations.json and the full report JSON (`….json`, naming both) to S3, then the summary row
 *    (status `completed`) — a failure removes the objects already written, and the check fails;
 * 2. the metrics (DataDriftScore, DriftDetected, DriftChecks by ModelName; FeaturePSI by ModelName, FeatureName),
 * 3. the alert when drift was found (the inbox and SNS, deduplicated by the drifted features),
 * 4. the `mlwatch Drift Detected` event and the model's retraining policy (announce.ts),
 * 5. the row is updated with what happened to 2–4 (`metricsPublished`, `alert`, `event`, `retraining`, and
 *    `incomplete`: the steps that did not complete — recorded there, logged and counted, never dropped),
 * 6. the check is audited.
 */
import {
  buildDriftReport,
  featureHistograms,
  renderDriftReportHtml,
  type DriftReport,
  type FeaturePair,
} from "../core/drift/index.js";
import { AlertType, raiseAlert, type AlertOutcome } from "../alerts/index.js";
import type { RetrainingSummary } from "../retraining/index.js";
import { recordAudit } from "../shared/audit.js";
import { resourceNames } from "../shared/env.js";
import { serviceLogger } from "../shared/logger.js";
import { FinishingStep, finishRecording, type FinishingOutcome } from "../shared/finishing.js";
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

/** What identifies a check: the first fields of its summary item, and the request that made it. */
export interface CheckContext extends Pick<CheckRecord, "model" | "checkId" | "source" | "baselineId" | "createdAt" | "createdBy" | "dataUri" | "thresholds"> {
  readonly requestId?: string;
}

/** The context of a stored check (a worker or the fan-out's reduce completing it). */
export function checkContextOf(check: CheckRecord, requestId?: string): CheckContext {
  const { model, checkId, source, baselineId, createdAt, createdBy, dataUri, thresholds } = check;
  return { model, checkId, source, baselineId, createdAt, createdBy, dataUri, thresholds, requestId };
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

/** What a check's report and pages are, before anything is written. */
interface BuiltCheck {
  readonly report: DriftReport;
  readonly completedAt: string;
  readonly driftedFeatures: DriftedFeature[];
  readonly severity: "none" | "moderate" | "high";
  readonly emitViolationMetrics: boolean;
  readonly violations: ConstraintViolation[];
  readonly violationCounts: Record<ConstraintCheckType, number>;
  readonly cost: CheckCost;
  readonly html: string;
  readonly keys: { readonly json: string; readonly html: string; readonly violations: string };
}

/** The report, Model Monitor's view of it, the cost and the HTML page of a check (no I/O). */
function buildCheck(ctx: CheckContext, profile: BaselineProfile, data: CheckInput): BuiltCheck {
  const report = buildDriftReport(data.pairs, ctx.thresholds, { unexpectedFeatures: data.unexpectedFeatures });
  const completedAt = new Date().toISOString();
  const severity = overallSeverity(report);
  const keys = { json: reportKey(ctx.model, ctx.checkId), html: reportHtmlKey(ctx.model, ctx.checkId), violations: violationsKey(ctx.model, ctx.checkId) };
  // Model Monitor's view of the same comparison: the imported constraints, else those its baselining job would suggest.
  const constraints = profile.modelMonitor?.constraints ?? suggestConstraints(profile);
  const violations = evaluateConstraints(constraints, data.pairs, report, { invalid: data.invalid, unexpectedFeatures: report.unexpectedFeatures });
  const violationCounts = countByCheckType(violations);
  const cost = costOfRun(data.elsewhere);
  const bucket = resourceNames().bucket;
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
    reportUri: `s3://${bucket}/${keys.json}`,
    report,
    histograms: featureHistograms(data.pairs, { bins: report.thresholds.psiBins, discreteValues: report.thresholds.discreteValues }),
    violations: { counts: violationCounts, list: violations, uri: `s3://${bucket}/${keys.violations}` },
    cost,
  });
  return { report, completedAt, driftedFeatures: driftedFeaturesOf(report), severity, emitViolationMetrics: constraints.emitMetrics, violations, violationCounts, cost, html, keys };
}

/**
 * Step 1 of finishing a check: the HTML page, constraint_violations.json and the report JSON (naming both),
 * then the summary row (status `completed`). Each object is declared as written, so a later failure removes it.
 */
async function storeCheck(ctx: CheckContext, data: CheckInput, built: BuiltCheck, existing: boolean, written: (key: string) => void): Promise<{ summary: CheckRecord; stored: StoredReport }> {
  const { report, completedAt, driftedFeatures, severity, violationCounts, cost, keys } = built;
  const reportHtmlUri = await putText(keys.html, built.html, "text/html; charset=utf-8");
  written(keys.html);
  const violationsUri = await putJson(keys.violations, { violations: built.violations });
  written(keys.violations);
  const facts = { model: ctx.model, checkId: ctx.checkId, baselineId: ctx.baselineId, source: ctx.source, dataUri: ctx.dataUri, createdAt: ctx.createdAt, completedAt, rows: data.rows, objects: data.objects };
  const verdict = { driftDetected: report.driftDetected, driftShare: report.driftShare, severity, driftedFeatures };
  const stored: StoredReport = { ...facts, warnings: data.warnings, ...verdict, reportHtmlUri, violationCounts, violationsUri, cost, report };
  const reportUri = await putJson(keys.json, stored);
  written(keys.json);
  const summary: CheckRecord = {
    ...facts,
    status: "completed",
    createdBy: ctx.createdBy,
    thresholds: ctx.thresholds,
    ...verdict,
    featureCount: Object.keys(report.features).length,
    reportUri,
    reportHtmlUri,
    violationCounts,
    cost,
    warnings: data.warnings.length > 0 ? data.warnings.slice(0, 20) : undefined,
  };
  if (existing) await updateCheck(ctx.model, ctx.checkId, summary);
  else await putCheck(summary);
  return { summary, stored };
}

/** Step 3 of finishing a check that found drift: the inbox and SNS, deduplicated by the drifted features. */
function raiseDriftAlert(ctx: CheckContext, profile: BaselineProfile, built: BuiltCheck, summary: CheckRecord): Promise<AlertOutcome> {
  const { report, driftedFeatures, severity, completedAt } = built;
  const names = driftedFeatures.map((f) => f.name).sort();
  const reportUri = summary.reportUri as string;
  return raiseAlert({
    type: AlertType.dataDrift,
    model: ctx.model,
    severity,
    summary: driftAlertSummary(ctx.model, names, severity),
    link: { checkId: ctx.checkId, reportUri },
    subject: driftAlertSubject(ctx.model, driftedFeatures.length),
    body: driftAlertBody(
      { model: ctx.model, checkId: ctx.checkId, baselineId: ctx.baselineId, source: ctx.source, dataUri: ctx.dataUri, rows: summary.rows ?? 0, baselineRows: profile.rows, reportUri, reportHtmlUri: summary.reportHtmlUri as string, severity, completedAt },
      report,
    ),
    fingerprint: alertFingerprint.dataDrift(names),
  });
}

/** The check row's fields of a finishing outcome (a failed metrics step keeps its `metricsError`). */
function outcomeFields(outcome: FinishingOutcome<AlertOutcome, RetrainingSummary>): Partial<CheckRecord> {
  const metricsError = outcome.incomplete.find((i) => i.step === FinishingStep.metrics)?.error;
  const a = outcome.alert as Partial<AlertOutcome> & { sent: boolean; error?: string } | undefined;
  return {
    metricsPublished: outcome.metricsPublished,
    metricsError,
    alert: a && { sent: a.sent, alertId: a.alertId, occurrences: a.occurrences, messageId: a.messageId, suppressedUntil: a.suppressedUntil, error: a.error },
    event: outcome.event,
    retraining: outcome.retraining,
    incomplete: outcome.incomplete.length > 0 ? [...outcome.incomplete] : undefined,
  };
}

/**
 * Completes a check from its feature pairs: the one completion path of the single worker and of the
 * fan-out reduce, finished as every check and batch is (lambdas/shared/finishing.ts: reports and row, metrics,
 * alert, event and retraining, outcome, audit).
 */
export async function completeCheckFrom(
  ctx: CheckContext,
  profile: BaselineProfile,
  data: CheckInput,
  existing: boolean,
): Promise<{ record: CheckRecord; stored: StoredReport }> {
  const started = performance.now();
  const built = buildCheck(ctx, profile, data);
  const ids = { model: ctx.model, checkId: ctx.checkId };
  let durationMs = 0;
  const { stored: done, outcome } = await finishRecording<{ summary: CheckRecord; stored: StoredReport }, AlertOutcome, RetrainingSummary>({
    operation: "drift-check",
    model: ctx.model,
    context: { ...ids, requestId: ctx.requestId },
    store: (written) => storeCheck(ctx, data, built, existing, written),
    removeObject: (key) => removeOrphan(key, ids),
    publishMetrics: () =>
      publishMetrics(resourceNames().metricsNamespace, [...metricsOf(ctx.model, built.report, built.cost), ...(built.emitViolationMetrics ? violationMetrics(ctx.model, built.violationCounts) : [])]),
    raiseAlert: async ({ summary }) => (built.report.driftDetected ? raiseDriftAlert(ctx, profile, built, summary) : undefined),
    announce: ({ summary }) => announceDriftCheck(summary, built.report),
    recordOutcome: async (_, outcome) => {
      durationMs = Math.round(performance.now() - started);
      await updateCheck(ctx.model, ctx.checkId, { ...outcomeFields(outcome), durationMs });
    },
    audit: async ({ summary }, outcome) => {
      await recordAudit({
        type: "drift.checked",
        actor: ctx.createdBy,
        model: ctx.model,
        target: `models/${ctx.model}/drift-checks/${ctx.checkId}`,
        details: {
          source: ctx.source,
          baselineId: ctx.baselineId,
          rows: data.rows,
          driftDetected: built.report.driftDetected,
          driftShare: built.report.driftShare,
          driftedFeatures: built.driftedFeatures.map((f) => f.name),
          alert: outcome.alert,
          event: outcome.event,
          retraining: outcome.retraining,
          ...(outcome.incomplete.length > 0 ? { incomplete: outcome.incomplete } : {}),
          reportUri: summary.reportUri,
          reportHtmlUri: summary.reportHtmlUri,
        },
        requestId: ctx.requestId,
      });
    },
  });
  const record = { ...done.summary, ...outcomeFields(outcome), durationMs } as CheckRecord;
  logger.info("drift check completed", { ...ids, rows: data.rows, driftDetected: built.report.driftDetected, driftShare: built.report.driftShare });
  return { record, stored: done.stored };
}
