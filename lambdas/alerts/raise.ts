/**
 * Raising an alert: every alert lands in the inbox (open-or-repeat.ts, store/), and a new one is sent to the
 * SNS topic, which e-mails and the webhook subscribe to.
 *
 * A repeat — same model, type and fingerprint (e.g. the same drifted features) while the alert is
 * unresolved or within the suppression window — increments the alert's `occurrences` and `lastSeen` and
 * sends nothing. A publish that fails is recorded on the alert (`delivery.status: failed`) and logged; the
 * next repeat resends it (one claimant wins). Messages are made safe by the callers' formatters (core
 * safe-text rules); here the subject is forced to SNS's rule and the body measured in UTF-8 bytes against
 * SNS's 256 KB once more, so nothing can be refused as too long. Message attributes `model`, `version`,
 * `alertType`, `severity` and `alertId` let subscribers filter.
 */
import { notify } from "../shared/notices.js";
import type { MessageAttributeValue } from "@aws-sdk/client-sns";
import { EnvName, optionalEnv, resourceNames } from "../shared/env.js";
import { serviceLogger } from "../shared/logger.js";
import { Dimension, MetricName, publishMetrics } from "../shared/metrics.js";
import { composedText, fitMessage, subjectLine } from "../core/alerts/safe-text.js";
import { AlertType } from "./contract/alert-types.js";
import type { AlertRecord } from "./contract.js";
import { openOrRepeat, type NewAlert, type OpenOrRepeat } from "./open-or-repeat.js";
import { claimRedelivery, setDelivery } from "./store/alerts.js";
import { unresolvedCount } from "./store/counts.js";
import { loadSns } from "../shared/sdk/sns.js";

export { AlertType };

const logger = serviceLogger("alerts");

/** One alert to raise. */
export interface Alert {
  readonly type: AlertType;
  readonly model?: string;
  readonly version?: string;
  /** `moderate` | `high` | … (a message attribute for subscription filters). */
  readonly severity: string;
  /** The e-mail subject; forced to printable ASCII under 100 characters. */
  readonly subject: string;
  /** The text a person reads (already safe: built with the core safe-text rules). */
  readonly body: string;
  /** One line for the inbox listing. */
  readonly summary: string;
  /** What makes two alerts "the same" (with model and type), e.g. the sorted drifted feature names. */
  readonly fingerprint: string;
  /** Where the detail is. */
  readonly link?: AlertRecord["link"];
  /**
   * Whether mlwatch publishes the message itself. `false` for alarm state changes: CloudWatch has already
   * sent the alarm's own notification to the topic. @default true
   */
  readonly publish?: boolean;
}

/** What happened to an alert. */
export interface AlertOutcome {
  readonly alertId: string;
  readonly sent: boolean;
  readonly messageId?: string;
  /** Whether this counted a repeat on an existing alert instead of raising a new one. */
  readonly repeat: boolean;
  readonly occurrences: number;
  /** When not sent because it repeats an alert: until when repeats stay silent even once it is resolved. */
  readonly suppressedUntil?: string;
  /** When the message could not be published. */
  readonly error?: string;
}

/** The suppression window from the environment (hours), default 6. */
export function suppressionHours(): number {
  const hours = Number(optionalEnv(EnvName.alertSuppressionHours, "6"));
  return Number.isFinite(hours) && hours >= 0 ? hours : 6;
}

/** Days a resolved alert is kept (the reports' retention), default 365. */
export function alertRetentionDays(): number {
  const days = Number(optionalEnv(EnvName.reportRetentionDays, "365"));
  return Number.isFinite(days) && days > 0 ? days : 365;
}

/** The message attributes of an alert (values cut to SNS-friendly lengths). */
export function messageAttributes(alert: AlertRecord): Record<string, MessageAttributeValue> {
  const attr = (value: string): MessageAttributeValue => ({ DataType: "String", StringValue: composedText(value, 128) });
  return {
    alertType: attr(alert.type),
    severity: attr(alert.severity),
    alertId: attr(alert.alertId),
    ...(alert.model ? { model: attr(alert.model) } : {}),
    ...(alert.version ? { version: attr(alert.version) } : {}),
  };
}

/** Publishes an inbox alert's message; the body is cut to fit SNS's limit once more. */
async function publish(alert: AlertRecord, body: string): Promise<string | undefined> {
  const { PublishCommand, snsClient } = await loadSns();
  const out = await snsClient().send(
    new PublishCommand({
      TopicArn: resourceNames().topicArn,
      Subject: subjectLine(alert.subject),
      Message: fitMessage(`${body}\n\nAlert ${alert.alertId}: mlwatch alerts show ${alert.alertId}`, undefined, alert.link.reportUri ?? "the linked report"),
      MessageAttributes: messageAttributes(alert),
    }),
  );
  return out.MessageId;
}

