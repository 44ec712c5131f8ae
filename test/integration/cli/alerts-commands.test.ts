/**
 * `mlwatch alerts …` as a user runs it (a child process) against the real local server, whose relay
 * poller takes alarm state changes from the emulator's bus into the inbox.
 */
import { randomBytes } from "node:crypto";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../../lambdas/local/server.js";
import { runCli, runCliProcess, type CliRun } from "./run-cli.js";
import { listenToTopic, type TopicListener } from "../observe.js";
import { emulatorEndpoint } from "../emulator.js";

let server: LocalServer;
let prefix: string;
let topic: TopicListener;

beforeAll(async () => {
  prefix = `clia-${randomBytes(4).toString("hex")}`;
  server = await startLocalServer({ port: 0, endpoint: emulatorEndpoint(), prefix });
  topic = await listenToTopic(server.resources.topicArn);
});

afterAll(async () => {
  await server?.close();
});

function mlwatch(...args: string[]): Promise<CliRun> {
  return runCli([...args, "--endpoint", server.url]);
}

/** The real bin as a child process: one run per command family (the rest run in-process, run-cli.ts). */
function mlwatchProcess(...args: string[]): Promise<CliRun> {
  return runCliProcess([...args, "--endpoint", server.url]);
}

describe("mlwatch alerts", () => {
  it("tests delivery through the topic, then lists, shows, acknowledges and resolves as two people", async () => {
    // Act
    const test = await mlwatchProcess("alerts", "test", "--note", "after setup", "--actor", "dana", "--json");
    const alertId = JSON.parse(test.stdout).alertId as string;
    const [message] = await topic.receive(1, 10_000);
    const list = await mlwatch("alerts", "list", "--type", "test");
    const ack = await mlwatch("alerts", "ack", alertId, "--reason", "seen it", "--actor", "dana");
    const resolve = await mlwatch("alerts", "resolve", alertId, "--reason", "delivery works", "--actor", "erik");
    const again = await mlwatch("alerts", "resolve", alertId, "--reason", "twice");
    const show = await mlwatch("alerts", "show", alertId);
    const missing = await mlwatch("alerts", "show", "20250101T000000000Z-abcdef");
    const noReason = await mlwatch("alerts", "ack", alertId);
    const badState = await mlwatch("alerts", "list", "--state", "closed");
    // Assess
    expect(test.code, test.stderr).toBe(0);
    expect(message.subject).toBe("[MLWatch] Test alert");
    expect(message.message).toContain("Sent by dana");
    expect(message.message).toContain("Note: after setup");
    expect(message.attributes).toMatchObject({ alertType: "test", alertId });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${alertId}\\s+open\\s+test`));
    expect(ack.stdout).toBe(`${alertId}: acknowledged by dana\n`);
    expect(resolve.stdout).toBe(`${alertId}: resolved by erik\n`);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^mlwatch alerts resolve: CONFLICT \(HTTP 409\): alert .* is already resolved/);
    expect(again.stderr.trim().split("\n")).toHaveLength(1);
    expect(show.stdout).toContain("acknowledged ");
    expect(show.stdout).toMatch(/resolved +.* by erik: delivery works/);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("NOT_FOUND (HTTP 404)");
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toBe("mlwatch alerts ack: ack needs --reason TEXT\n");
    expect(badState.code).toBe(2);
  });

  it("shows an mlwatch alarm's state change that arrived on the bus (the server's relay poller)", async () => {
    // Prepare
    const alarmName = `${prefix}-lambda-errors`;
    // Act
    await new EventBridgeClient({}).send(
      new PutEventsCommand({
        Entries: [
          {
            Source: "aws.cloudwatch",
            DetailType: "CloudWatch Alarm State Change",
            Resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarmName}`],
            Detail: JSON.stringify({ alarmName, state: { value: "ALARM", reason: "Threshold Crossed", timestamp: new Date().toISOString() }, previousState: { value: "OK" }, configuration: { description: "mlwatch functions raised errors" } }),
          },
        ],
      }),
    );
    let list = await mlwatch("alerts", "list", "--type", "alarm", "--json");
    for (let i = 0; i < 50 && JSON.parse(list.stdout).items.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      list = await mlwatch("alerts", "list", "--type", "alarm", "--json");
    }
    // Assess
    const [alert] = JSON.parse(list.stdout).items;
    expect(alert).toMatchObject({ type: "alarm", link: { alarmName }, state: "open" });
    expect(alert.summary).toContain("mlwatch functions raised errors");
  });
});
