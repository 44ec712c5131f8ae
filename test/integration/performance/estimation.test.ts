/**
 * Performance estimation end to end against the emulator: a labelled reference batch with scores, then
 * predictions whose labels have not arrived (a batch without actuals, logged predictions), the report's
 * `estimated` section, the estimated-drop alert (SNS via a subscribed SQS queue, the inbox, EventBridge via a
 * rule → SQS, CloudWatch via GetMetricData, a retraining request), and the estimation error once ground
 * truth joins.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { listenToBus, listenToTopic, metricValues, uniqueName, type BusEvent, type BusListener, type TopicListener } from "../observe.js";
import { eventDetailSchemas, MlwatchEventType } from "../../../lambdas/shared/event-schemas.js";
import { schemaProblems } from "../../json-schema-subset.js";
import { calibratedRows as rows, eventually, registerVersion } from "./helpers.js";

const published = JSON.parse(readFileSync(new URL("../../../docs/events.schema.json", import.meta.url), "utf8")).detailTypes;

/** The accuracy a calibrated classifier is expected to have on its scores: mean of max(s, 1 − s). */
const expectedAccuracy = (scores: number[]) => scores.reduce((t, s) => t + Math.max(s, 1 - s), 0) / scores.length;

let stack: TestStack;
let topic: TopicListener;
let bus: BusListener;

beforeAll(async () => {
  stack = await createTestStack("perf-estimation");
  topic = await listenToTopic(stack.names.topicArn);
  bus = await listenToBus();
});

