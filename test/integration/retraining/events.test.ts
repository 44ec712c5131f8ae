/**
 * mlwatch's own events, received as a user receives them: a rule `{ source: ["mlwatch"] }` on the
 * emulator's default bus with an SQS queue as its target. Every received detail is validated against the
 * committed docs/events.schema.json and the zod schema it is generated from (closed objects: an unknown
 * field fails).
 * A PutEvents that fails (an error, or FailedEntryCount > 0) is recorded on the record, audited and counted.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { auditEntries, listenToBus, metricValues, type BusEvent, type BusListener, uniqueName } from "../observe.js";
import { injectAnswer, injectFault } from "../faults.js";
import { eventBridgeClient } from "../../../lambdas/shared/aws.js";
import { eventDetailSchemas, MlwatchEventType } from "../../../lambdas/shared/event-schemas.js";
import { makeRows } from "../drift/fixtures.js";
import { registerVersion, regressionRows } from "../performance/helpers.js";
import { readFileSync } from "node:fs";
import { schemaProblems } from "../../json-schema-subset.js";
import { promote, register } from "../registry/helpers.js";

let stack: TestStack;
let bus: BusListener;

const of = (model: string, type: string) => (e: BusEvent) => e.detail?.model === model && e["detail-type"] === type;

/** The committed JSON schemas (docs/events.schema.json), as a subscriber reads them. */
const published = JSON.parse(readFileSync(new URL("../../../docs/events.schema.json", import.meta.url), "utf8")).detailTypes;

/** Asserts the event is mlwatch's and its detail validates against the schema of its detail-type (the committed JSON schema and the zod one). */
function expectValid(e: BusEvent): void {
  expect(e.source).toBe("mlwatch");
  expect(schemaProblems(published[e["detail-type"]], e.detail)).toEqual([]);
  const schema = eventDetailSchemas[e["detail-type"] as MlwatchEventType];
  expect(schema, e["detail-type"]).toBeDefined();
  const parsed = schema.safeParse(e.detail);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
}

beforeAll(async () => {
  stack = await createTestStack("events");
  bus = await listenToBus();
});

