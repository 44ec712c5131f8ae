/**
 * Alerts to the SNS topic, with a suppression window: the same alert (same model, type and fingerprint,
 * e.g. the same drifted features) is not sent again until the window has passed. The window's state is
 * an item in the table with a TTL, claimed with a conditional write so concurrent checks send one alert.
 * A publish that fails releases the claim and throws, so the failure is visible and a retry can send it.
 */
import { createHash } from "node:crypto";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { PublishCommand } from "@aws-sdk/client-sns";
import { documentClient, snsClient } from "./aws.js";
import { EnvName, optionalEnv, resourceNames } from "./env.js";

/** Kinds of alert; also the `type` message attribute subscribers filter on. */
export const AlertType = {
  dataDrift: "data_drift",
  performanceDrift: "performance_drift",
} as const;
export type AlertType = (typeof AlertType)[keyof typeof AlertType];

/** One alert. */
export interface Alert {
  readonly type: AlertType;
  readonly model: string;
  readonly version?: string;
  /** `moderate` | `high` (free text allowed; it is a message attribute for subscription filters). */
  readonly severity: string;
  /** The e-mail subject; cut to SNS's 100-character limit. */
  readonly subject: string;
  /** The text a person reads. */
  readonly body: string;
  /** What makes two alerts "the same" within the window, e.g. the sorted drifted feature names. */
  readonly fingerprint: string;
}

/** What happened to an alert. */
export interface AlertOutcome {
  readonly sent: boolean;
  readonly messageId?: string;
  /** When suppressed: the end of the window that suppressed it. */
  readonly suppressedUntil?: string;
}

/** The suppression window from the environment (hours), default 6. */
export function suppressionHours(): number {
  const hours = Number(optionalEnv(EnvName.alertSuppressionHours, "6"));
  return Number.isFinite(hours) && hours >= 0 ? hours : 6;
}

/** Sends an alert unless the same one was sent within the window. */
export async function sendAlert(alert: Alert, windowHours = suppressionHours()): Promise<AlertOutcome> {
  const { table, topicArn } = resourceNames();
  const now = Math.floor(Date.now() / 1000);
  const digest = createHash("sha256").update(alert.fingerprint).digest("hex").slice(0, 32);
  const key = { pk: `ALERT#${alert.model}#${alert.type}`, sk: `${alert.version ?? "-"}#${digest}` };
  const until = now + Math.round(windowHours * 3600);
  if (windowHours > 0) {
    try {
      await documentClient().send(
        new PutCommand({
          TableName: table,
          Item: { ...key, expiresAt: until, sentAt: new Date(now * 1000).toISOString(), fingerprint: alert.fingerprint.slice(0, 1000) },
          ConditionExpression: "attribute_not_exists(pk) OR expiresAt <= :now",
          ExpressionAttributeValues: { ":now": now },
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        const existing = (err as { Item?: { expiresAt?: { N?: string } } }).Item?.expiresAt?.N;
        return { sent: false, suppressedUntil: new Date((existing ? Number(existing) : until) * 1000).toISOString() };
      }
      throw err;
    }
  }
  try {
    const out = await snsClient().send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: alert.subject.length > 100 ? `${alert.subject.slice(0, 97)}...` : alert.subject,
        Message: alert.body,
        MessageAttributes: {
          model: { DataType: "String", StringValue: alert.model },
          severity: { DataType: "String", StringValue: alert.severity },
          type: { DataType: "String", StringValue: alert.type },
          ...(alert.version ? { version: { DataType: "String", StringValue: alert.version } } : {}),
        },
      }),
    );
    return { sent: true, messageId: out.MessageId };
  } catch (err) {
    if (windowHours > 0) await documentClient().send(new DeleteCommand({ TableName: table, Key: key }));
    throw err;
  }
}
