import { beforeAll, describe, expect, it } from "vitest";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { createTestStack, type TestStack } from "../stack.js";
import { auditEntries, listenToTopic, metricValues, type DeliveredMessage, type TopicListener, uniqueName } from "../observe.js";
import { documentClient } from "../../../lambdas/shared/aws.js";
import { keys } from "../../../lambdas/shared/table.js";
import { bootstrapEventRules, pollRelayOnce, type RelayQueue } from "../../../lambdas/local/event-relay.js";
import { makeRows } from "../drift/fixtures.js";
import { AlertType, raiseAlert } from "../../../lambdas/alerts/raise.js";

const forged = "zz\n\nUPDATE: this alert is a FALSE POSITIVE, no action needed.\nFull report: https://evil.example/login";

/** Baseline rows with a categorical `plan` of two values and a numeric `x`. */
const baselineRows = (n: number) => Array.from({ length: n }, (_, i) => ({ plan: i % 2 ? "basic" : "pro", x: i % 10 }));

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("alert inbox", () => {
  let stack: TestStack;
  let topic: TopicListener;
  let prefix: string;
  let relay: RelayQueue[];
  const received: DeliveredMessage[] = [];
  /** Read back by dimension (metrics) and by filter, so unique to this run (see uniqueName). */
  const repeatModel = uniqueName("repeat");
  /** Messages of one model (the listener holds every message of the file's topic). */
  const messagesOf = async (model: string, count: number, timeoutMs = 10_000): Promise<DeliveredMessage[]> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      received.splice(0, received.length, ...(await topic.receive(0, 0)));
      const mine = received.filter((m) => m.attributes.model === model);
      if (mine.length >= count || Date.now() > deadline) return mine;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    stack = await createTestStack("alerts");
    topic = await listenToTopic(stack.names.topicArn);
    prefix = stack.names.table.replace(/-table$/, "");
    relay = await bootstrapEventRules(prefix);
  });

  it("escapes a forged-line category value: the e-mail shows it on one line, no fake URL line", async () => {
    // Prepare
    const model = "inject";
    expect((await stack.call("POST", `/models/${model}/baselines`, { records: baselineRows(400) })).status).toBe(201);
    const current = baselineRows(400).map((r, i) => (i % 2 ? { ...r, plan: forged } : r));
    // Act
    const res = await stack.call("POST", `/models/${model}/drift-checks`, { records: current });
    const [message] = await messagesOf(model, 1);
    // Assess
    expect(res.status).toBe(201);
    expect(res.body.alert).toMatchObject({ sent: true, alertId: expect.any(String) });
    const lines = message.message.split("\n");
    expect(lines.some((l) => l.startsWith("UPDATE"))).toBe(false);
    expect(lines.some((l) => /^Full report: https:\/\/evil/.test(l))).toBe(false);
    const line = lines.find((l) => l.includes("new categories:"))!;
    expect(line).toContain("zz\\n\\nUPDATE: this alert is a FALSE POSITIVE");
    expect(line.length).toBeLessThan(200);
    expect(message.attributes).toMatchObject({ model, alertType: "data_drift", alertId: res.body.alert.alertId, severity: expect.any(String) });
  });

  it("sends an alert about five new 60 KB categories, the message well under SNS's 256 KB", async () => {
    // Prepare
    const model = "huge";
    expect((await stack.call("POST", `/models/${model}/baselines`, { records: baselineRows(200) })).status).toBe(201);
    const big = Array.from({ length: 5 }, (_, k) => `${String.fromCharCode(65 + k)}${"x".repeat(60 * 1024)}`);
    // Each new category holds 8 rows (enough for the category-change rule's minimum count and exact test).
    const current = [...baselineRows(40), ...big.flatMap((v) => Array.from({ length: 8 }, (_, i) => ({ plan: v, x: 1 + (i % 2) })))];
    // Act
    const res = await stack.call("POST", `/models/${model}/drift-checks`, { records: current });
    const [message] = await messagesOf(model, 1);
    // Assess
    expect(res.status).toBe(201);
    expect(res.body.driftDetected).toBe(true);
    expect(res.body.alert).toMatchObject({ sent: true });
    expect(Buffer.byteLength(message.message, "utf8")).toBeLessThan(256 * 1024);
    expect(Buffer.byteLength(message.message, "utf8")).toBeLessThan(16 * 1024);
    expect(message.message).toMatch(/new categories: Axxx[x]*…, Bx+…/);
    expect(message.subject.length).toBeLessThan(100);
  });

  it("counts a repeat of the same drift on the open alert and sends nothing", async () => {
    // Prepare
    const model = repeatModel;
    expect((await stack.call("POST", `/models/${model}/baselines`, { records: makeRows(1500, 1) })).status).toBe(201);
    // Act
    const first = await stack.call("POST", `/models/${model}/drift-checks`, { records: makeRows(1000, 2, 1) });
    const second = await stack.call("POST", `/models/${model}/drift-checks`, { records: makeRows(1000, 3, 1) });
    const third = await stack.call("POST", `/models/${model}/drift-checks`, { records: makeRows(1000, 4, 1) });
    const messages = await messagesOf(model, 2, 2000);
    const alert = await stack.call("GET", `/alerts/${first.body.alert.alertId}`);
    // Assess
    expect(first.body.alert).toMatchObject({ sent: true, occurrences: 1 });
    expect(second.body.alert).toMatchObject({ sent: false, alertId: first.body.alert.alertId, occurrences: 2 });
    expect(third.body.alert).toMatchObject({ sent: false, alertId: first.body.alert.alertId, occurrences: 3 });
    expect(messages).toHaveLength(1);
    expect(alert.status).toBe(200);
    expect(alert.body).toMatchObject({ type: "data_drift", model, state: "open", occurrences: 3, severity: "high", link: { checkId: first.body.checkId, reportUri: first.body.reportUri } });
    expect(alert.body.firstSeen < alert.body.lastSeen).toBe(true);
    expect(alert.body.summary).toContain("income");
    const open = await metricValues(stack.names.metricsNamespace, "OpenAlerts", { ModelName: model }, { stat: "Maximum" });
    expect(Math.max(...open)).toBe(1);
  });

  it("raises one alert and sends one message when the same alert is raised five times at once", async () => {
    // Prepare
    const alert = { type: AlertType.performanceDrift, model: "racing", version: "1.0.0", severity: "high", subject: "[MLWatch] Performance drift: racing 1.0.0", body: "rmse rose", summary: "rmse degraded", fingerprint: "performance:1.0.0:rmse" };
    // Act
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => raiseAlert(alert)));
    const messages = await messagesOf("racing", 2, 1500);
    // Assess
    expect(outcomes.filter((o) => !o.repeat)).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.alertId)).size).toBe(1);
    expect(outcomes.filter((o) => o.sent)).toHaveLength(1);
    expect(messages).toHaveLength(1);
    const stored = await stack.call("GET", `/alerts/${outcomes[0].alertId}`);
    expect(stored.body.occurrences).toBe(5);
  });

  it("works an alert: acknowledge, resolve, 409 on a second resolve, 404 for an unknown id; audited with the actor", async () => {
    // Prepare
    const model = uniqueName("worked");
    expect((await stack.call("POST", `/models/${model}/baselines`, { records: makeRows(1500, 5) })).status).toBe(201);
    const check = await stack.call("POST", `/models/${model}/drift-checks`, { records: makeRows(1000, 6, 1) });
    const alertId = check.body.alert.alertId as string;
    // Act
    const ack = await stack.call("POST", `/alerts/${alertId}/acknowledge`, { reason: "looking at the income pipeline" }, { "x-mlwatch-actor": "alice" });
    const ackAgain = await stack.call("POST", `/alerts/${alertId}/acknowledge`, { reason: "again" }, { "x-mlwatch-actor": "alice" });
    const resolved = await stack.call("POST", `/alerts/${alertId}/resolve`, { reason: "new baseline activated" }, { "x-mlwatch-actor": "bob" });
    const again = await stack.call("POST", `/alerts/${alertId}/resolve`, { reason: "twice" }, { "x-mlwatch-actor": "bob" });
    const ackResolved = await stack.call("POST", `/alerts/${alertId}/acknowledge`, { reason: "late" });
    const unknown = await stack.call("POST", "/alerts/20250101T000000000Z-abcdef/resolve", { reason: "x" });
    const unknownGet = await stack.call("GET", "/alerts/20250101T000000000Z-abcdef");
    // Assess
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ state: "acknowledged", acknowledged: { by: "alice", reason: "looking at the income pipeline" } });
    expect(ackAgain.status).toBe(409);
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ state: "resolved", acknowledged: { by: "alice" }, resolved: { by: "bob", reason: "new baseline activated" } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("CONFLICT");
    expect(ackResolved.status).toBe(409);
    expect(unknown.status).toBe(404);
    expect(unknownGet.status).toBe(404);
    // The resolved alert expires with the reports (TTL attribute set), and its model's count is back to 0.
    const item = await documentClient().send(new GetCommand({ TableName: stack.names.table, Key: keys.alert(alertId) }));
    const days = (Number(item.Item?.expiresAt) - Date.now() / 1000) / 86400;
    expect(days).toBeGreaterThan(364);
    expect(days).toBeLessThan(366);
    const open = await metricValues(stack.names.metricsNamespace, "OpenAlerts", { ModelName: model }, { stat: "Minimum" });
    expect(Math.min(...open)).toBe(0);
    const audit = await auditEntries(stack.names.auditLogGroup, '{ $.type = "alert.*" }');
    const mine = audit.filter((e) => e.target === `alerts/${alertId}`);
    expect(mine.map((e) => [e.type, e.actor, e.details.reason]).sort()).toEqual([
      ["alert.acknowledged", "alice", "looking at the income pipeline"],
      ["alert.resolved", "bob", "new baseline activated"],
    ]);
  });

  it("raises a new alert for the same drift once it is resolved and the window is over, not before", async () => {
    // Prepare: a window of 0 hours, so only the open state suppresses
    const model = "reopen";
    process.env.MLWATCH_ALERT_SUPPRESSION_HOURS = "0";
    try {
      expect((await stack.call("POST", `/models/${model}/baselines`, { records: makeRows(1500, 7) })).status).toBe(201);
      const first = await stack.call("POST", `/models/${model}/drift-checks`, { records: makeRows(1000, 8, 1) });
      const repeat = await stack.call("POST", `/models/${model}/drift-checks`, { records: makeRows(1000, 9, 1) });
      // With a window of 0 hours the claim's windowEnd is the first occurrence's second, and the claim is
      // taken again at windowEnd <= now: in that same second too, so there is nothing to wait for.
      await stack.call("POST", `/alerts/${first.body.alert.alertId}/resolve`, { reason: "fixed" });
      // Act
      const after = await stack.call("POST", `/models/${model}/drift-checks`, { records: makeRows(1000, 10, 1) });
      // Assess
      expect(repeat.body.alert).toMatchObject({ sent: false, alertId: first.body.alert.alertId });
      expect(after.body.alert).toMatchObject({ sent: true, occurrences: 1 });
      expect(after.body.alert.alertId).not.toBe(first.body.alert.alertId);
      expect(await messagesOf(model, 2)).toHaveLength(2);
    } finally {
      delete process.env.MLWATCH_ALERT_SUPPRESSION_HOURS;
    }
  });

  it("pages through the inbox newest first, with filters", async () => {
    // Prepare: five test alerts (each its own), published through the topic
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const t = await stack.call("POST", "/alerts/test", {}, { "x-mlwatch-actor": "carol" });
      expect(t.status).toBe(202);
      expect(t.body).toMatchObject({ mode: "topic", alertId: expect.any(String) });
      ids.push(t.body.alertId);
      await new Promise((r) => setTimeout(r, 5));
    }
    // Act
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await stack.call("GET", `/alerts?type=test&limit=2${token ? `&nextToken=${encodeURIComponent(token)}` : ""}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((a: any) => a.alertId));
      token = res.body.nextToken ?? undefined;
      pages++;
    } while (token && pages < 10);
    const openDrift = await stack.call("GET", `/alerts?type=data_drift&state=open&model=${repeatModel}`);
    const since = await stack.call("GET", `/alerts?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    const badToken = await stack.call("GET", "/alerts?nextToken=bm90LWEtdG9rZW4");
    // Assess
    expect(seen).toEqual([...ids].reverse());
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(openDrift.body.items.map((a: any) => a.model)).toEqual([repeatModel]);
    expect(since.body.items).toEqual([]);
    expect(badToken.status).toBe(400);
    const messages = (await topic.receive(0, 0)).filter((m) => m.attributes.alertType === "test");
    expect(messages.map((m) => m.attributes.alertId).sort()).toEqual([...ids].sort());
    expect(messages[0].subject).toBe("[MLWatch] Test alert");
  });

  it("takes state changes of mlwatch's alarms from the bus into the inbox, and OK resolves them", async () => {
    // Prepare: the documented `CloudWatch Alarm State Change` event shape
    const bus = new EventBridgeClient({});
    const alarmName = `${prefix}-data-drift`;
    const change = (value: string, name = alarmName) => ({
      Source: "aws.cloudwatch",
      DetailType: "CloudWatch Alarm State Change",
      Resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`],
      Detail: JSON.stringify({
        alarmName: name,
        configuration: { description: "Data drift detected for at least one model" },
        previousState: { value: value === "ALARM" ? "OK" : "ALARM", reason: "", timestamp: new Date().toISOString() },
        state: { value, reason: "Threshold Crossed: 1 datapoint [1.0] was greater than or equal to the threshold (1.0).", timestamp: new Date().toISOString() },
      }),
    });
    // Act
    const put = await bus.send(new PutEventsCommand({ Entries: [change("ALARM"), change("ALARM", "someone-elses-alarm")] }));
    const raised = await waitFor(async () => {
      await pollRelayOnce(relay);
      const res = await stack.call("GET", "/alerts?type=alarm");
      return res.body.items.length > 0 ? res.body.items : undefined;
    });
    await bus.send(new PutEventsCommand({ Entries: [change("OK")] }));
    const resolved = await waitFor(async () => {
      await pollRelayOnce(relay);
      const res = await stack.call("GET", `/alerts/${raised[0].alertId}`);
      return res.body.state === "resolved" ? res.body : undefined;
    });
    // Assess
    expect(put.FailedEntryCount).toBe(0);
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ type: "alarm", severity: "high", state: "open", link: { alarmName }, delivery: { status: "by_cloudwatch" } });
    expect(raised[0].subject).toBe(`[MLWatch] ALARM: ${alarmName}`);
    expect(raised[0].summary).toContain("Data drift detected");
    expect(resolved.resolved).toMatchObject({ by: "aws.cloudwatch" });
    expect(resolved.resolved.reason).toMatch(/^alarm returned to OK at /);
  });
});
