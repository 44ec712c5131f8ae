/**
 * State changes of mlwatch's CloudWatch alarms into the inbox (EventBridge `CloudWatch Alarm State
 * Change`, rule in lambdas/shared/event-rules.ts). ALARM raises an alert of type `alarm` (fingerprint: the
 * alarm's name; CloudWatch has already notified the topic, so nothing more is published); OK resolves that
 * alert when it is still unresolved, with the actor `aws.cloudwatch`. Other states are ignored.
 */
import { recordAudit } from "../shared/audit.js";
import { alertRetentionDays, publishOpenAlerts, raiseAlert, type AlertOutcome } from "./raise.js";
import { alarmStateChange } from "../shared/event-rules.js";
import { ConflictError, NotFoundError } from "../shared/errors.js";
import { serviceLogger } from "../shared/logger.js";
import { composedText, subjectLine, userText } from "../core/alerts/safe-text.js";
import { AlertType } from "./contract/alert-types.js";
import { resolveAlert } from "./store/alerts.js";
import { unresolvedAlertOf } from "./store/fingerprints.js";
import { alertFingerprint } from "../core/alerts/fingerprint.js";

const logger = serviceLogger("alerts");

/** The parts of the EventBridge event we read (the documented `CloudWatch Alarm State Change` shape). */
export interface AlarmStateChangeEvent {
  readonly source?: string;
  readonly "detail-type"?: string;
  readonly time?: string;
  readonly resources?: readonly string[];
  readonly detail?: {
    readonly alarmName?: string;
    readonly state?: { readonly value?: string; readonly reason?: string; readonly timestamp?: string };
    readonly previousState?: { readonly value?: string };
    readonly configuration?: { readonly description?: string };
  };
}

/** The actor of automatic resolutions. */
export const cloudWatchActor = "aws.cloudwatch";

/** What a state change did. */
export type AlarmStateOutcome = { readonly action: "raised"; readonly outcome: AlertOutcome } | { readonly action: "resolved"; readonly alertId: string } | { readonly action: "ignored"; readonly why: string };

/** Records one alarm state change in the inbox. */
export async function recordAlarmStateChange(event: AlarmStateChangeEvent): Promise<AlarmStateOutcome> {
  if (event.source !== alarmStateChange.source || event["detail-type"] !== alarmStateChange.detailType) return { action: "ignored", why: "not an alarm state change" };
  const alarmName = event.detail?.alarmName;
  const state = event.detail?.state?.value;
  if (!alarmName || !state) return { action: "ignored", why: "no alarm name or state" };
  const fingerprint = alertFingerprint.alarm(alarmName);
  if (state === "ALARM") {
    const reason = event.detail?.state?.reason ?? "";
    const description = event.detail?.configuration?.description ?? "";
    const outcome = await raiseAlert({
      type: AlertType.alarm,
      severity: "high",
      subject: subjectLine(`[MLWatch] ALARM: ${alarmName}`),
      summary: `${userText(alarmName)}: ${composedText(description || reason, 200)}`,
      body: `${userText(alarmName)} is in ALARM: ${composedText(reason, 400)}`,
      fingerprint,
      link: { alarmName: composedText(alarmName, 255) },
      publish: false,
    });
    return { action: "raised", outcome };
  }
  if (state === "OK") {
    const alertId = await unresolvedAlertOf(undefined, AlertType.alarm, fingerprint);
    if (!alertId) return { action: "ignored", why: "no unresolved alert for this alarm" };
    try {
      const reason = `alarm returned to OK at ${userText(event.detail?.state?.timestamp ?? event.time ?? new Date().toISOString(), 40)}`;
      const { before, after } = await resolveAlert(alertId, { actor: cloudWatchActor, reason }, alertRetentionDays());
      await recordAudit({ type: "alert.resolved", actor: cloudWatchActor, target: `alerts/${alertId}`, before: { state: before.state }, after, details: { reason } });
      await publishOpenAlerts(after.model);
      return { action: "resolved", alertId };
    } catch (err) {
      // Resolved by a person in between, or already gone: nothing left to do.
      if (err instanceof ConflictError || err instanceof NotFoundError) return { action: "ignored", why: (err as Error).message };
      throw err;
    }
  }
  logger.info("alarm state change ignored", { alarmName, state });
  return { action: "ignored", why: `state ${state}` };
}
