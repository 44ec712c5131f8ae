/**
 * Automatic version allocation from the per-model counter: constant DynamoDB calls whatever the
 * contention, contiguous versions, explicit versions above the counter move it, numbers never reused
 * after a delete, and models stored before the counter existed continue from their highest version.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, dynamoClient } from "../../../lambdas/shared/aws.js";
import { keys } from "../../../lambdas/shared/table.js";
import { createTestStack, type TestStack } from "../stack.js";
import { putObject } from "./helpers.js";

describe("version allocation", () => {
  let stack: TestStack;
  let artifact: string;
  let calls = 0;
  beforeAll(async () => {
    stack = await createTestStack("alloc");
    artifact = (await putObject(stack, "external/alloc.bin", "weights")).uri;
    dynamoClient().middlewareStack.add((next) => async (args) => {
      calls++;
      return next(args);
    }, { step: "initialize", name: "allocationTestCountCalls" });
  });

  it("30 concurrent automatic registrations each answer 201 with the next versions, five DynamoDB calls apiece (four for the version, one read of the retention policy)", async () => {
    // Prepare
    expect((await stack.call("POST", "/models/many/versions", { version: "1.0.0", artifactUri: artifact, primaryMetric: "auc", direction: "higher" })).status).toBe(201);
    const before = calls;
    // Act
    const results = await Promise.all(Array.from({ length: 30 }, () => stack.call("POST", "/models/many/versions", { artifactUri: artifact })));
    // Assess
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(201));
    expect(results.map((r) => r.body.version).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `1.${i + 1}.0`).sort());
    // read the model, take a number, write the version (transaction), mark it counted (highestCounted, so a
    // failed registration never shows as highestVersion), read the promotion policy for retention
    expect((calls - before) / 30).toBe(5);
    expect((await stack.call("GET", "/models/many")).body).toMatchObject({ highestVersion: "1.30.0", versionCount: 31 });
  });

  it("an explicit version above the counter moves it; one below leaves it; a deleted number is not given again", async () => {
    const reg = (body: Record<string, unknown>) => stack.call("POST", "/models/mixed/versions", { artifactUri: artifact, ...body });
    expect((await reg({ primaryMetric: "auc", direction: "higher" })).body.version).toBe("0.1.0");
    expect((await reg({})).body.version).toBe("0.2.0");
    expect((await reg({ version: "2.3.4" })).status).toBe(201);
    expect((await reg({})).body.version).toBe("2.4.0");
    expect((await reg({ version: "1.5.0" })).status).toBe(201);
    expect((await reg({})).body.version).toBe("2.5.0");
    expect((await stack.call("DELETE", "/models/mixed/versions/2.5.0")).status).toBe(200);
    expect((await reg({})).body.version).toBe("2.6.0");
    expect((await stack.call("GET", "/models/mixed")).body.highestVersion).toBe("2.6.0");
    expect((await reg({ version: "2.6.0" })).status).toBe(409);
  });

  it("a model stored before the counter existed continues from its highest version", async () => {
    expect((await stack.call("POST", "/models/legacy/versions", { version: "3.7.1", artifactUri: artifact, primaryMetric: "auc", direction: "higher" })).status).toBe(201);
    await documentClient().send(new UpdateCommand({ TableName: stack.names.table, Key: keys.model("legacy"), UpdateExpression: "REMOVE allocated" }));
    expect((await stack.call("POST", "/models/legacy/versions", { artifactUri: artifact })).body.version).toBe("3.8.0");
  });
});