describe("mlwatch events on the default bus", () => {
  it("publishes Model Promoted for each promotion and Model Rolled Back for a rollback", async () => {
    // Prepare
    const model = "ev-lifecycle";
    await register(stack, model, { version: "1.0.0", metrics: { auc: 0.8 } });
    await register(stack, model, { version: "1.1.0", metrics: { auc: 0.85 } });
    // Act
    await promote(stack, model, "1.0.0", "staging");
    const p1 = await promote(stack, model, "1.0.0", "production");
    await promote(stack, model, "1.1.0", "staging");
    await promote(stack, model, "1.1.0", "production");
    const back = await stack.call("POST", `/models/${model}/rollback`, { reason: "canary failed" });
    // Assess
    expect(p1.event).toMatchObject({ type: MlwatchEventType.modelPromoted, sent: true });
    expect(back.status).toBe(200);
    expect(back.body.event).toMatchObject({ type: MlwatchEventType.modelRolledBack, sent: true });
    const promoted = await bus.receive(of(model, MlwatchEventType.modelPromoted), 4);
    const rolled = await bus.receive(of(model, MlwatchEventType.modelRolledBack), 1);
    [...promoted, ...rolled].forEach(expectValid);
    expect(promoted.map((e) => [e.detail.version, e.detail.from, e.detail.to])).toEqual(
      expect.arrayContaining([["1.0.0", "development", "staging"], ["1.0.0", "staging", "production"], ["1.1.0", "staging", "production"]]),
    );
    expect(promoted).toHaveLength(4);
    expect(promoted.find((e) => e.detail.to === "production")?.detail).toMatchObject({ actor: "local", reason: "to production" });
    expect(rolled[0].detail).toEqual({ model, version: "1.0.0", from: "1.1.0", to: "1.0.0", actor: "local", reason: "canary failed" });
    expect(rolled[0].id).toBe(back.body.event.eventId);
  });

  it("publishes Drift Detected for a check that found drift, and nothing for one that did not", async () => {
    // Prepare
    const model = "ev-drift";
    expect((await stack.call("POST", `/models/${model}/baselines`, { records: makeRows(3000, 11) })).status).toBe(201);
    // Act
    const calm = await stack.call("POST", `/models/${model}/drift-checks`, { records: makeRows(2000, 12) });
    const drifted = await stack.call("POST", `/models/${model}/drift-checks`, { records: makeRows(2000, 13, 1) });
    // Assess
    expect(calm.body.driftDetected).toBe(false);
    expect(calm.body.event).toBeUndefined();
    expect(drifted.body.driftDetected).toBe(true);
    expect(drifted.body.event).toMatchObject({ sent: true });
    const [event, ...more] = await bus.receive(of(model, MlwatchEventType.driftDetected), 2, 2000);
    expect(more).toHaveLength(0);
    expectValid(event);
    expect(event.detail).toMatchObject({ model, checkId: drifted.body.checkId, baselineId: drifted.body.baselineId, severity: drifted.body.severity, reportUri: drifted.body.reportUri });
    expect(event.detail.driftShare).toBe(drifted.body.driftShare);
    expect(event.detail.driftedFeatures.map((f: any) => f.name)).toEqual(drifted.body.driftedFeatures.map((f: any) => f.name));
    expect(event.detail.driftedFeatures[0].psi).toBeGreaterThan(0.2);
    const stored = await stack.call("GET", `/models/${model}/drift-checks/${drifted.body.checkId}`);
    expect(stored.body.event).toEqual(drifted.body.event);
  });

  it("publishes Performance Degraded for a degraded batch with the primary metric's figures", async () => {
    // Prepare
    const model = "ev-perf";
    await registerVersion(stack, model, "1.0.0", { "validation:rmse": 0.5 }, "validation:rmse", "lower");
    const { actuals, predictions } = regressionRows(100, 0.8);
    // Act
    const res = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "regression", predictions, actuals });
    // Assess
    expect(res.status).toBe(201);
    expect(res.body.degradation.degraded).toBe(true);
    expect(res.body.event).toMatchObject({ sent: true });
    const [event] = await bus.receive(of(model, MlwatchEventType.performanceDegraded), 1);
    expectValid(event);
    expect(event.detail).toMatchObject({ model, version: "1.0.0", batchId: res.body.batchId, metric: "rmse", baseline: 0.5, severity: "high" });
    expect(event.detail.value).toBeCloseTo(0.8, 12);
    expect(event.detail.degradationPercent).toBeCloseTo(60, 6);
  });

  it("records a PutEvents error on the version, audits it and counts EventPublishFailures; the promotion stands", async () => {
    // Prepare
    const model = uniqueName("ev-fault");
    await register(stack, model, { version: "1.0.0", metrics: { auc: 0.8 } });
    const fault = injectFault(eventBridgeClient(), /^PutEventsCommand$/);
    // Act
    let res;
    try {
      res = await stack.call("POST", `/models/${model}/versions/1.0.0/promote`, { stage: "staging", reason: "try" });
    } finally {
      fault.remove();
    }
    // Assess
    expect(fault.calls).toBeGreaterThan(0);
    expect(res.status).toBe(200);
    expect(res.body.version.stage).toBe("staging");
    expect(res.body.event).toMatchObject({ type: MlwatchEventType.modelPromoted, sent: false });
    expect(res.body.event.error).toContain("injected fault");
    const version = await stack.call("GET", `/models/${model}/versions/1.0.0`);
    expect(version.body.event).toMatchObject({ sent: false });
    const audit = (await auditEntries(stack.names.auditLogGroup)).filter((a) => a.type === "model.promoted" && a.model === model);
    expect(audit).toHaveLength(1);
    expect(audit[0].details.event).toMatchObject({ sent: false });
    const failures = await metricValues(stack.names.metricsNamespace, "EventPublishFailures", { ModelName: model, DetailType: MlwatchEventType.modelPromoted });
    expect(failures.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await bus.receive(of(model, MlwatchEventType.modelPromoted), 1, 1000)).toHaveLength(0);
  });

  it("treats FailedEntryCount > 0 as a failure, on a drift check too", async () => {
    // Prepare
    const model = uniqueName("ev-refused");
    expect((await stack.call("POST", `/models/${model}/baselines`, { records: makeRows(3000, 21) })).status).toBe(201);
    const refuse = injectAnswer(eventBridgeClient(), /^PutEventsCommand$/, { FailedEntryCount: 1, Entries: [{ ErrorCode: "InternalFailure", ErrorMessage: "try again" }] }, { times: 1 });
    // Act
    let res;
    try {
      res = await stack.call("POST", `/models/${model}/drift-checks`, { records: makeRows(2000, 23, 1) });
    } finally {
      refuse.remove();
    }
    // Assess
    expect(refuse.calls).toBe(1);
    expect(res.status).toBe(201);
    expect(res.body.event).toMatchObject({ sent: false, error: "PutEvents refused the entry: InternalFailure (try again)" });
    const stored = await stack.call("GET", `/models/${model}/drift-checks/${res.body.checkId}`);
    expect(stored.body.event).toMatchObject({ sent: false });
    const failures = await metricValues(stack.names.metricsNamespace, "EventPublishFailures", { ModelName: model, DetailType: MlwatchEventType.driftDetected });
    expect(failures.reduce((a, b) => a + b, 0)).toBe(1);
  });
});
