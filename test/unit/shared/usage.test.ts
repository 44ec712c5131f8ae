import { afterEach, describe, expect, it } from "vitest";
import { defaultCheckPrices } from "../../../lambdas/core/cost/check-cost.js";
import { clientDefaults } from "../../../lambdas/shared/aws/common.js";
import { EnvName } from "../../../lambdas/shared/env.js";
import { deployedMemoryMb } from "../../../lambdas/shared/function-memory.js";
import { checkPrices, countS3Request, currentUsage, functionMemoryMb, localCheckMemoryMb, measureUsage } from "../../../lambdas/shared/usage.js";

describe("measureUsage", () => {
  it("counts S3 requests by tier in the running context only", async () => {
    // Prepare / Act
    countS3Request("GetObjectCommand"); // outside any context: counted nowhere
    const usage = await measureUsage(async () => {
      countS3Request("GetObjectCommand");
      await new Promise((r) => setTimeout(r, 1));
      countS3Request("PutObjectCommand");
      countS3Request("DeleteObjectCommand");
      return currentUsage();
    });
    // Assess
    expect(usage).toMatchObject({ s3ReadRequests: 1, s3WriteRequests: 1 });
    expect(currentUsage()).toBeUndefined();
  });

  it("keeps concurrent and nested contexts apart (an in-process shard counts its own requests)", async () => {
    const [a, b] = await Promise.all([
      measureUsage(async () => {
        countS3Request("GetObjectCommand");
        const inner = await measureUsage(async () => {
          countS3Request("GetObjectCommand");
          countS3Request("GetObjectCommand");
          return currentUsage();
        });
        return { outer: currentUsage(), inner };
      }),
      measureUsage(async () => {
        countS3Request("ListObjectsV2Command");
        return currentUsage();
      }),
    ]);
    expect(a.outer?.s3ReadRequests).toBe(1);
    expect(a.inner?.s3ReadRequests).toBe(2);
    expect(b).toMatchObject({ s3ReadRequests: 0, s3WriteRequests: 1 });
  });
});

describe("the S3 client counts every request it sends", () => {
  it("counts a request in the current context through its middleware", async () => {
    // Prepare: a client pointed at a closed port; it makes its three attempts (clientDefaults), each one sent
    const saved = { ...process.env };
    process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:9";
    process.env.AWS_REGION = "us-east-1";
    process.env.AWS_ACCESS_KEY_ID = "test";
    process.env.AWS_SECRET_ACCESS_KEY = "test";
    const s3 = await import("../../../lambdas/shared/aws/s3.js");
    s3.resetS3();
    try {
      // Act
      const usage = await measureUsage(async () => {
        await s3.s3Client().send(new s3.GetObjectCommand({ Bucket: "b", Key: "k" })).catch(() => undefined);
        return currentUsage();
      });
      // Assess: every attempt is a billed request
      expect(usage?.s3ReadRequests).toBe(clientDefaults().maxAttempts);
      expect(usage?.s3WriteRequests).toBe(0);
    } finally {
      s3.resetS3();
      process.env = saved;
    }
  });
});

describe("functionMemoryMb and checkPrices", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("reads Lambda's memory, else the worker's default", () => {
    delete process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
    expect(functionMemoryMb()).toBe(localCheckMemoryMb);
    process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE = "1536";
    expect(functionMemoryMb()).toBe(1536);
  });

  it("prices local work at the memory its deployed function would have, not the local process's", async () => {
    // Prepare: local mode (no Lambda variable)
    delete process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
    // Act: an inline check (drift API) whose fan-out would run shards, an S3 check (worker), a scheduled pass (monitor)
    const inline = await measureUsage(async () => functionMemoryMb(), "driftApi");
    const nested = await measureUsage(async () => [functionMemoryMb(), await measureUsage(async () => functionMemoryMb(), "driftShard"), functionMemoryMb()], "driftMonitor");
    const worker = await measureUsage(async () => functionMemoryMb());
    // Assess
    expect(inline).toBe(1536);
    expect(inline).toBe(deployedMemoryMb.driftApi);
    expect(nested).toEqual([deployedMemoryMb.driftMonitor, deployedMemoryMb.driftShard, deployedMemoryMb.driftMonitor]);
    expect(worker).toBe(3008);
    expect(localCheckMemoryMb).toBe(deployedMemoryMb.driftWorker);
  });

  it("prices deployed work at the function's own memory whatever the context says", async () => {
    process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE = "2048";
    expect(await measureUsage(async () => functionMemoryMb(), "driftApi")).toBe(2048);
  });

  it("reads the stack's prices, falling back to the defaults per price", () => {
    delete process.env[EnvName.checkPrices];
    expect(checkPrices()).toEqual(defaultCheckPrices);
    process.env[EnvName.checkPrices] = JSON.stringify({ lambdaGbSecondUsd: 0.00002, s3ReadRequestUsd: -1 });
    expect(checkPrices()).toEqual({ ...defaultCheckPrices, lambdaGbSecondUsd: 0.00002 });
    process.env[EnvName.checkPrices] = "not json";
    expect(checkPrices()).toEqual(defaultCheckPrices);
  });
});
