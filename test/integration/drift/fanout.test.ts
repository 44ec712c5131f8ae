import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { createTestStack, type TestStack } from "../stack.js";
import { metricNames } from "../observe.js";
import { s3Client } from "../../../lambdas/shared/aws.js";
import { EnvName } from "../../../lambdas/shared/env.js";
import { makeRows, putObject, toCsv } from "./fixtures.js";
import { waitForCheck } from "./helpers.js";

const settings = { [EnvName.driftFanOutObjects]: "5", [EnvName.driftShardObjects]: "3", [EnvName.driftMaxConcurrency]: "2" };

describe("fan-out drift checks (local mode: the same map and reduce in-process)", () => {
  let stack: TestStack;
  const model = "fanned";
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    stack = await createTestStack("drift-fan");
    for (const [k, v] of Object.entries(settings)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    const res = await stack.call("POST", `/models/${model}/baselines`, { records: makeRows(3000, 11) });
    expect(res.status).toBe(201);
    for (const [prefix, shift, seed] of [["same", 0, 40], ["shifted", 1, 60]] as const) {
      const rows = makeRows(6000, seed, shift);
      for (let i = 0; i < 10; i++) await putObject(stack.names.bucket, `datasets/${model}/${prefix}/part-${String(i).padStart(2, "0")}.csv`, toCsv(rows.slice(i * 600, (i + 1) * 600)));
    }
  });

  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  async function check(prefix: string): Promise<any> {
    const res = await stack.call("POST", `/models/${model}/drift-checks`, { dataUri: `s3://${stack.names.bucket}/datasets/${model}/${prefix}/` });
    expect(res.status).toBe(202);
    return waitForCheck(stack, model, res.body.checkId);
  }

  it.each([
    ["same", false],
    ["shifted", true],
  ])("fans a 10-object check (%s) out over 4 shards and decides like the single worker", async (prefix, drifted) => {
    const fanned = await check(prefix);
    expect(fanned).toMatchObject({ status: "completed", source: "s3", rows: 6000, objects: 10, driftDetected: drifted });
    expect(fanned.warnings).toContain("fanned out over 4 shard(s)");
    const shards = await s3Client().send(new ListObjectsV2Command({ Bucket: stack.names.bucket, Prefix: `reports/drift-shards/${model}/${fanned.checkId}/shards/` }));
    expect(shards.KeyCount).toBe(4);

    process.env[EnvName.driftFanOutObjects] = "1000";
    const single = await check(prefix).finally(() => (process.env[EnvName.driftFanOutObjects] = settings[EnvName.driftFanOutObjects]));
    expect(single.warnings ?? []).not.toContain("fanned out over 4 shard(s)");
    expect(single).toMatchObject({ status: "completed", rows: 6000, driftDetected: drifted });
    const a = fanned.report;
    const b = single.report;
    for (const name of ["age", "income", "plan"]) {
      expect({ name, rules: a.features[name].rulesFired, severity: a.features[name].severity }).toEqual({ name, rules: b.features[name].rulesFired, severity: b.features[name].severity });
      expect(a.features[name].tests.psi).toEqual(b.features[name].tests.psi);
    }
    // 6,000 values fit one sketch: the merged sketches are exact, so KS is the single worker's exactly
    expect(a.features.income.tests.ks.pValue).toBe(b.features.income.tests.ks.pValue);
    if (drifted) expect(await metricNames(stack.names.metricsNamespace)).toContain("DriftDetected");
  });

  it("marks the check failed with a readable error when a shard fails", async () => {
    await putObject(stack.names.bucket, `datasets/${model}/broken/bad.parquet`, "not a parquet file at all");
    for (let i = 0; i < 5; i++) await putObject(stack.names.bucket, `datasets/${model}/broken/part-${i}.csv`, toCsv(makeRows(100, 70 + i)));
    const failed = await check("broken");
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^fan-out failed \(/);
    expect(failed.error).toMatch(/parquet/i);
    expect(failed.error).not.toMatch(/\n\s+at /);
  });
});
