/**
 * raiseAlert's decisions with the inbox, the topic and the gauge injected: what is sent, recorded and
 * counted for a new alert, a repeat, a repeat of an alert whose message failed, and an alarm CloudWatch
 * sends itself. (The same paths run against the emulator in test/integration/alerts/.)
 */
import { describe, expect, it } from "vitest";
import type { AlertRecord } from "../../../lambdas/alerts/contract.js";
import type { NewAlert } from "../../../lambdas/alerts/open-or-repeat.js";
import { AlertType, raiseAlert, type Alert, type RaiseAlertIo } from "../../../lambdas/alerts/raise.js";

const now = new Date("2026-03-01T12:00:00.000Z");
const alert: Alert = { type: AlertType.dataDrift, model: "churn", severity: "high", subject: "drift\nin churn", body: "age drifted", summary: "age", fingerprint: "age" };

function recordOf(input: NewAlert, fields: Partial<AlertRecord> = {}): AlertRecord {
  return { alertId: "a1", type: input.type, model: input.model, severity: input.severity, subject: input.subject, summary: input.summary, link: input.link, state: "open", occurrences: 1, firstSeen: now.toISOString(), lastSeen: now.toISOString(), suppressedUntil: now.toISOString(), delivery: input.delivery, ...fields } as AlertRecord;
}

/** An io that opens (or repeats) as told, and records what was sent and written. */
function fakeIo(opts: { created: boolean; existing?: Partial<AlertRecord>; publishFails?: string; redeliveryWon?: boolean }) {
  const log: string[] = [];
  const inputs: { input: NewAlert; windowSeconds: number }[] = [];
  const io: RaiseAlertIo = {
    openOrRepeat: async (input, windowSeconds) => {
      inputs.push({ input, windowSeconds });
      return { created: opts.created, alert: recordOf(input, opts.existing) };
    },
    claimRedelivery: async (id) => {
      log.push(`claim:${id}`);
      return opts.redeliveryWon ?? false;
    },
    setDelivery: async (id, delivery) => {
      log.push(`delivery:${id}:${delivery.status}`);
    },
    publish: async (record) => {
      log.push(`publish:${record.alertId}`);
      if (opts.publishFails) throw new Error(opts.publishFails);
      return "m-1";
    },
    publishOpenAlerts: async (model) => {
      log.push(`gauge:${model}`);
    },
    notify: () => undefined,
  };
  return { io, log, inputs };
}

describe("raiseAlert", () => {
  it("stores a new alert with a safe subject, publishes it, records it sent and publishes the gauge", async () => {
    // Prepare
    const { io, log, inputs } = fakeIo({ created: true });
    // Act
    const out = await raiseAlert(alert, 6, now, io);
    // Assess
    expect(out).toEqual({ alertId: "a1", repeat: false, occurrences: 1, sent: true, messageId: "m-1" });
    expect(log).toEqual(["gauge:churn", "publish:a1", "delivery:a1:sent"]);
    expect(inputs[0].windowSeconds).toBe(6 * 3600);
    expect(inputs[0].input.subject).not.toContain("\n");
    expect(inputs[0].input.delivery).toEqual({ status: "sending" });
  });

  it("records a failed publish on the alert and answers the error instead of throwing", async () => {
    // Prepare
    const { io, log } = fakeIo({ created: true, publishFails: "topic gone" });
    // Act
    const out = await raiseAlert(alert, 6, now, io);
    // Assess
    expect(out).toMatchObject({ sent: false, repeat: false, error: "topic gone" });
    expect(log).toEqual(["gauge:churn", "publish:a1", "delivery:a1:failed"]);
  });

  it("sends nothing for a repeat, and answers its count and window", async () => {
    // Prepare
    const { io, log } = fakeIo({ created: false, existing: { occurrences: 4, suppressedUntil: "2026-03-01T18:00:00.000Z", delivery: { status: "sent" } } });
    // Act
    const out = await raiseAlert(alert, 6, now, io);
    // Assess
    expect(out).toEqual({ alertId: "a1", sent: false, repeat: true, occurrences: 4, suppressedUntil: "2026-03-01T18:00:00.000Z" });
    expect(log).toEqual([]);
  });

  it("resends a repeat whose first message failed when it wins the claim, and only then", async () => {
    // Prepare
    const won = fakeIo({ created: false, existing: { occurrences: 2, delivery: { status: "failed", error: "x" } }, redeliveryWon: true });
    const lost = fakeIo({ created: false, existing: { occurrences: 2, delivery: { status: "failed", error: "x" } }, redeliveryWon: false });
    // Act
    const sent = await raiseAlert(alert, 6, now, won.io);
    const notSent = await raiseAlert(alert, 6, now, lost.io);
    // Assess
    expect(sent).toMatchObject({ sent: true, repeat: true, occurrences: 2, messageId: "m-1" });
    expect(won.log).toEqual(["claim:a1", "publish:a1", "delivery:a1:sent"]);
    expect(notSent).toMatchObject({ sent: false, repeat: true });
    expect(lost.log).toEqual(["claim:a1"]);
  });

  it("stores an alarm CloudWatch sends itself without publishing it, and has no gauge without a model", async () => {
    // Prepare
    const { io, log, inputs } = fakeIo({ created: true });
    // Act
    const out = await raiseAlert({ ...alert, type: AlertType.alarm, model: undefined, publish: false }, 6, now, io);
    // Assess
    expect(out).toEqual({ alertId: "a1", sent: false, repeat: false, occurrences: 1 });
    expect(inputs[0].input.delivery).toEqual({ status: "by_cloudwatch" });
    expect(log).toEqual([]);
  });
});
