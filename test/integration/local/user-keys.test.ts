/**
 * User-chosen keys are data, never structure: keys that name Object.prototype members (`constructor`,
 * `toString`, `valueOf`, …) in every user map the API persists — registration tags, metrics and
 * parameters; a batch's baseline; drift baseline and check feature names; dataset schemas (CSV columns);
 * event details — are stored and read back unchanged, never a 5xx, and leave no orphan object behind.
 * `__proto__` is refused with a 400 at parse time (no store can keep it as a key).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { s3Client } from "../../../lambdas/shared/aws.js";
import { settleJobs } from "../../../lambdas/drift/dispatch.js";
import { createTestStack, type TestStack } from "../stack.js";
import { putObject } from "../registry/helpers.js";

/** Names of Object.prototype members that fit the feature and metric name rules, and a few that only fit tag keys. */
const prototypeNames = ["constructor", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "prototype", "length", "name"];
const nameKey = fc.oneof(fc.constantFrom(...prototypeNames), fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,11}$/));
const tagKey = fc.oneof(nameKey, fc.constantFrom("__defineGetter__", "__lookupSetter__", "constructor.name", "toString()"));

async function keysUnder(stack: TestStack, prefix: string): Promise<string[]> {
  const out = await s3Client().send(new ListObjectsV2Command({ Bucket: stack.names.bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key as string);
}

describe("user-chosen keys through the HTTP routes", () => {
  let stack: TestStack;
  let n = 0;

  beforeAll(async () => {
    stack = await createTestStack("keys");
  });
  afterAll(async () => {
    await settleJobs();
  });

  it("registration tags, metrics and parameters keep every key and round-trip", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(tagKey, { minLength: 1, maxLength: 4 }), fc.uniqueArray(nameKey, { minLength: 1, maxLength: 4 }), async (tagKeys, metricKeys) => {
        // Prepare
        const model = `keys-${n++}`;
        const artifact = await putObject(stack, `external/${model}.bin`, "weights");
        const tags = Object.fromEntries(tagKeys.map((k) => [k, `v-${k}`]));
        const metrics = Object.fromEntries(metricKeys.map((k, i) => [k, i / 10]));
        const parameters = Object.fromEntries(tagKeys.map((k, i) => [k, i % 2 ? k : i]));
        // Act
        const created = await stack.call("POST", `/models/${model}/versions`, { artifactUri: artifact.uri, primaryMetric: metricKeys[0], direction: "higher", tags, metrics, parameters });
        const read = await stack.call("GET", `/models/${model}/versions/${created.body.version}`);
        // Assess
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        expect(read.status).toBe(200);
        expect(read.body.tags).toEqual(tags);
        expect(read.body.metrics).toEqual(metrics);
        expect(read.body.parameters).toEqual(parameters);
      }),
      { numRuns: 12 },
    );
  });

  it("a batch's baseline and a version's registered metrics keyed by prototype names are stored and read back", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(nameKey, { minLength: 1, maxLength: 4 }), async (metricKeys) => {
        const model = `batch-${n++}`;
        const baseline = Object.fromEntries([...metricKeys.map((k) => [k, 0.5] as const), ["rmse", 1]]);
        expect((await stack.call("POST", `/models/${model}/versions`, { version: "1.0.0", requestUpload: true, primaryMetric: "rmse", direction: "lower" })).status).toBe(201);
        const res = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "regression", predictions: [1, 2, 3], actuals: [1, 2, 4], baseline });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body.baseline.metrics).toEqual(baseline);
        const report = await stack.call("GET", `/models/${model}/performance?version=1.0.0`);
        expect(report.status, JSON.stringify(report.body)).toBe(200);
        expect(report.body.batchCount).toBe(1);
      }),
      { numRuns: 8 },
    );
  });

  it("drift baselines and checks with features named after prototype members: ready, compared, no orphan", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(nameKey, { minLength: 1, maxLength: 3 }), async (features) => {
        const model = `drift-${n++}`;
        const records = Array.from({ length: 40 }, (_, i) => Object.fromEntries(features.map((f, j) => [f, j % 2 ? `c${i % 3}` : i])));
        const baseline = await stack.call("POST", `/models/${model}/baselines`, { records });
        expect(baseline.status, JSON.stringify(baseline.body)).toBe(201);
        expect(Object.keys(baseline.body.features).sort()).toEqual([...features].sort());
        const check = await stack.call("POST", `/models/${model}/drift-checks`, { records });
        expect(check.status, JSON.stringify(check.body)).toBeLessThan(300);
        await settleJobs();
        const read = await stack.call("GET", `/models/${model}/drift-checks/${check.body.checkId}`);
        expect(read.body.status, JSON.stringify(read.body)).toBe("completed");
        expect(Object.keys(read.body.report.features).sort()).toEqual([...features].sort());
      }),
      { numRuns: 8 },
    );
  });

  it("an S3 baseline whose columns are prototype names is built, and a dataset's schema keeps them", async () => {
    const header = "constructor,toString,valueOf";
    const csv = `${header}\n${Array.from({ length: 30 }, (_, i) => `${i},a${i % 3},${i * 2}`).join("\n")}\n`;
    const data = await putObject(stack, "external/proto.csv", csv);
    const created = await stack.call("POST", "/models/s3keys/baselines", { dataUri: data.uri });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    await settleJobs();
    const read = await stack.call("GET", `/models/s3keys/baselines/${created.body.baselineId}`);
    expect(read.body.status, JSON.stringify(read.body)).toBe("ready");
    expect(Object.keys(read.body.features).sort()).toEqual(["constructor", "toString", "valueOf"]);

    const dataset = await stack.call("POST", "/datasets/protods/versions", { dataUri: data.uri });
    expect(dataset.status, JSON.stringify(dataset.body)).toBe(201);
    const again = await stack.call("GET", `/datasets/protods/versions/${dataset.body.version}`);
    expect(JSON.stringify(again.body)).toContain('"constructor"');
    expect(JSON.stringify(again.body)).toContain('"toString"');
  });

  it("event details keyed by prototype names are recorded", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(tagKey, { minLength: 1, maxLength: 4 }), async (detailKeys) => {
        const details = Object.fromEntries(detailKeys.map((k) => [k, { [k]: k }]));
        const res = await stack.call("POST", "/events", { type: "training_completed", model: "evkeys", details });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        for (const k of detailKeys) expect(res.body.details[k]).toEqual({ [k]: k });
      }),
      { numRuns: 8 },
    );
  });

  it("__proto__ anywhere in a body is refused with a 400 before anything is written", async () => {
    const before = await keysUnder(stack, "");
    for (const [path, body] of [
      ["/models/protom/versions", '{"requestUpload":true,"primaryMetric":"auc","direction":"higher","tags":{"__proto__":"x"}}'],
      ["/models/protom/baselines", '{"records":[{"__proto__":1},{"__proto__":2}]}'],
      ["/events", '{"type":"training_completed","details":{"a":{"__proto__":{"polluted":true}}}}'],
    ] as const) {
      const res = await stack.call("POST", path, body);
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.message).toMatch(/__proto__/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await keysUnder(stack, "")).toEqual(before);
    expect((await stack.call("GET", "/models/protom")).status).toBe(404);
  });
});
