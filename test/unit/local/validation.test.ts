import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { inProcessApp, type InProcessApp } from "../in-process-app.js";

/**
 * Input that every service refuses before calling any store, on the host app the local server runs
 * (lambdas/local/services.ts), in process and without the emulator. Each case answers 400 naming the
 * problem and reaches no AWS service at all (so it wrote nothing): a case that does is a failure, and names
 * the call. Cases refused only after a read (unknown model, foreign page token, …) stay in the integration
 * tests.
 */
let app: InProcessApp;
let seen = 0;

beforeAll(async () => {
  app = await inProcessApp();
}, 120_000);

afterEach(() => {
  // Assess, for every case: no AWS request left the process.
  expect(app.awsCalls().slice(seen)).toEqual([]);
  seen = app.awsCalls().length;
});

afterAll(async () => {
  await app?.close();
});

type Case = [label: string, method: string, path: string, body: unknown, message: string | RegExp, headers?: Record<string, string>];

const answersWith = async ([, method, path, body, message, headers]: Case): Promise<void> => {
  // Act
  const res = await app.call(method, path, body, headers);
  // Assess
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  if (typeof message === "string") expect(res.body.error.message).toContain(message);
  else expect(res.body.error.message).toMatch(message);
};

describe("registry: bad input is a 400 naming the problem", () => {
  const cases: Case[] = [
    ["malformed JSON", "POST", "/models/good/versions", '{"version": "1.1.0",', "request body is not valid JSON"],
    ["a wrong type", "POST", "/models/good/versions", { artifactUri: "URI", metrics: { auc: "high" } }, "body.metrics.auc"],
    ["a non-finite number", "POST", "/models/good/versions", '{"artifactUri":"s3://b-b/k","metrics":{"auc":1e999}}', "body.metrics.auc: must be a finite number"],
    ["an invalid semver", "POST", "/models/good/versions", { version: "1.0", artifactUri: "s3://bucket/k" }, "body.version: must be a semantic version"],
    ["a semver with a leading zero", "GET", "/models/good/versions/01.0.0", undefined, "version: must be a semantic version"],
    ["an invalid model name", "POST", "/models/-bad/versions", { artifactUri: "s3://bucket/k" }, "path.model: must be 1-128 characters"],
    ["a too long model name", "GET", `/models/${"m".repeat(129)}`, undefined, "path.model"],
    ["an unknown field", "POST", "/models/good/versions", { artifactURI: "s3://bucket/k" }, 'Unrecognized key: "artifactURI"'],
    ["both artifactUri and requestUpload", "POST", "/models/good/versions", { artifactUri: "s3://bucket/k", requestUpload: true }, "body.requestUpload: give artifactUri or requestUpload"],
    ["neither artifactUri nor requestUpload", "POST", "/models/good/versions", { version: "1.2.0" }, "body.artifactUri: give either artifactUri"],
    ["a non-s3 artifact URI", "POST", "/models/good/versions", { artifactUri: "https://example.com/m" }, "body.artifactUri: must be an s3://bucket/key URI"],
    ["an unknown stage", "POST", "/models/good/versions/1.0.0/promote", { stage: "prod", reason: "x" }, "body.stage"],
    ["a missing reason", "POST", "/models/good/versions/1.0.0/promote", { stage: "staging" }, "body.reason"],
    ["a bad limit", "GET", "/models/good/versions?limit=0", undefined, "query.limit"],
    ["a bad stage filter", "GET", "/models/good/versions?stage=live", undefined, "query.stage"],
    ["a bad dataset reference", "POST", "/models/good/versions", { artifactUri: "s3://bucket/k", datasetVersion: "train" }, "body.datasetVersion"],
    ["a dataset URI that is not s3", "POST", "/datasets/train/versions", { dataUri: "/tmp/x.csv" }, "body.dataUri"],
    ["a bad dataset version id", "GET", "/datasets/train/versions/xyz/lineage", undefined, "path.version"],
  ];
  it.each(cases)("answers %s with a 400", async (...c) => answersWith(c));
});

