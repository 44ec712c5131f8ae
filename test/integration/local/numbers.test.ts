/**
 * Numbers of any size in the documented range (±1e50, nonzero magnitudes down to 1e-300) are stored and
 * read back exactly on every route family that keeps a number the caller sent: registry (metrics,
 * parameters, policy gates), performance (batches, predictions, ground truth, thresholds), drift
 * (monitoring thresholds), retraining (policy) and events. Numbers past the range are a 400 naming the
 * field, with nothing written. Before, anything above 2^53 answered 500 (the SDK's safe-integer rule).
 */
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient } from "../../../lambdas/shared/aws.js";
import { keys } from "../../../lambdas/shared/table.js";
import { padSemver } from "../../../lambdas/core/lifecycle/semver.js";
import { createTestStack, type TestStack } from "../stack.js";
import { snapshotData } from "../snapshot.js";
import { putObject } from "../registry/helpers.js";

/** Values at the edges of the range and between: every one must come back bit for bit. */
const edges = [1e50, -1e50, 1e-300, -1e-300, 2 ** 53 + 2, 2 ** 53 + 1, 1e16, 1e21, 1e-130, 1e-131, 0.1 + 0.2, 123456789.9876543, -0];
const inRange = fc.oneof(
  fc.constantFrom(...edges),
  fc.double({ min: -1e50, max: 1e50, noNaN: true }).filter((x) => x === 0 || Math.abs(x) >= 1e-300),
);

