import { describe, expect, it } from "vitest";
import { checkCost, defaultCheckPrices, fanOutTransitions, lambdaGbSeconds, s3RequestTier } from "../../../../lambdas/core/cost/check-cost.js";

describe("lambdaGbSeconds", () => {
  it("is seconds × GB, with MB / 1024 as Lambda bills", () => {
    expect(lambdaGbSeconds(2000, 1024)).toBe(2);
    expect(lambdaGbSeconds(1500, 3008)).toBeCloseTo(1.5 * (3008 / 1024), 12);
    expect(lambdaGbSeconds(0, 3008)).toBe(0);
  });

  it("refuses a negative or non-finite duration or memory", () => {
    expect(() => lambdaGbSeconds(-1, 1024)).toThrow(/at least 0 ms/);
    expect(() => lambdaGbSeconds(Number.NaN, 1024)).toThrow(RangeError);
    expect(() => lambdaGbSeconds(10, -5)).toThrow(/at least 0 MB/);
  });
});

describe("fanOutTransitions", () => {
  it("counts the map, one state per shard's child execution and the reduce", () => {
    expect(fanOutTransitions(0)).toBe(2);
    expect(fanOutTransitions(1)).toBe(3);
    expect(fanOutTransitions(125)).toBe(127);
  });

  it("refuses a fractional or negative shard count", () => {
    expect(() => fanOutTransitions(2.5)).toThrow(/whole number of shards/);
    expect(() => fanOutTransitions(-1)).toThrow(RangeError);
  });
});

describe("s3RequestTier", () => {
  it("bills PUT, COPY, POST and LIST at the write tier, GET and HEAD at the read tier, DELETE not at all", () => {
    expect(s3RequestTier("PutObjectCommand")).toBe("write");
    expect(s3RequestTier("ListObjectsV2Command")).toBe("write");
    expect(s3RequestTier("CopyObjectCommand")).toBe("write");
    expect(s3RequestTier("CreateMultipartUploadCommand")).toBe("write");
    expect(s3RequestTier("UploadPartCommand")).toBe("write");
    expect(s3RequestTier("GetObjectCommand")).toBe("read");
    expect(s3RequestTier("HeadObjectCommand")).toBe("read");
    expect(s3RequestTier("DeleteObjectCommand")).toBe("free");
    expect(s3RequestTier("DeleteObjectsCommand")).toBe("free");
  });
});

describe("checkCost", () => {
  it("prices each item at its unit price and sums them", () => {
    // Prepare: 10 GB-s, 5 transitions, 3 writes, 100 reads at the us-east-1 defaults
    const usage = { lambdaGbSeconds: 10, stepFunctionsTransitions: 5, s3WriteRequests: 3, s3ReadRequests: 100 };
    // Act
    const cost = checkCost(usage);
    // Assess: 10 × 0.0000133334 + 5 × 0.000025 + 3 × 0.000005 + 100 × 0.0000004
    expect(cost.estimatedUsd).toBeCloseTo(0.000133334 + 0.000125 + 0.000015 + 0.00004, 8);
    expect(cost).toMatchObject({ lambdaGbSeconds: 10, stepFunctionsTransitions: 5, s3Requests: 103, s3RequestsByTier: { write: 3, read: 100 }, prices: defaultCheckPrices });
  });

  it("follows the prices it is given", () => {
    const usage = { lambdaGbSeconds: 4, stepFunctionsTransitions: 0, s3WriteRequests: 0, s3ReadRequests: 0 };
    const prices = { ...defaultCheckPrices, lambdaGbSecondUsd: 0.0000166667 };
    expect(checkCost(usage, prices).estimatedUsd).toBeCloseTo(4 * 0.0000166667, 8);
    expect(checkCost(usage, { ...prices, lambdaGbSecondUsd: 0 }).estimatedUsd).toBe(0);
  });

  it("refuses a negative usage", () => {
    expect(() => checkCost({ lambdaGbSeconds: 1, stepFunctionsTransitions: -1, s3WriteRequests: 0, s3ReadRequests: 0 })).toThrow(/stepFunctionsTransitions/);
  });
});