describe("events and audit: bad input is a 400 naming the problem", () => {
  const cases: Case[] = [
    ["an unknown event type", "POST", "/events", { type: "trained" }, "body.type"],
    ["an unknown field", "POST", "/events", { type: "custom", colour: "red" }, /colour|unrecognized/i],
    ["a model name that is a path", "POST", "/events", { type: "custom", model: "../etc/passwd" }, "body.model"],
    ["a reversed audit window", "GET", "/audit?since=2026-11-02T00:00:00Z&until=2026-11-01T00:00:00Z", undefined, "since"],
  ];
  it.each(cases)("answers %s with a 400", async (...c) => answersWith(c));
});

describe("drift: bad input is a 400 naming the problem", () => {
  const cases: Case[] = [
    ["a limit of 0", "GET", "/models/m/drift-checks?limit=0", undefined, "query.limit"],
    ["a renamed threshold", "POST", "/models/m/drift-checks", { records: [{ age: 1 }], thresholds: { psiModerate: 0.5 } }, "body.thresholds"],
    ["a fractional minCount", "POST", "/models/m/drift-checks", { records: [{ age: 1 }], thresholds: { minCount: 2.5 } }, "body.thresholds.minCount"],
    ["an unknown threshold", "POST", "/models/m/drift-checks", { records: [{ age: 1 }], thresholds: { nope: 1 } }, 'Unrecognized key: "nope"'],
  ];
  it.each(cases)("answers %s with a 400", async (...c) => answersWith(c));
});

describe("performance: bad batches are a 400 naming the problem, and record nothing", () => {
  const batches = "/models/bad/versions/1.0.0/batches";
  const cases: Case[] = [
    ["predictions and actuals of different lengths", "POST", batches, { task: "regression", predictions: [1, 2, 3], actuals: [1, 2] }, /^body\.predictions has 3 rows but body\.actuals has 2$/],
    ["a null prediction", "POST", batches, { task: "regression", predictions: [1, null, 3], actuals: [1, 2, "x"] }, "body.predictions[1] = null is not a finite number (task regression)"],
    ["a text actual", "POST", batches, { task: "regression", predictions: [1, null, 3], actuals: [1, 2, "x"] }, 'body.actuals[2] = "x" is not a finite number'],
    ["a probability as a class label", "POST", batches, { task: "classification", predictions: [0.3, 1], actuals: [0, 1] }, /body\.predictions\[0\] = 0\.3 is not a class label .*scores/],
    ["a score over 1", "POST", batches, { task: "classification", predictions: [0, 1], actuals: [0, 1], scores: [0.2, 1.5] }, /^body\.scores\[1\] = 1\.5 is not a probability in \[0, 1\]$/],
    ["an unknown task", "POST", batches, { task: "ranking", predictions: [1], actuals: [1] }, 'body.task: must be "regression" or "classification"'],
    ["more than 10,000 inline rows", "POST", batches, { task: "regression", predictions: new Array(10_001).fill(1), actuals: new Array(10_001).fill(1) }, "at most 10,000 rows inline; send larger batches by dataUri"],
    ["inline rows and a dataUri", "POST", batches, { task: "regression", predictions: [1], actuals: [1], dataUri: "s3://b/k.csv" }, "give inline predictions/actuals or dataUri, not both"],
    ["a version that is no semver", "POST", "/models/bad/versions/1.0/batches", { task: "regression", predictions: [1], actuals: [1] }, "path.version"],
    ["a timestamp in the future", "POST", batches, { task: "regression", predictions: [1], actuals: [1], timestamp: "2999-01-01T00:00:00Z" }, "more than an hour in the future"],
    ["a feature column of another length", "POST", batches, { task: "regression", predictions: [1, 2], actuals: [1, 2], features: { x: [1] } }, /^body\.features\.x has 1 rows but body\.predictions has 2$/],
  ];
  it.each(cases)("answers %s with a 400", async (...c) => answersWith(c));
});

