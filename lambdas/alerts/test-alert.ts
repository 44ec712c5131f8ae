/**
 * The delivery test behind `mlwatch alerts test`.
 *
 * Deployed (the function knows a test alarm, `MLWATCH_TEST_ALARM`): sets that mlwatch alarm to ALARM and
 * back to OK with `SetAlarmState`, so the message travels CloudWatch's own path — alarm action, topic
 * policy, key policy, subscriptions — and the state change enters the inbox through the EventBridge rule.
 * Locally (no alarms in the emulator): publishes a test alert through the emulator's topic via the inbox.
 */
import { recordAudit } from "../shared/audit.js";
import { raiseAlert } from "./raise.js";
import { EnvName, optionalEnv } from "../shared/env.js";
import { userText } from "../core/alerts/safe-text.js";
import { AlertType } from "./contract.js";
import { loadCloudWatch } from "../shared/sdk/cloudwatch.js";
import { alertFingerprint } from "../core/alerts/fingerprint.js";

/** What the test sent. */
export interface TestAlertResult {
  readonly mode: "topic" | "alarm";
  readonly alertId?: string;
  readonly alarmName?: string;
  readonly messageId?: string;
}

/** Sends the test alert; audited with the actor. */
export async function sendTestAlert(actor: string, requestId?: string, note?: string): Promise<TestAlertResult> {
  const { SetAlarmStateCommand, cloudWatchClient } = await loadCloudWatch();
  const alarmName = optionalEnv(EnvName.testAlarmName, "");
  let result: TestAlertResult;
  if (alarmName) {
    const reason = `mlwatch alerts test by ${actor}${note ? `: ${userText(note)}` : ""}`;
    await cloudWatchClient().send(new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: "ALARM", StateReason: reason }));
    await cloudWatchClient().send(new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: "OK", StateReason: `${reason} (back to OK)` }));
    result = { mode: "alarm", alarmName };
  } else {
    const now = new Date();
    const outcome = await raiseAlert(
      {
        type: AlertType.test,
        severity: "info",
        subject: "[MLWatch] Test alert",
        summary: `test alert sent by ${userText(actor)}`,
        body: [
          "This is a test alert from mlwatch: if you read it, alerts reach you.",
          "",
          `Sent by ${userText(actor)} at ${now.toISOString()} with mlwatch alerts test.`,
          ...(note ? [`Note: ${userText(note)}`] : []),
          "Nothing needs doing; resolve it with mlwatch alerts resolve ALERT_ID --reason 'test'.",
        ].join("\n"),
        // Every test is its own alert.
        fingerprint: alertFingerprint.test(now, String(Math.random())),
      },
      0,
      now,
    );
    if (outcome.error) throw new Error(`the test alert was stored as ${outcome.alertId} but not published: ${outcome.error}`);
    result = { mode: "topic", alertId: outcome.alertId, messageId: outcome.messageId };
  }
  await recordAudit({ type: "alert.test_sent", actor, target: "alerts/test", details: result, requestId });
  return result;
}
