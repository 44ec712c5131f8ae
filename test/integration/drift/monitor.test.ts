import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { listenToTopic, metricValues, uniqueName, type TopicListener } from "../observe.js";
import { runMonitorPass } from "../../../lambdas/drift/monitor.js";
import { captureKey, captureLine, makeRows, putObject, untilWritesSettled } from "./fixtures.js";

const hour = 3600_000;

describe("scheduled drift monitoring over SageMaker data capture", () => {
  let stack: TestStack;
  let topic: TopicListener;
  const model = uniqueName("capture-model");
  const prefix = "capture/churn";
  // The monitor is driven with a clock ahead of real time so each pass is "due" without waiting an hour.
  let clock = Date.now() + 2000;
  const pass = async () => {
    // Objects written in the current second are left for the next run (S3 LastModified is whole seconds).
    await untilWritesSettled();
    // Never behind the real clock: the pass's cutoff is the earlier of the two, and on a loaded machine the
    // writes of a test can outlast the lead the clock started with.
    clock = Math.max(clock, Date.now());
    const out = await runMonitorPass(new Date(clock));
    clock += hour;
    return out.outcomes.find((o) => o.model === model)!;
  };

  beforeAll(async () => {
    stack = await createTestStack("drift-mon");
    topic = await listenToTopic(stack.names.topicArn);
    expect((await stack.call("POST", `/models/${model}/baselines`, { records: makeRows(3000, 51) })).status).toBe(201);
    const res = await stack.call("PUT", `/models/${model}/monitoring`, {
      dataCapturePrefix: `s3://${stack.names.bucket}/${prefix}`,
      schedule: "hourly",
      enabled: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ model, schedule: "hourly", enabled: true });
  });

  it("records nothing and alerts nothing when no data was captured", async () => {
    const outcome = await pass();
    expect(outcome.outcome).toBe("no_new_data");
    const history = await stack.call("GET", `/models/${model}/drift-checks`);
    expect(history.body.items).toHaveLength(0);
    expect(await topic.receive(1, 500)).toHaveLength(0);
  });

  it("checks newly captured CSV, JSON and base64 payloads against the active baseline", async () => {
    const rows = makeRows(900, 52);
    const when = new Date();
    const csv = rows.slice(0, 300).map((r, i) => captureLine(`${r.age},${r.income},${r.plan}`, "text/csv", "CSV", i));
    const json = rows.slice(300, 600).map((r, i) => captureLine(JSON.stringify(i % 2 ? r : { instances: [r] }), "application/json", "JSON", i));
    const b64 = rows.slice(600).map((r, i) =>
      captureLine(Buffer.from(i % 2 ? `${r.age},${r.income},${r.plan}` : JSON.stringify({ features: [r.age, r.income, r.plan] })).toString("base64"), i % 2 ? "text/csv" : "application/json", "BASE64", i),
    );
    await putObject(stack.names.bucket, captureKey(prefix, when, "a"), csv.join("\n") + "\n");
    await putObject(stack.names.bucket, captureKey(prefix, when, "b"), json.join("\n"));
    await putObject(stack.names.bucket, captureKey(prefix, when, "c"), b64.join("\n"));
    const outcome = await pass();
    expect(outcome).toMatchObject({ outcome: "checked", objects: 3, driftDetected: false });
    const check = await stack.call("GET", `/models/${model}/drift-checks/${outcome.checkId}`);
    expect(check.body).toMatchObject({ status: "completed", source: "monitor", rows: 900, createdBy: "mlwatch-monitor" });
    expect(check.body.report.features.plan.current.count).toBe(900);
    expect(check.body.warnings).toBeUndefined();
    const settings = await stack.call("GET", `/models/${model}/monitoring`);
    expect(settings.body).toMatchObject({ lastCheckId: outcome.checkId, lastOutcome: "no drift" });
  });

  it("does not check the same data twice and skips a model that is not due", async () => {
    expect((await pass()).outcome).toBe("no_new_data");
    const notDue = await runMonitorPass(new Date(clock - hour + 10 * 60_000));
    expect(notDue.outcomes.find((o) => o.model === model)!.outcome).toBe("not_due");
    expect((await stack.call("GET", `/models/${model}/drift-checks`)).body.items).toHaveLength(1);
  });

  it("alerts once when captured data drifts, then suppresses the same alert", async () => {
    const drifted = makeRows(600, 53, 1).map((r, i) => captureLine(`${r.age},${r.income},${r.plan}`, "text/csv", "CSV", i));
    await putObject(stack.names.bucket, captureKey(prefix, new Date(), "drift-1"), drifted.join("\n"));
    const first = await pass();
    expect(first).toMatchObject({ outcome: "checked", driftDetected: true });
    const [message] = await topic.receive(1, 10_000);
    expect(message.subject).toBe(`[MLWatch] Data drift: ${model} (2 features)`);
    expect(message.attributes).toMatchObject({ model, alertType: "data_drift" });
    expect(message.message).toContain(`monitor check ${first.checkId}`);

    await putObject(stack.names.bucket, captureKey(prefix, new Date(), "drift-2"), drifted.join("\n"));
    const second = await pass();
    expect(second).toMatchObject({ outcome: "checked", driftDetected: true });
    const check = await stack.call("GET", `/models/${model}/drift-checks/${second.checkId}`);
    expect(check.body.alert.sent).toBe(false);
    expect(await topic.receive(2, 1500)).toHaveLength(1);
    const detected = await metricValues(stack.names.metricsNamespace, "DriftDetected", { ModelName: model });
    expect(detected.reduce((s, v) => s + v, 0)).toBe(2);
    const runs = await metricValues(stack.names.metricsNamespace, "MonitorRuns", {});
    expect(runs.reduce((s, v) => s + v, 0)).toBeGreaterThanOrEqual(5);
  });

  it("ignores disabled settings and validates the request", async () => {
    const res = await stack.call("PUT", `/models/${model}/monitoring`, { dataCapturePrefix: `s3://${stack.names.bucket}/${prefix}`, schedule: "daily", enabled: false });
    expect(res.status).toBe(200);
    await putObject(stack.names.bucket, captureKey(prefix, new Date(), "later"), captureLine("1,2,basic", "text/csv", "CSV", 0));
    const out = await runMonitorPass(new Date(clock));
    expect(out.outcomes.find((o) => o.model === model)).toBeUndefined();
    expect((await stack.call("PUT", `/models/${model}/monitoring`, { dataCapturePrefix: "s3://x", schedule: "weekly", enabled: true })).status).toBe(400);
    expect((await stack.call("GET", "/models/unknown/monitoring")).status).toBe(404);
  });
});
