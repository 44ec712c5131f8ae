import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";

describe("GET /health against the emulator", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("health");
  });

  it("reports every dependency reachable with its resource name", async () => {
    // Act
    const res = await stack.call("GET", "/health");
    // Assess
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("ok");
    expect(Object.keys(res.body.dependencies).sort()).toEqual(["cloudwatch", "dynamodb", "logs", "s3", "sns"]);
    expect(res.body.dependencies.s3.resource).toBe(stack.names.bucket);
    expect(res.body.dependencies.dynamodb.resource).toBe(stack.names.table);
    for (const dep of Object.values(res.body.dependencies) as Array<{ ok: boolean }>) expect(dep.ok).toBe(true);
  });

  it("reports degraded (503) naming the dependency that is missing", async () => {
    // Prepare: point the bucket name at one that does not exist
    const saved = process.env.MLWATCH_BUCKET;
    process.env.MLWATCH_BUCKET = `${stack.names.bucket}-absent`;
    try {
      // Act
      const res = await stack.call("GET", "/health");
      // Assess
      expect(res.status).toBe(503);
      expect(res.body.status).toBe("degraded");
      expect(res.body.dependencies.s3.ok).toBe(false);
      expect(res.body.dependencies.dynamodb.ok).toBe(true);
    } finally {
      process.env.MLWATCH_BUCKET = saved;
    }
  });
});
