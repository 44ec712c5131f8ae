/**
 * The size bound of Model Monitor joins (join-job.ts): which joins the API answers itself and which it hands
 * to the worker, from the stack's setting (MLWATCH_GROUND_TRUTH_INLINE_BYTES) or the default.
 */
import { afterEach, describe, expect, it } from "vitest";
import { EnvName } from "../../../lambdas/shared/env.js";
import { defaultGroundTruthInlineBytes } from "../../../lambdas/performance/contract/join-jobs.js";
import { exceedsInlineBound, groundTruthInlineBytes, joinInputs } from "../../../lambdas/performance/join-job.js";
import type { S3ObjectRef } from "../../../lambdas/shared/readers/s3-source.js";

const ref = (key: string, size: number): S3ObjectRef => ({ bucket: "b", key, size, lastModified: new Date(0) }) as S3ObjectRef;

describe("the ground-truth join's size bound", () => {
  afterEach(() => {
    delete process.env[EnvName.groundTruthInlineBytes];
  });

  it("is 64 MiB by default and the stack's setting otherwise; a setting that is no whole number of bytes is refused", () => {
    expect(groundTruthInlineBytes()).toBe(defaultGroundTruthInlineBytes);
    expect(defaultGroundTruthInlineBytes).toBe(67_108_864);
    process.env[EnvName.groundTruthInlineBytes] = "0";
    expect(groundTruthInlineBytes()).toBe(0);
    for (const bad of ["-1", "1.5", "lots"]) {
      process.env[EnvName.groundTruthInlineBytes] = bad;
      expect(() => groundTruthInlineBytes(), bad).toThrow(`${EnvName.groundTruthInlineBytes} must be a whole number of bytes`);
    }
  });

  it("counts both sides' objects and bytes, and sends a join to the worker only above the bound", () => {
    const inputs = joinInputs([ref("gt/a", 60), ref("gt/b", 40)], [ref("cap/a", 100)]);
    expect(inputs).toEqual({ objects: 3, bytes: 200 });
    process.env[EnvName.groundTruthInlineBytes] = "200";
    expect(exceedsInlineBound(inputs)).toBe(false);
    process.env[EnvName.groundTruthInlineBytes] = "199";
    expect(exceedsInlineBound(inputs)).toBe(true);
  });
});
