/**
 * What a recorded batch tells the rest of the world beyond metrics and the SNS alert: the
 * `mlwatch Performance Degraded` event when the batch degraded, and a retraining request when the
 * primary metric's degradation crosses the model's policy (`onPerformanceDegradationPercent`). Never
 * throws: both outcomes are returned for the batch's record and audit entry.
 */
import type { DegradationResult, PerformanceDrift } from "../core/performance/degradation.js";
import { performanceDrift } from "../core/performance/degradation.js";
import type { QualityMetric } from "../core/performance/metric-names.js";
import { MlwatchEventType } from "../shared/event-types.js";
import { publishEvent, type EventOutcome } from "../shared/events-bus.js";
import { applyRetrainingPolicy, type RetrainingSummary } from "../retraining/index.js";

/** What the event reports: the primary metric when it degraded, else the first degraded metric. */
export function reportedDegradation(
  degradation: DegradationResult,
  primary: PerformanceDrift | undefined,
): { metric: string; value: number; baseline: number | null; degradationPercent: number | null } | undefined {
  const finding = degradation.findings.find((f) => f.metric === primary?.metric) ?? degradation.findings[0];
  if (!finding) return undefined;
  if (primary && finding.metric === primary.metric) {
    return { metric: primary.metric, value: primary.current, baseline: primary.baseline, degradationPercent: primary.degradationPct };
  }
  const drift = finding.baseline === null ? undefined : performanceDrift(finding.metric as QualityMetric, { [finding.metric]: finding.current }, { [finding.metric]: finding.baseline });
  return { metric: finding.metric, value: finding.current, baseline: finding.baseline, degradationPercent: drift?.degradationPct ?? null };
}

/** Publishes the degradation event (when the batch degraded) and applies the retraining policy. */
export async function announceBatch(batch: {
  readonly model: string;
  readonly version: string;
  readonly batchId: string;
  readonly degradation: DegradationResult;
  readonly drift: PerformanceDrift | undefined;
  readonly caller: string;
  readonly requestId: string;
}): Promise<{ event?: EventOutcome; retraining?: RetrainingSummary }> {
  const out: { event?: EventOutcome; retraining?: RetrainingSummary } = {};
  const reported = batch.degradation.degraded ? reportedDegradation(batch.degradation, batch.drift) : undefined;
  if (reported) {
    out.event = await publishEvent(MlwatchEventType.performanceDegraded, {
      model: batch.model,
      version: batch.version,
      batchId: batch.batchId,
      ...reported,
      severity: batch.degradation.severity === "high" ? "high" : "moderate",
    });
  }
  const retraining = await applyRetrainingPolicy({
    model: batch.model,
    trigger: "performance",
    value: batch.drift?.degradationPct,
    evidence: { batchId: batch.batchId },
    detail: `${batch.drift?.metric ?? "primary metric"} of version ${batch.version} in batch ${batch.batchId}`,
    requestedBy: batch.caller,
    auditRequestId: batch.requestId,
  });
  if (retraining) out.retraining = retraining;
  return out;
}
