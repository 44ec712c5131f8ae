/**
 * Retraining: manual requests (never rate-limited), the policy routes, automatic requests from drift
 * checks and batches that cross the policy (at most once per minHoursBetween, the rest suppressed and
 * listed), concurrent crossings (one request), a failed publish (recorded, window given back), and the
 * schedule. Events are read through a rule with an SQS target on the emulator's default bus.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { listenToBus, type BusEvent, type BusListener } from "../observe.js";
import { injectFault } from "../faults.js";
import { eventBridgeClient } from "../../../lambdas/shared/aws.js";
import { MlwatchEventType, retrainingRequestedDetail } from "../../../lambdas/shared/event-schemas.js";
import { applyRetrainingPolicy } from "../../../lambdas/retraining/request.js";
import { runRetrainingSchedule } from "../../../lambdas/retraining/schedule.js";
import { makeRows } from "../drift/fixtures.js";
import { registerVersion, regressionRows } from "../performance/helpers.js";
import { register } from "../registry/helpers.js";
import { readFileSync } from "node:fs";
import { schemaProblems } from "../../json-schema-subset.js";

const published = JSON.parse(readFileSync(new URL("../../../docs/events.schema.json", import.meta.url), "utf8")).detailTypes[MlwatchEventType.retrainingRequested];

let stack: TestStack;
let bus: BusListener;

const requested = (model: string) => (e: BusEvent) => e.detail?.model === model && e["detail-type"] === MlwatchEventType.retrainingRequested;

async function newModel(model: string): Promise<void> {
  const res = await register(stack, model, { version: "1.0.0", metrics: { auc: 0.8 } });
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  stack = await createTestStack("retrain");
  bus = await listenToBus();
});

describe("manual retraining", () => {
  it("answers 202 and publishes Retraining Requested every time (never rate-limited)", async () => {
    // Prepare
    const model = "rt-manual";
    await newModel(model);
    await stack.call("PUT", `/models/${model}/retraining-policy`, { minHoursBetween: 48 });
    // Act
    const first = await stack.call("POST", `/models/${model}/retraining`, { reason: "new labels arrived" });
    const second = await stack.call("POST", `/models/${model}/retraining`, { reason: "again" });
    // Assess
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(first.body).toMatchObject({ model, trigger: "manual", status: "requested", reason: "new labels arrived", requestedBy: "local", evidence: {} });
    expect(second.body.status).toBe("requested");
    const events = await bus.receive(requested(model), 2);
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(retrainingRequestedDetail.safeParse(e.detail).success).toBe(true);
      expect(schemaProblems(published, e.detail)).toEqual([]);
    }
    expect(events.find((e) => e.detail.requestId === first.body.requestId)?.detail).toEqual({
      model, trigger: "manual", reason: "new labels arrived", requestedBy: "local", requestId: first.body.requestId, evidence: {}, evidenceId: first.body.requestId,
    });
    const list = await stack.call("GET", `/models/${model}/retraining-requests`);
    expect(list.body.items.map((r: any) => r.requestId)).toEqual([second.body.requestId, first.body.requestId]);
    // A manual request restarts the automatic window: a crossing right after it is suppressed.
    await stack.call("PUT", `/models/${model}/retraining-policy`, { onDriftPsiAbove: 0.1, minHoursBetween: 48 });
    const auto = await applyRetrainingPolicy({ model, trigger: "drift", value: 0.5, evidence: { checkId: "c" }, detail: "x", requestedBy: "test" });
    expect(auto?.status).toBe("suppressed");
  });

  it("refuses bad input with clear 400s and unknown models with 404", async () => {
    const model = "rt-bad";
    await newModel(model);
    const cases: Array<[string, string, unknown, RegExp]> = [
      ["POST", `/models/${model}/retraining`, {}, /body\.reason/],
      ["POST", `/models/${model}/retraining`, { reason: "  " }, /must not be empty/],
      ["PUT", `/models/${model}/retraining-policy`, { onDriftPsiAbove: -1 }, /onDriftPsiAbove: must be greater than 0/],
      ["PUT", `/models/${model}/retraining-policy`, { onPerformanceDegradationPercent: "10" }, /onPerformanceDegradationPercent/],
      ["PUT", `/models/${model}/retraining-policy`, { schedule: { everyHours: 0.5 } }, /schedule\.everyHours: must be a whole number/],
      ["PUT", `/models/${model}/retraining-policy`, { schedule: "rate(1 day)" }, /schedule/],
      ["PUT", `/models/${model}/retraining-policy`, { minHoursBetween: 9000 }, /minHoursBetween: must be from 0 to 8760/],
      ["PUT", `/models/${model}/retraining-policy`, { onDriftPsi: 0.2 }, /onDriftPsi/],
    ];
    for (const [method, path, body, message] of cases) {
      const res = await stack.call(method, path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
      expect(res.body.error.message).toMatch(message);
    }
    expect((await stack.call("GET", `/models/${model}/retraining-requests?nextToken=abc`)).status).toBe(400);
    for (const [method, path, body] of [
      ["POST", "/models/nobody/retraining", { reason: "x" }],
      ["GET", "/models/nobody/retraining-policy", undefined],
      ["PUT", "/models/nobody/retraining-policy", { minHoursBetween: 1 }],
      ["GET", "/models/nobody/retraining-requests", undefined],
    ] as const) {
      const res = await stack.call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.message).toBe("model nobody does not exist");
    }
  });

  it("stores and answers the policy; no policy means every trigger off", async () => {
    const model = "rt-policy";
    await newModel(model);
    expect((await stack.call("GET", `/models/${model}/retraining-policy`)).body).toMatchObject({ onDriftPsiAbove: null, onPerformanceDegradationPercent: null, schedule: null, minHoursBetween: 24 });
    const put = await stack.call("PUT", `/models/${model}/retraining-policy`, { onDriftPsiAbove: 0.2, onPerformanceDegradationPercent: 10, schedule: { everyHours: 168 }, minHoursBetween: 12 });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ model, onDriftPsiAbove: 0.2, onPerformanceDegradationPercent: 10, schedule: { everyHours: 168 }, minHoursBetween: 12, updatedBy: "local" });
    expect(Date.parse(put.body.nextScheduledAt) - Date.parse(put.body.updatedAt)).toBe(168 * 3_600_000);
    expect((await stack.call("GET", `/models/${model}/retraining-policy`)).body).toEqual(put.body);
  });
});

describe("automatic retraining", () => {
  it("a drift check above the policy's PSI requests retraining once; the next crossing inside the window is suppressed", async () => {
    // Prepare
    const model = "rt-drift";
    await newModel(model);
    await stack.call("PUT", `/models/${model}/retraining-policy`, { onDriftPsiAbove: 0.2, minHoursBetween: 6 });
    expect((await stack.call("POST", `/models/${model}/baselines`, { records: makeRows(3000, 11) })).status).toBe(201);
    // Act
    const calm = await stack.call("POST", `/models/${model}/drift-checks`, { records: makeRows(2000, 12) });
    const first = await stack.call("POST", `/models/${model}/drift-checks`, { records: makeRows(2000, 13, 1) });
    const second = await stack.call("POST", `/models/${model}/drift-checks`, { records: makeRows(2000, 14, 1) });
    // Assess
    expect(calm.body.retraining).toBeUndefined();
    expect(first.body.retraining).toMatchObject({ status: "requested" });
    expect(second.body.retraining).toMatchObject({ status: "suppressed" });
    expect(Date.parse(second.body.retraining.suppressedUntil)).toBeGreaterThan(Date.now() + 5.9 * 3_600_000);
    const events = await bus.receive(requested(model), 2, 2000);
    expect(events).toHaveLength(1);
    expect(events[0].detail).toMatchObject({ trigger: "drift", evidence: { checkId: first.body.checkId }, evidenceId: first.body.checkId, requestedBy: "local" });
    expect(events[0].detail.reason).toMatch(/^PSI [\d.]+ above the policy's 0\.2: feature (income|plan) in drift check /);
    const list = await stack.call("GET", `/models/${model}/retraining-requests`);
    expect(list.body.items.map((r: any) => [r.status, r.evidence.checkId])).toEqual([["suppressed", second.body.checkId], ["requested", first.body.checkId]]);
    expect((await stack.call("GET", `/models/${model}/drift-checks/${second.body.checkId}`)).body.retraining).toEqual(second.body.retraining);
  });

  it("a batch degraded beyond the policy's percent requests retraining with the batch as evidence", async () => {
    // Prepare
    const model = "rt-perf";
    await registerVersion(stack, model, "1.0.0", { "validation:rmse": 0.5 }, "validation:rmse", "lower");
    await stack.call("PUT", `/models/${model}/retraining-policy`, { onPerformanceDegradationPercent: 50, minHoursBetween: 1 });
    const mild = regressionRows(100, 0.6);
    const bad = regressionRows(100, 0.8);
    // Act
    const below = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "regression", ...mild });
    const above = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "regression", ...bad });
    // Assess
    expect(below.body.performanceDrift.degradationPct).toBeCloseTo(20, 6);
    expect(below.body.retraining).toBeNull();
    expect(above.body.retraining).toMatchObject({ status: "requested" });
    const [event] = await bus.receive(requested(model), 1);
    expect(event.detail).toMatchObject({ trigger: "performance", evidence: { batchId: above.body.batchId }, evidenceId: above.body.batchId });
    expect(event.detail.reason).toMatch(/^degradation 60% above the policy's 50%: rmse of version 1\.0\.0 in batch /);
  });

  it("of ten concurrent crossings exactly one requests retraining; nine are suppressed", async () => {
    // Prepare
    const model = "rt-race";
    await newModel(model);
    await stack.call("PUT", `/models/${model}/retraining-policy`, { onDriftPsiAbove: 0.1, minHoursBetween: 24 });
    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => applyRetrainingPolicy({ model, trigger: "drift", value: 0.5, evidence: { checkId: `check-${i}` }, detail: "race", requestedBy: "test" })),
    );
    // Assess
    expect(outcomes.filter((o) => o?.status === "requested")).toHaveLength(1);
    expect(outcomes.filter((o) => o?.status === "suppressed")).toHaveLength(9);
    expect(await bus.receive(requested(model), 2, 2000)).toHaveLength(1);
    const list = await stack.call("GET", `/models/${model}/retraining-requests?limit=4`);
    expect(list.body.items).toHaveLength(4);
    const rest = await stack.call("GET", `/models/${model}/retraining-requests?limit=100&nextToken=${list.body.nextToken}`);
    expect(rest.body.items).toHaveLength(6);
    expect(rest.body.nextToken).toBeNull();
  });

  it("a failed publish is recorded as failed and gives the window back, so the next crossing requests", async () => {
    // Prepare
    const model = "rt-fail";
    await newModel(model);
    await stack.call("PUT", `/models/${model}/retraining-policy`, { onDriftPsiAbove: 0.1, minHoursBetween: 24 });
    const fault = injectFault(eventBridgeClient(), /^PutEventsCommand$/, { times: 3 });
    // Act
    const failed = await applyRetrainingPolicy({ model, trigger: "drift", value: 0.5, evidence: { checkId: "c1" }, detail: "x", requestedBy: "test" });
    fault.remove();
    const retried = await applyRetrainingPolicy({ model, trigger: "drift", value: 0.5, evidence: { checkId: "c2" }, detail: "x", requestedBy: "test" });
    // Assess
    expect(failed).toMatchObject({ status: "failed" });
    expect(failed?.error).toContain("injected fault");
    expect(retried).toMatchObject({ status: "requested" });
    const list = await stack.call("GET", `/models/${model}/retraining-requests`);
    expect(list.body.items.map((r: any) => r.status)).toEqual(["requested", "failed"]);
    expect(list.body.items[1].event).toMatchObject({ sent: false });
  });

  it("the schedule requests retraining when due, once per slot, through the same window", async () => {
    // Prepare
    const model = "rt-schedule";
    await newModel(model);
    const put = await stack.call("PUT", `/models/${model}/retraining-policy`, { schedule: { everyHours: 24 }, minHoursBetween: 0 });
    const due = new Date(Date.parse(put.body.nextScheduledAt) + 60_000);
    // Act
    const early = await runRetrainingSchedule(new Date(Date.parse(put.body.nextScheduledAt) - 60_000));
    const [a, b] = await Promise.all([runRetrainingSchedule(due), runRetrainingSchedule(due)]);
    // Assess
    expect(early.requests.filter((r) => r.model === model)).toHaveLength(0);
    const mine = [...a.requests, ...b.requests].filter((r) => r.model === model);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ trigger: "schedule", status: "requested", requestedBy: "mlwatch-schedule" });
    const [event] = await bus.receive(requested(model), 1);
    expect(event.detail).toMatchObject({ trigger: "schedule", evidenceId: mine[0].requestId });
    const after = await stack.call("GET", `/models/${model}/retraining-policy`);
    expect(Date.parse(after.body.nextScheduledAt)).toBe(due.getTime() + 24 * 3_600_000);
  });
});
