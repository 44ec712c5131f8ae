import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { putObject, register } from "./helpers.js";

// Input refused before any store is read (400s of paths, queries and bodies): test/unit/local/validation.test.ts.
describe("registry: bad input is a 4xx naming the problem, never a 5xx, never a write", () => {
  let stack: TestStack;
  let uri: string;
  beforeAll(async () => {
    stack = await createTestStack("reg-bad");
    uri = (await putObject(stack, "external/m.bin", "x")).uri;
    await register(stack, "good", { version: "1.0.0" });
  });

  const cases: Array<[string, string, string, unknown, number, string]> = [
    ["an unknown field", "POST", "/models/good/versions", { artifactURI: "s3://bucket/k" }, 400, 'Unrecognized key: "artifactURI"'],
    ["an unknown model", "POST", "/models/unknown/versions/1.0.0/promote", { stage: "staging", reason: "x" }, 404, "model unknown does not exist"],
    ["an unknown version", "POST", "/models/good/versions/9.9.9/promote", { stage: "staging", reason: "x" }, 404, "version 9.9.9 of model good does not exist"],
    ["an illegal stage transition", "POST", "/models/good/versions/1.0.0/promote", { stage: "production", reason: "x" }, 409, "cannot promote version 1.0.0 from development to production"],
    ["a garbage page token", "GET", "/models/good/versions?nextToken=abc", undefined, 400, "query.nextToken"],
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