describe("performance estimation", () => {
  it("estimates a shifted unlabelled batch, alerts once through SNS, the inbox and EventBridge, publishes EstimatedPerformance and requests retraining", async () => {
    const model = uniqueName("churn-est");
    // Prepare: accuracy 0.8 registered, a 3,000-row labelled reference with scores, retraining above 5 % degradation
    await registerVersion(stack, model, "1.0.0", { "validation:accuracy": 0.8 }, "accuracy", "higher");
    const reference = rows(3000, 1);
    expect((await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", ...reference })).status).toBe(201);
    expect((await stack.call("PUT", `/models/${model}/retraining-policy`, { onPerformanceDegradationPercent: 5 })).status).toBe(200);
    const shifted = rows(2000, 2, 0.3);
    // Act
    const res = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", predictions: shifted.predictions, scores: shifted.scores });
    const again = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", predictions: shifted.predictions, scores: shifted.scores });
    // Assess: the batch is kept unlabelled and estimated far below 0.75 (0.8 − 5 points), interval and all
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ labelled: false, count: 2000, task: "classification" });
    const e = res.body.estimation;
    expect(e).toMatchObject({ checked: true, drop: { metric: "accuracy", baseline: 0.8, thresholdPoints: 5, severity: "high" } });
    expect(Math.abs(e.drop.estimate - expectedAccuracy(shifted.scores))).toBeLessThan(0.03);
    expect(e.drop.interval[1]).toBeLessThan(0.75);
    expect(e.alert).toMatchObject({ sent: true });
    expect(e.event).toMatchObject({ sent: true });
    expect(e.retraining).toMatchObject({ status: "requested" });
    expect(again.body.estimation.alert).toMatchObject({ sent: false, repeat: true });

    const mine = (await topic.receive(1, 10_000)).filter((m) => m.attributes.model === model);
    expect(mine).toHaveLength(1);
    expect(mine[0].subject).toBe(`[MLWatch] Estimated performance drop: ${model} 1.0.0`);
    expect(mine[0].attributes).toMatchObject({ alertType: "performance_estimated", severity: "high", version: "1.0.0" });
    expect(mine[0].message).toContain("no concept drift");
    const inbox = (await stack.call("GET", `/alerts?type=performance_estimated&model=${model}`)).body.items;
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ state: "open", occurrences: 2, link: { batchId: res.body.batchId } });

    const events = await bus.receive((x: BusEvent) => x.detail?.model === model && x["detail-type"] === MlwatchEventType.performanceEstimatedDrop, 2, 10_000);
    expect(events).toHaveLength(2);
    expect(schemaProblems(published[MlwatchEventType.performanceEstimatedDrop], events[0].detail)).toEqual([]);
    expect(eventDetailSchemas[MlwatchEventType.performanceEstimatedDrop].safeParse(events[0].detail).success).toBe(true);
    expect(events[0].detail).toMatchObject({ version: "1.0.0", metric: "accuracy", count: 2000, method: "isotonic" });

    const estimated = await eventually(
      // An estimate is stamped at noon UTC of its day (or now, before noon): look back over the whole day
      () => metricValues(stack.names.metricsNamespace, "EstimatedPerformance", { ModelName: model, ModelVersion: "1.0.0" }, { stat: "Average", minutes: 25 * 60 }),
      (v) => v.length > 0,
    );
    // two estimates of the same day: the first with 2,000 rows, the second with 4,000 (the same rows twice)
    expect(estimated[0]).toBeGreaterThan(e.drop.interval[0] - 0.01);
    expect(estimated[0]).toBeLessThan(e.drop.interval[1] + 0.01);

    // the report: the realized series of the labelled batch beside the estimate of the unlabelled rows
    const report = await stack.call("GET", `/models/${model}/performance?version=1.0.0&days=7`);
    expect(report.status).toBe(200);
    expect(report.body.count).toBe(3000);
    const est = report.body.estimated;
    expect(est).toMatchObject({ available: true, method: "isotonic", unlabelledCount: 4000, reference: { source: "default", count: 3000 } });
    expect(est.reference.batches).toHaveLength(1);
    expect(est.reference.calibrationError).toBeLessThan(0.1);
    expect(est.assumption).toContain("no concept drift");
    expect(est.daily).toHaveLength(1);
    expect(est.daily[0].count).toBe(4000);
    const [lo, hi] = est.daily[0].intervals.accuracy;
    expect(lo).toBeLessThanOrEqual(est.daily[0].metrics.accuracy);
    expect(hi).toBeGreaterThanOrEqual(est.daily[0].metrics.accuracy);
    expect(est.overall.count).toBe(4000);
    expect(est.record).toMatchObject({ days: 0, count: 0 });
  });

  it("shows realized, estimated and the estimation error once ground truth joins logged predictions", async () => {
    const model = uniqueName("fraud-est");
    await registerVersion(stack, model, "2.0.0", {}, "accuracy", "higher");
    // Prepare: a labelled reference, then 250 logged predictions with scores
    const reference = rows(2500, 3);
    expect((await stack.call("POST", `/models/${model}/versions/2.0.0/batches`, { task: "classification", ...reference })).status).toBe(201);
    const later = rows(250, 4);
    const records = later.scores.map((s, i) => ({ id: `t-${i}`, prediction: later.predictions[i], score: s }));
    const logged = await stack.call("POST", `/models/${model}/versions/2.0.0/predictions`, { records });
    expect(logged.status).toBe(201);
    expect(logged.body.estimation).toMatchObject({ checked: true, drop: null });
    const before = (await stack.call("GET", `/models/${model}/performance?version=2.0.0&days=3`)).body.estimated;
    expect(before.daily[0]).toMatchObject({ count: 250 });
    expect(before.daily[0].labelled).toBeUndefined();
    // Act: the labels arrive
    const joined = await stack.call("POST", `/models/${model}/ground-truth`, { records: later.actuals.map((a, i) => ({ id: `t-${i}`, actual: a })) });
    expect(joined.body.joined).toBe(250);
    const after = (await stack.call("GET", `/models/${model}/performance?version=2.0.0&days=3`)).body.estimated;
    // Assess: no unlabelled row left; the day shows realized (= the joined batch's), estimated and their difference
    const day = after.daily[0];
    expect(after.unlabelledCount).toBe(0);
    expect(day.count).toBe(0);
    expect(day.labelled.count).toBe(250);
    expect(day.labelled.realized.accuracy).toBeCloseTo(joined.body.batches[0].metrics.accuracy, 6);
    expect(day.labelled.estimated.metrics.accuracy).toBeCloseTo(before.daily[0].metrics.accuracy, 6);
    for (const m of ["accuracy", "precision", "recall", "f1", "auc"]) {
      expect(day.labelled.estimationError[m]).toBeCloseTo(day.labelled.estimated.metrics[m] - day.labelled.realized[m], 5);
    }
    // 250 rows: the realized accuracy's own sd is about 0.028
    expect(Math.abs(day.labelled.estimationError.accuracy)).toBeLessThan(0.09);
    expect(after.record).toMatchObject({ days: 1, count: 250 });
    expect(after.record.meanAbsoluteError.accuracy).toBeCloseTo(Math.abs(day.labelled.estimationError.accuracy), 5);
    expect(after.record.coverage.accuracy).toBe(day.labelled.covered.accuracy ? 1 : 0);
  }, 180_000);

  it("answers no estimate with the reason when the reference is too small, and takes an explicit reference window", async () => {
    const model = uniqueName("small-est");
    await registerVersion(stack, model, "1.0.0", {}, "accuracy", "higher");
    const small = rows(120, 5);
    await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", ...small });
    const unlabelled = rows(50, 6);
    const res = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", predictions: unlabelled.predictions, scores: unlabelled.scores });
    expect(res.body.estimation).toMatchObject({ checked: false, reason: expect.stringContaining("too small: 120 labelled scored rows") });
    const report = (await stack.call("GET", `/models/${model}/performance?version=1.0.0`)).body.estimated;
    expect(report).toMatchObject({ available: false, reason: expect.stringContaining("too small"), overall: null, unlabelledCount: 50 });

    // an explicit window that holds a large enough labelled batch
    const big = rows(1500, 7);
    await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", ...big });
    const now = Date.now();
    const put = await stack.call("PUT", `/models/${model}/versions/1.0.0/estimation-reference`, { from: new Date(now - 3_600_000).toISOString(), to: new Date(now + 60_000).toISOString(), method: "platt" });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ available: true, method: "platt", reference: { source: "stored", count: 1620, requestedMethod: "platt" } });
    const got = await stack.call("GET", `/models/${model}/versions/1.0.0/estimation-reference`);
    expect(got.body.stored).toMatchObject({ method: "platt" });
  });
});
