/**
 * SageMaker's events into mlwatch (the `sagemaker-*` rules of lambdas/shared/event-rules.ts; deployed,
 * their Lambda target runs handler.ts; locally the relay poller calls {@link handleSageMakerEvent}):
 *
 * - a failed or stopped training job of a model tagged `mlwatch-model` → an alert of type
 *   `training_failed` in the inbox (delivered to the topic like every alert; the FailureReason escaped by
 *   the safe-text rules), an audit entry `event.training_failed`, and the metric `TrainingJobFailures` by
 *   model. A redelivered event counts a repeat on the same alert (fingerprint: the job's name) and
 *   publishes, audits and counts nothing again;
 * - an endpoint in service whose tags name a model and version → a deployment record of that version
 *   (`source: "eventbridge"`, endpoint, variant), once per EventBridge event id;
 * - anything else the rules let through (no tags, invalid tags, an unknown version) → the metric
 *   `SageMakerEventsIgnored` by detail-type and reason, and a log line.
 */
import { cut, maxValueChars, subjectLine, userText } from "../core/alerts/safe-text.js";
import { IgnoreReason, interpretSageMakerEvent, type EndpointDeployment, type IgnoredEvent, type IncomingEvent, type TrainingFailure } from "../core/sagemaker/events.js";
import { AlertType, raiseAlert, type AlertOutcome } from "../alerts/index.js";
import { recordAudit } from "../shared/audit.js";
import { resourceNames } from "../shared/env.js";
import { NotFoundError } from "../shared/errors.js";
import { serviceLogger } from "../shared/logger.js";
import { Dimension, MetricName, publishMetrics } from "../shared/metrics.js";
import { recordDeploymentOnce, type DeploymentRecord } from "../registry/index.js";
import { alertFingerprint } from "../core/alerts/fingerprint.js";

const logger = serviceLogger("sagemaker");

/** The actor of everything recorded from SageMaker's events. */
export const sageMakerActor = "aws.sagemaker";

/** What one event did. */
export type SageMakerEventOutcome =
  | { readonly action: "alerted"; readonly alert: AlertOutcome }
  | { readonly action: "deployed"; readonly deployment: DeploymentRecord | null }
  | { readonly action: "ignored"; readonly reason: IgnoredEvent["reason"] };

/** Handles one SageMaker event (a thrown error leaves the event to EventBridge's retry / the relay's redelivery). */
export async function handleSageMakerEvent(event: IncomingEvent): Promise<SageMakerEventOutcome> {
  const meaning = interpretSageMakerEvent(event);
  if (meaning.kind === "training_failed") return trainingFailed(meaning, event);
  if (meaning.kind === "deployment") return deployed(meaning);
  return ignore(meaning);
}

async function ignore(meaning: IgnoredEvent): Promise<SageMakerEventOutcome> {
  logger.info("sagemaker event ignored", { detailType: meaning.detailType, reason: meaning.reason });
  await publishMetrics(resourceNames().metricsNamespace, [
    { name: MetricName.sageMakerEventsIgnored, value: 1, unit: "Count", dimensions: { [Dimension.detailType]: meaning.detailType, [Dimension.reason]: meaning.reason } },
  ]);
  return { action: "ignored", reason: meaning.reason };
}

async function trainingFailed(job: TrainingFailure, event: IncomingEvent): Promise<SageMakerEventOutcome> {
  const verb = job.status === "Failed" ? "failed" : "was stopped";
  const reason = job.failureReason ?? (job.status === "Stopped" ? "stopped before completion (no FailureReason)" : "no FailureReason given");
  const alert = await raiseAlert({
    type: AlertType.trainingFailed,
    model: job.model,
    severity: job.status === "Failed" ? "high" : "moderate",
    subject: subjectLine(`[MLWatch] Training ${verb}: ${job.model}`),
    // raiseAlert escapes the summary as a whole (userText): here only cut, or it would be escaped twice.
    summary: `training job ${cut(job.jobName, maxValueChars)} ${verb}: ${cut(reason, maxValueChars)}`,
    body: [
      `The SageMaker training job ${userText(job.jobName)} of model ${job.model} ${verb} at ${job.at}.`,
      `FailureReason: ${userText(reason)}`,
      job.jobArn ? `Job: ${userText(job.jobArn)}` : "",
      `EventBridge event: ${userText(event.id ?? "unknown", 80)}`,
    ]
      .filter(Boolean)
      .join("\n"),
    fingerprint: alertFingerprint.trainingFailed(job.jobName),
    link: { trainingJobName: userText(job.jobName) },
  });
  if (!alert.repeat) {
    await recordAudit({
      type: "event.training_failed",
      actor: sageMakerActor,
      model: job.model,
      target: `models/${job.model}`,
      details: { jobName: job.jobName, status: job.status, failureReason: job.failureReason ?? null, jobArn: job.jobArn ?? null, alertId: alert.alertId, source: "eventbridge" },
    });
    await publishMetrics(resourceNames().metricsNamespace, [{ name: MetricName.trainingJobFailures, value: 1, unit: "Count", dimensions: { [Dimension.model]: job.model } }]);
  }
  logger.info("training job failure recorded", { model: job.model, jobName: job.jobName, status: job.status, alertId: alert.alertId, repeat: alert.repeat, sent: alert.sent });
  return { action: "alerted", alert };
}

async function deployed(d: EndpointDeployment): Promise<SageMakerEventOutcome> {
  try {
    const deployment = await recordDeploymentOnce(
      d.model,
      d.version,
      { endpointName: d.endpointName, environment: d.environment, ...(d.region ? { region: d.region } : {}) },
      { caller: sageMakerActor, requestId: d.eventId ?? "eventbridge" },
      { source: "eventbridge", variant: d.variant, endpointConfigName: d.endpointConfigName, at: d.at, id: d.eventId ?? `${d.endpointName}-${d.at}` },
    );
    logger.info("deployment recorded from an endpoint event", { model: d.model, version: d.version, endpoint: d.endpointName, duplicate: deployment === null });
    return { action: "deployed", deployment };
  } catch (err) {
    // The tags name a model or version the registry does not have: counted and ignored, like a missing tag.
    if (err instanceof NotFoundError) return ignore({ kind: "ignored", reason: IgnoreReason.unknownVersion, detailType: "SageMaker Endpoint State Change" });
    throw err;
  }
}