/** Publishes the OpenAlerts gauge of a model's count (never throws: a lost gauge is logged). */
async function publishOpenAlertsGauge(model: string): Promise<void> {
  try {
    const count = await unresolvedCount(model);
    await publishMetrics(resourceNames().metricsNamespace, [{ name: MetricName.openAlerts, value: count, unit: "Count", dimensions: { [Dimension.model]: model } }]);
  } catch (err) {
    logger.error("OpenAlerts not published", { model, error: err as Error });
  }
}

/** Publishes the OpenAlerts gauge of a model (never throws: a lost gauge is logged). */
export async function publishOpenAlerts(model: string | undefined): Promise<void> {
  if (model) await publishOpenAlertsGauge(model);
}

/**
 * What {@link raiseAlert} reads, writes and sends: the inbox, the topic and the gauge by default; tests pass
 * their own.
 */
export interface RaiseAlertIo {
  readonly openOrRepeat: (input: NewAlert, windowSeconds: number, now: Date) => Promise<OpenOrRepeat>;
  readonly claimRedelivery: (alertId: string) => Promise<boolean>;
  readonly setDelivery: (alertId: string, delivery: AlertRecord["delivery"]) => Promise<void>;
  /** Sends the message. @returns the message id */
  readonly publish: (alert: AlertRecord, body: string) => Promise<string | undefined>;
  /** Publishes the model's OpenAlerts gauge; never throws. */
  readonly publishOpenAlerts: (model: string) => Promise<void>;
  /** Tells the local console (a no-op on Lambda). */
  readonly notify: typeof notify;
}

const defaultIo: RaiseAlertIo = { openOrRepeat: (input, windowSeconds, now) => openOrRepeat(input, windowSeconds, now), claimRedelivery, setDelivery, publish, publishOpenAlerts: publishOpenAlertsGauge, notify };

async function deliver(alert: AlertRecord, body: string, io: RaiseAlertIo): Promise<{ sent: boolean; messageId?: string; error?: string }> {
  try {
    const messageId = await io.publish(alert, body);
    await io.setDelivery(alert.alertId, { status: "sent", ...(messageId ? { messageId } : {}) });
    return { sent: true, messageId };
  } catch (err) {
    const error = composedText((err as Error).message ?? String(err), 300);
    logger.error("alert not published", { alertId: alert.alertId, model: alert.model, type: alert.type, error: err as Error });
    await io.setDelivery(alert.alertId, { status: "failed", error });
    return { sent: false, error };
  }
}

/**
 * Raises an alert: a new one is stored and published; a repeat is counted on the alert it repeats.
 * @throws when the inbox cannot be written (the caller records that on its own record)
 */
export async function raiseAlert(alert: Alert, windowHours = suppressionHours(), now = new Date(), io: RaiseAlertIo = defaultIo): Promise<AlertOutcome> {
  const publishes = alert.publish ?? true;
  const input: NewAlert = {
    type: alert.type,
    model: alert.model,
    version: alert.version,
    severity: alert.severity,
    subject: subjectLine(alert.subject),
    summary: composedText(alert.summary, 300),
    link: alert.link ?? {},
    fingerprint: alert.fingerprint,
    delivery: { status: publishes ? "sending" : "by_cloudwatch" },
  };
  const { created, alert: record } = await io.openOrRepeat(input, windowHours * 3600, now);
  const tell = (outcome: AlertOutcome): AlertOutcome => {
    const delivery = !publishes ? "by CloudWatch" : outcome.sent ? "sent" : outcome.error ? `send failed: ${outcome.error}` : `suppressed, seen ${outcome.occurrences} times`;
    io.notify({ kind: "alert", alertId: record.alertId, type: record.type, model: record.model, severity: record.severity, summary: record.summary, repeat: outcome.repeat, delivery });
    return outcome;
  };
  if (created) {
    if (record.model) await io.publishOpenAlerts(record.model);
    if (!publishes) return tell({ alertId: record.alertId, sent: false, repeat: false, occurrences: 1 });
    const result = await deliver(record, alert.body, io);
    return tell({ alertId: record.alertId, repeat: false, occurrences: 1, ...result });
  }
  // A repeat whose first message failed: one repeat resends it.
  if (publishes && record.delivery.status === "failed" && (await io.claimRedelivery(record.alertId))) {
    const result = await deliver(record, alert.body, io);
    return tell({ alertId: record.alertId, repeat: true, occurrences: record.occurrences, ...result });
  }
  return tell({ alertId: record.alertId, sent: false, repeat: true, occurrences: record.occurrences, suppressedUntil: record.suppressedUntil });
}
