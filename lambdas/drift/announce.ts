/**
 * What a completed drift check tells the rest of the world beyond metrics and the SNS alert: the
 * `mlwatch Drift Detected` event when it found drift, and a retraining request when the model's policy
 * (`onDriftPsiAbove`) is crossed by the highest feature PSI. Never throws: both outcomes are returned for
 * the check's record and audit entry.
 */
import type { DriftReport } from "../core/drift/index.js";
import { MlwatchEventType } from "../shared/event-types.js";
import { publishEvent, type EventOutcome } from "../shared/events-bus.js";
import { applyRetrainingPolicy, type RetrainingSummary } from "../retraining/index.js";
import type { CheckRecord } from "./store/checks.js";

/** Most drifted features named in the event (the report has all of them). */
const maxEventFeatures = 50;

/** The highest PSI of a report and the feature it belongs to. */
export function highestPsi(report: DriftReport): { feature: string; psi: number } | undefined {
  let best: { feature: string; psi: number } | undefined;
  for (const [feature, f] of Object.entries(report.features)) {
    const psi = f.tests.psi?.value;
    if (psi !== undefined && Number.isFinite(psi) && (!best || psi > best.psi)) best = { feature, psi };
  }
  return best;
}

/** Publishes the drift event (when drift was found) and applies the retraining policy. */
export async function announceDriftCheck(check: CheckRecord, report: DriftReport): Promise<{ event?: EventOutcome; retraining?: RetrainingSummary }> {
  const out: { event?: EventOutcome; retraining?: RetrainingSummary } = {};
  const drifted = check.driftedFeatures ?? [];
  if (report.driftDetected) {
    out.event = await publishEvent(MlwatchEventType.driftDetected, {
      model: check.model,
      checkId: check.checkId,
      baselineId: check.baselineId,
      driftShare: report.driftShare,
      severity: (check.severity ?? "none") as "none" | "moderate" | "high",
      driftedFeatures: drifted.slice(0, maxEventFeatures).map((f) => ({ name: f.name, psi: f.psi ?? null, pValue: f.pValue ?? null })),
      driftedFeatureCount: drifted.length,
      reportUri: check.reportUri as string,
    });
  }
  const top = highestPsi(report);
  const retraining = await applyRetrainingPolicy({
    model: check.model,
    trigger: "drift",
    value: top?.psi,
    evidence: { checkId: check.checkId },
    detail: `feature ${top?.feature ?? "?"} in drift check ${check.checkId}`,
    requestedBy: check.createdBy,
  });
  if (retraining) out.retraining = retraining;
  return out;
}
