import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { putObject, register } from "./helpers.js";

describe("registry: bad input is a 4xx naming the problem, never a 5xx, never a write", () => {
  let stack: TestStack;
  let uri: string;
  beforeAll(async () => {
    stack = await createTestStack("reg-bad");
    uri = (await putObject(stack, "external/m.bin", "x")).uri;
    await register(stack, "good", { version: "1.0.0" });
  });

  const cases: Array<[string, string, string, unknown, number, string]> = [
    ["malformed JSON", "POST", "/models/good/versions", '{"version": "1.1.0",', 400, "request body is not valid JSON"],
    ["a wrong type", "POST", "/models/good/versions", { artifactUri: "URI", metrics: { auc: "high" } }, 400, "body.metrics.auc"],
    ["a non-finite number", "POST", "/models/good/versions", '{"artifactUri":"s3://b-b/k","metrics":{"auc":1e999}}', 400, "body.metrics.auc: must be a finite number"],
    ["an invalid semver", "POST", "/models/good/versions", { version: "1.0", artifactUri: "s3://bucket/k" }, 400, "body.version: must be a semantic version"],
    ["a semver with a leading zero", "GET", "/models/good/versions/01.0.0", undefined, 400, "version: must be a semantic version"],
    ["an invalid model name", "POST", "/models/-bad/versions", { artifactUri: "s3://bucket/k" }, 400, "path.model: must be 1-128 characters"],
    ["a too long model name", "GET", `/models/${"m".repeat(129)}`, undefined, 400, "path.model"],
    ["an unknown field", "POST", "/models/good/versions", { artifactURI: "s3://bucket/k" }, 400, 'Unrecognized key: "artifactURI"'],
    ["both artifactUri and requestUpload", "POST", "/models/good/versions", { artifactUri: "s3://bucket/k", requestUpload: true }, 400, "body.requestUpload: give artifactUri or requestUpload"],
    ["neither artifactUri nor requestUpload", "POST", "/models/good/versions", { version: "1.2.0" }, 400, "body.artifactUri: give either artifactUri"],
    ["a non-s3 artifact URI", "POST", "/models/good/versions", { artifactUri: "https://example.com/m" }, 400, "body.artifactUri: must be an s3://bucket/key URI"],
    ["an unknown stage", "POST", "/models/good/versions/1.0.0/promote", { stage: "prod", reason: "x" }, 400, "body.stage"],
    ["a missing reason", "POST", "/models/good/versions/1.0.0/promote", { stage: "staging" }, 400, "body.reason"],
    ["an unknown model", "POST", "/models/unknown/versions/1.0.0/promote", { stage: "staging", reason: "x" }, 404, "model unknown does not exist"],
    ["an unknown version", "POST", "/models/good/versions/9.9.9/promote", { stage: "staging", reason: "x" }, 404, "version 9.9.9 of model good does not exist"],
    ["an illegal stage transition", "POST", "/models/good/versions/1.0.0/promote", { stage: "production", reason: "x" }, 409, "cannot promote version 1.0.0 from development to production"],
    ["a bad limit", "GET", "/models/good/versions?limit=0", undefined, 400, "query.limit"],
    ["a bad stage filter", "GET", "/models/good/versions?stage=live", undefined, 400, "query.stage"],
    ["a garbage page token", "GET", "/models/good/versions?nextToken=abc", undefined, 400, "query.nextToken"],
    ["a bad dataset reference", "POST", "/models/good/versions", { artifactUri: "s3://bucket/k", datasetVersion: "train" }, 400, "body.datasetVersion"],
    ["a dataset URI that is not s3", "POST", "/datasets/train/versions", { dataUri: "/tmp/x.csv" }, 400, "body.dataUri"],
    ["a bad dataset version id", "GET", "/datasets/train/versions/xyz/lineage", undefined, 400, "path.version"],
  ];

  it.each(cases)("answers %s with the right 4xx", async (_label, method, path, body, status, message) => {
    // Act
    const res = await stack.call(method, path, body);
    // Assess
    expect(res.status).toBe(status);
    expect(res.body.error.message).toContain(message);
  });

  it("refuses an oversized body with 413", async () => {
    // Act
    const res = await stack.call("POST", "/models/good/versions", { artifactUri: uri, description: "x".repeat(7 * 1024 * 1024) });
    // Assess
    expect(res.status).toBe(413);
  });

  it("refuses a primary metric that differs from the model's", async () => {
    // Act
    const res = await stack.call("POST", "/models/good/versions", { artifactUri: uri, primaryMetric: "rmse" });
    // Assess
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe("model good already uses primary metric auc; omit primaryMetric or send the same one");
  });

  it("wrote nothing for any of the refused requests", async () => {
    // Act
    const versions = await stack.call("GET", "/models/good/versions");
    const history = await stack.call("GET", "/models/good/history");
    const models = await stack.call("GET", "/models");
    // Assess
    expect(versions.body.items.map((v: any) => [v.version, v.stage])).toEqual([["1.0.0", "development"]]);
    expect(history.body.items.map((h: any) => h.event)).toEqual(["register"]);
    expect(models.body.items.map((m: any) => m.model)).toEqual(["good"]);
  });
});