describe("numbers of any size round-trip through every store", () => {
  let stack: TestStack;
  let n = 0;
  beforeAll(async () => {
    stack = await createTestStack("numbers");
  });

  async function registered(model: string): Promise<void> {
    const artifact = await putObject(stack, `external/${model}.bin`, "weights");
    const res = await stack.call("POST", `/models/${model}/versions`, { version: "1.0.0", artifactUri: artifact.uri, primaryMetric: "auc", direction: "higher", metrics: { auc: 0.5 } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }

  it("registration metrics and parameters: every value comes back exactly (property, edges included)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(inRange, { minLength: 1, maxLength: 6 }), async (values) => {
        // Prepare
        const model = `reg-${n++}`;
        const artifact = await putObject(stack, `external/${model}.bin`, "weights");
        const metrics = Object.fromEntries(values.map((v, i) => [`m${i}`, v]));
        const parameters = Object.fromEntries(values.map((v, i) => [`p${i}`, v]));
        // Act
        const created = await stack.call("POST", `/models/${model}/versions`, { version: "1.0.0", artifactUri: artifact.uri, primaryMetric: "m0", direction: "higher", metrics, parameters });
        const read = await stack.call("GET", `/models/${model}/versions/1.0.0`);
        // Assess: JSON has no -0, so -0 comes back as 0; everything else is identical
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        const plain = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === 0 ? 0 : v]));
        expect(read.body.metrics).toStrictEqual(plain(metrics));
        expect(read.body.parameters).toStrictEqual(plain(parameters));
      }),
      { numRuns: 15 },
    );
  });

  it("stores the edges in DynamoDB itself as exactly those numbers (no rounding, no flush to zero)", async () => {
    const model = "raw-edges";
    const artifact = await putObject(stack, `external/${model}.bin`, "weights");
    const metrics = { big: 1e50, tiny: 1e-300, belowDynamoFloor: 1e-131, atDynamoFloor: 1e-130, unsafe: 2 ** 53 + 2, negative: -1e-300 };
    expect((await stack.call("POST", `/models/${model}/versions`, { version: "1.0.0", artifactUri: artifact.uri, primaryMetric: "big", direction: "higher", metrics })).status).toBe(201);
    const item = await documentClient().send(new GetCommand({ TableName: stack.names.table, Key: keys.modelVersion(model, padSemver("1.0.0")) }));
    expect(item.Item?.metrics).toStrictEqual(metrics);
  });

  it("a regression batch in cents (squared error past 9.007e15) is recorded and reported exactly", async () => {
    // Prepare
    const model = "cents";
    await registered(model);
    // Act
    const batch = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "regression", predictions: [95000000], actuals: [0] });
    const big = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "regression", predictions: [1e50, -1e50], actuals: [0, 0] });
    const report = await stack.call("GET", `/models/${model}/performance?version=1.0.0`);
    // Assess
    expect(batch.status, JSON.stringify(batch.body)).toBe(201);
    expect(batch.body.metrics.rmse).toBe(95000000);
    expect(batch.body.metrics.mae).toBe(95000000);
    expect(big.status, JSON.stringify(big.body)).toBe(201);
    expect(big.body.metrics.rmse).toBe(1e50);
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body).toMatchObject({ batchCount: 2, count: 3 });
  });

  it("predictions and ground truth of 1e16 are logged, joined and stored exactly", async () => {
    // Prepare
    const model = "huge-values";
    await registered(model);
    const records = [
      { id: "a", prediction: 1e16 },
      { id: "b", prediction: 2 ** 53 + 2 },
      { id: "c", prediction: 1e-300 },
    ];
    // Act
    const logged = await stack.call("POST", `/models/${model}/versions/1.0.0/predictions`, { records });
    const joined = await stack.call("POST", `/models/${model}/ground-truth`, { records: records.map((r) => ({ id: r.id, actual: r.prediction * 3 })) });
    // Assess
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    expect(joined.body.joined).toBe(3);
    for (const r of records) {
      const item = await documentClient().send(new GetCommand({ TableName: stack.names.table, Key: keys.prediction(model, r.id) }));
      expect(item.Item).toMatchObject({ prediction: r.prediction, actual: r.prediction * 3 });
    }
  });

  it("thresholds, gates, monitoring and retraining settings of 1e16 … 1e50 are kept exactly", async () => {
    // Prepare
    const model = "settings";
    await registered(model);
    // Act
    const thresholds = await stack.call("PUT", `/models/${model}/performance/thresholds`, { rmseIncreasePct: 1e16, highFactor: 1e50 });
    const policy = await stack.call("PUT", `/models/${model}/promotion-policy`, { gates: [{ metric: "auc", max: 1e50, min: -1e50 }] });
    const monitoring = await stack.call("PUT", `/models/${model}/monitoring`, {
      dataCapturePrefix: `s3://${stack.names.bucket}/capture/${model}/`,
      schedule: "daily",
      enabled: false,
      thresholds: { psi: 1e20, psiHigh: 1e-300 },
    });
    const retraining = await stack.call("PUT", `/models/${model}/retraining-policy`, { onDriftPsiAbove: 1e-300, minHoursBetween: 48 });
    // Assess
    expect(thresholds.status, JSON.stringify(thresholds.body)).toBe(200);
    expect((await stack.call("GET", `/models/${model}/performance/thresholds`)).body.stored).toStrictEqual({ rmseIncreasePct: 1e16, highFactor: 1e50 });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    expect((await stack.call("GET", `/models/${model}/promotion-policy`)).body.gates[0]).toMatchObject({ metric: "auc", max: 1e50, min: -1e50 });
    expect(monitoring.status, JSON.stringify(monitoring.body)).toBe(200);
    expect((await stack.call("GET", `/models/${model}/monitoring`)).body.thresholds).toMatchObject({ psi: 1e20, psiHigh: 1e-300 });
    expect(retraining.status, JSON.stringify(retraining.body)).toBe(200);
    expect((await stack.call("GET", `/models/${model}/retraining-policy`)).body).toMatchObject({ onDriftPsiAbove: 1e-300 });
  });

  it("event details keep numbers of any size in range", async () => {
    const details = { rows: 2 ** 53 + 2, loss: 1e-300, budget: 1e50 };
    const res = await stack.call("POST", "/events", { type: "training_completed", model: "evnum", details });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.details).toStrictEqual(details);
  });

  it("refuses numbers past the range with a 400 naming the field, on every route family, writing nothing", async () => {
    // Prepare
    const model = "beyond";
    await registered(model);
    const artifact = await putObject(stack, "external/beyond-2.bin", "weights 2");
    const before = await snapshotData(stack.names);
    const cases: Array<[string, string, unknown, string]> = [
      ["POST", `/models/${model}/versions`, { version: "1.1.0", artifactUri: artifact.uri, metrics: { auc: 1e51 } }, "body.metrics.auc"],
      ["POST", `/models/${model}/versions`, { version: "1.1.0", artifactUri: artifact.uri, parameters: { lr: 5e-324 } }, "body.parameters.lr"],
      ["PUT", `/models/${model}/promotion-policy`, { gates: [{ metric: "auc", max: 1e308 }] }, "body.gates.0.max"],
      ["POST", `/models/${model}/versions/1.0.0/batches`, { task: "regression", predictions: [1, -1e60], actuals: [1, 2] }, "body.predictions.1"],
      ["POST", `/models/${model}/versions/1.0.0/predictions`, { records: [{ id: "x", prediction: 1e-301 }] }, "body.records.0.prediction"],
      ["POST", `/models/${model}/ground-truth`, { records: [{ id: "x", actual: -1e300 }] }, "body.records.0.actual"],
      ["PUT", `/models/${model}/performance/thresholds`, { rmseIncreasePct: 1e51 }, "body.rmseIncreasePct"],
      ["PUT", `/models/${model}/monitoring`, { dataCapturePrefix: `s3://${stack.names.bucket}/c/`, schedule: "daily", enabled: false, thresholds: { psi: 1e51 } }, "body.thresholds.psi"],
      ["PUT", `/models/${model}/retraining-policy`, { onDriftPsiAbove: 1e99, minHoursBetween: 1 }, "body.onDriftPsiAbove"],
      ["POST", "/events", { type: "training_completed", model, details: { deep: [{ x: 1e51 }] } }, "body.details.deep.0.x"],
      // JSON's 1e400 parses to Infinity: sent as text, since JSON.stringify would write null
      ["POST", "/models/beyond/drift-checks", '{"records":[{"a":1e400}]}', "body.records.0.a"],
    ];
    // Act / Assess
    for (const [method, path, body, field] of cases) {
      const res = await stack.call(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
      expect(res.body.error.message.startsWith(`${field}: `), res.body.error.message).toBe(true);
    }
    expect(await snapshotData(stack.names)).toEqual(before);
  });
});
