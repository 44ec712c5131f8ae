import { beforeAll, describe, expect, it } from "vitest";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { createTestStack, type TestStack } from "../stack.js";
import { auditEntries, listenToTopic, metricValues, uniqueName, type TopicListener } from "../observe.js";
import { documentClient } from "../../../lambdas/shared/aws.js";
import { keys } from "../../../lambdas/shared/table.js";
import { getJson, registerVersions } from "./helpers.js";

describe("performance: delayed ground truth", () => {
  let stack: TestStack;
  let topic: TopicListener;
  beforeAll(async () => {
    stack = await createTestStack("perf-gt");
    topic = await listenToTopic(stack.names.topicArn);
    await registerVersions(stack, "eta", ["2.1.0"]);
    await registerVersions(stack, "floor", ["1.0.0"]);
    await registerVersions(stack, "mixed", ["1.0.0"]);
  });

  it("logs predictions, joins actuals later, reports unknown ids, and counts the joined records as a batch", async () => {
    const model = uniqueName("fraud");
    await registerVersions(stack, model, ["1.0.0"]);
    // Prepare: 20 binary predictions with scores
    const records = Array.from({ length: 20 }, (_, i) => ({ id: `req-${i}`, prediction: i % 2, score: i % 2 === 0 ? 0.2 : 0.8, features: { age: 20 + i } }));
    // Act
    const logged = await stack.call("POST", `/models/${model}/versions/1.0.0/predictions`, { records });
    const truth = [
      ...records.slice(0, 15).map((r, i) => ({ id: r.id, actual: i < 12 ? r.prediction : 1 - r.prediction })),
      { id: "never-logged", actual: 1 },
    ];
    const joined = await stack.call("POST", `/models/${model}/ground-truth`, { records: truth });
    const report = await stack.call("GET", `/models/${model}/performance?version=1.0.0&days=7`);
    // Assess
    expect(logged.status).toBe(201);
    expect(logged.body).toMatchObject({ task: "classification", taskInferred: true, received: 20, logged: 20, duplicateIds: [] });
    expect((await getJson(logged.body.rawUri)).records).toHaveLength(20);
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ received: 16, joined: 15, unknownIds: ["never-logged"], alreadyJoinedIds: [], rejected: [] });
    expect(joined.body.batches).toHaveLength(1);
    const batch = joined.body.batches[0];
    expect(batch).toMatchObject({ version: "1.0.0", source: "ground_truth", count: 15, task: "classification" });
    expect(batch.metrics.accuracy).toBeCloseTo(12 / 15, 12);
    expect(batch.metrics.auc).toBeDefined();
    const raw = await getJson(batch.rawUri);
    expect(raw.records).toHaveLength(15);
    expect(raw.groundTruthUri).toBe(joined.body.rawUri);
    expect(report.body).toMatchObject({ batchCount: 1, count: 15 });
    expect(report.body.worstBatches[0]).toMatchObject({ batchId: batch.batchId, source: "ground_truth" });
    const count = await metricValues(stack.names.metricsNamespace, "PredictionCount", { ModelName: model, ModelVersion: "1.0.0" });
    expect(count).toEqual([15]);
    const item = await documentClient().send(new GetCommand({ TableName: stack.names.table, Key: keys.prediction(model, "req-3") }));
    expect(item.Item).toMatchObject({ actual: 1, joinId: joined.body.joinId, prediction: 1, score: 0.8, version: "1.0.0" });
    const audit = await auditEntries(stack.names.auditLogGroup, '"performance.ground_truth_joined"');
    expect(audit[0].after).toMatchObject({ joined: 15, unknown: 1 });
  });

  it("never counts a record twice: a repeated post and concurrent posts join each record once", async () => {
    // Prepare
    const records = Array.from({ length: 30 }, (_, i) => ({ id: `c-${i}`, prediction: 10 + i * 0.5 }));
    await stack.call("POST", "/models/eta/versions/2.1.0/predictions", { records });
    const truth = records.map((r) => ({ id: r.id, actual: r.prediction + 0.25 }));
    // Act: three concurrent posts of overlapping halves, then the whole set again
    const posts = await Promise.all([
      stack.call("POST", "/models/eta/ground-truth", { records: truth.slice(0, 20) }),
      stack.call("POST", "/models/eta/ground-truth", { records: truth.slice(10, 30) }),
      stack.call("POST", "/models/eta/ground-truth", { records: truth }),
    ]);
    const repeat = await stack.call("POST", "/models/eta/ground-truth", { records: truth });
    const report = await stack.call("GET", "/models/eta/performance?version=2.1.0");
    // Assess
    for (const p of posts) expect(p.status).toBe(200);
    expect(posts.reduce((s, p) => s + p.body.joined, 0)).toBe(30);
    expect(posts.reduce((s, p) => s + p.body.alreadyJoinedIds.length, 0)).toBe(20 + 20 + 30 - 30);
    expect(repeat.body).toMatchObject({ joined: 0, batches: [] });
    expect(repeat.body.alreadyJoinedIds).toHaveLength(30);
    expect(report.body.count).toBe(30);
    expect(report.body.overall.mae).toBeCloseTo(0.25, 12);
    expect(report.body.task).toBe("regression");
  });

  it("alerts on a degraded joined batch like on any batch", async () => {
    // Prepare: a regression version with no baseline anywhere — the R² floor (0.9) still applies to its joined batch.
    const records = Array.from({ length: 10 }, (_, i) => ({ id: `r-${i}`, prediction: i * 1.5 }));
    await stack.call("POST", "/models/floor/versions/1.0.0/predictions", { records, task: "regression" });
    // Act: actuals unrelated to predictions → R² far below 0.9
    const joined = await stack.call("POST", "/models/floor/ground-truth", { records: records.map((r, i) => ({ id: r.id, actual: (i * 7) % 5 })) });
    const messages = await topic.receive(1, 10_000);
    // Assess
    expect(joined.body.batches[0].degradation).toMatchObject({ degraded: true });
    expect(joined.body.batches[0].degradation.findings[0].metric).toBe("r2");
    const mine = messages.filter((m) => m.attributes.model === "floor");
    expect(mine).toHaveLength(1);
    expect(mine[0].subject).toBe("[MLWatch] Performance drift: floor 1.0.0");
    expect(mine[0].message).toContain("predictions joined with delayed ground truth");
  });

  it("refuses what cannot be joined with a reason, and bad posts with 400", async () => {
    // Prepare
    await stack.call("POST", "/models/mixed/versions/1.0.0/predictions", { records: [{ id: "a", prediction: 1.5 }, { id: "b", prediction: 2.5 }] });
    // Act
    const wrongType = await stack.call("POST", "/models/mixed/ground-truth", { records: [{ id: "a", actual: "cat" }, { id: "b", actual: 3 }] });
    const duplicate = await stack.call("POST", "/models/mixed/ground-truth", { records: [{ id: "x", actual: 1 }, { id: "x", actual: 2 }] });
    const ambiguous = await stack.call("POST", "/models/mixed/versions/1.0.0/predictions", { records: [{ id: "c", prediction: 1 }] });
    const dupLog = await stack.call("POST", "/models/mixed/versions/1.0.0/predictions", { records: [{ id: "a", prediction: 9.5 }, { id: "z", prediction: 1.25 }] });
    const badId = await stack.call("POST", "/models/mixed/ground-truth", { records: [{ id: "has space", actual: 1 }] });
    // Assess
    expect(wrongType.status).toBe(200);
    expect(wrongType.body.rejected).toEqual([{ id: "a", reason: 'actual "cat" does not fit the prediction\'s task regression' }]);
    expect(wrongType.body.joined).toBe(1);
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.message).toBe("body.records: duplicate id(s) x");
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.error.message).toMatch(/body\.task: required when every prediction is an integer/);
    expect(dupLog.body).toMatchObject({ logged: 1, duplicateIds: ["a"] });
    expect(badId.status).toBe(400);
    expect(badId.body.error.message).toMatch(/^body\.records\.0\.id: must be 1-256 characters/);
  });
});