describe("performance estimation: an unlabelled batch it cannot estimate is a 400 naming the field", () => {
  const now = Date.now();
  const cases: Case[] = [
    ["a batch with neither actuals nor scores", "POST", "/models/m/versions/1.0.0/batches", { task: "classification", predictions: [1, 0] }, "actuals"],
    ["an unlabelled regression batch", "POST", "/models/m/versions/1.0.0/batches", { task: "regression", predictions: [1.5], scores: [0.5] }, "actuals"],
    ["scores with a multiclass label", "POST", "/models/m/versions/1.0.0/batches", { task: "classification", predictions: [2, 0], scores: [0.5, 0.2] }, "binary 0/1 labels"],
    ["groups without actuals", "POST", "/models/m/versions/1.0.0/batches", { task: "classification", predictions: [1], scores: [0.9], groups: ["a"] }, "only for a batch with actuals"],
    ["scores of another length", "POST", "/models/m/versions/1.0.0/batches", { task: "classification", predictions: [1, 0], scores: [0.9] }, "body.predictions has 2 rows but body.scores has 1"],
    ["classes without scores", "POST", "/models/m/versions/1.0.0/batches", { task: "classification", predictions: ["a"], actuals: ["a"], classes: ["a", "b"] }, "body.classes: only with scores"],
    ["one class", "POST", "/models/m/versions/1.0.0/batches", { task: "classification", predictions: ["a"], scores: [[1]], classes: ["a"] }, "body.classes: must list at least 2 classes"],
    ["eleven classes", "POST", "/models/m/versions/1.0.0/batches", { task: "classification", predictions: ["a"], scores: [[1]], classes: "abcdefghijk".split("") }, "body.classes: at most 10 classes"],
    ["per-class scores of another length", "POST", "/models/m/versions/1.0.0/batches", { task: "classification", predictions: ["a"], scores: [[0.5, 0.5]], classes: ["a", "b", "c"] }, "body.scores[0] must hold 3 probabilities"],
    ["per-class scores not summing to 1", "POST", "/models/m/versions/1.0.0/batches", { task: "classification", predictions: ["a"], actuals: ["b"], scores: [[0.5, 0.4, 0.3]], classes: ["a", "b", "c"] }, "body.scores[0] sums to 1.2, not 1"],
    ["a prediction outside the classes", "POST", "/models/m/versions/1.0.0/batches", { task: "classification", predictions: ["d"], scores: [[0.5, 0.3, 0.2]], classes: ["a", "b", "c"] }, 'body.predictions[0] = "d" is not one of the classes'],
    ["an actual outside the classes", "POST", "/models/m/versions/1.0.0/batches", { task: "classification", predictions: ["a"], actuals: ["z"], scores: [[0.5, 0.3, 0.2]], classes: ["a", "b", "c"] }, 'body.actuals[0] = "z" is not one of the classes'],
    ["a reference window that ends before it starts", "PUT", "/models/m/versions/1.0.0/estimation-reference", { from: new Date(now).toISOString(), to: new Date(now - 1000).toISOString() }, "must be after from"],
  ];
  it.each(cases)("answers %s with a 400", async (...c) => answersWith(c));
});

describe("alerts: bad input is a 400 naming the problem", () => {
  const cases: Case[] = [
    ["an alert id of another shape", "GET", "/alerts/not-an-id", undefined, "path.alertId"],
    ["a resolve without a reason", "POST", "/alerts/20250101T000000000Z-abcdef/resolve", {}, "body.reason"],
    ["a malformed local actor", "GET", "/alerts", undefined, "header.x-mlwatch-actor", { "x-mlwatch-actor": "bob admin" }],
    ["a limit of 0", "GET", "/alerts?limit=0", undefined, "query.limit"],
  ];
  it.each(cases)("answers %s with a 400", async (...c) => answersWith(c));
});

describe("the trap", () => {
  it("sees, and stops at once, a request that does reach AWS (a page token is read from the table)", async () => {
    // Act
    const started = Date.now();
    const res = await app.call("GET", "/audit?nextToken=garbage");
    const calls = app.awsCalls().slice(seen);
    seen = app.awsCalls().length;
    // Assess: the call is named, and the refusal came back without waiting on retries or timeouts
    expect(calls).toEqual([expect.stringContaining("DynamoDB_20120810.GetItem")]);
    expect(res.status).toBe(500);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
