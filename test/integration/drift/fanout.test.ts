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

  it("costs each check from its own run: the shards' and the reduce's requests and time, and the map's transitions", async () => {
    // Act
    const fanned = await check("same");
    process.env[EnvName.driftFanOutObjects] = "1000";
    const single = await check("same").finally(() => (process.env[EnvName.driftFanOutObjects] = settings[EnvName.driftFanOutObjects]));
    // Assess: the single worker lists once and writes its three reports; it reads each of the 10 objects and the baseline
    expect(single.cost).toMatchObject({ stepFunctionsTransitions: 0, s3RequestsByTier: { write: 4 } });
    expect(single.cost.s3RequestsByTier.read).toBeGreaterThanOrEqual(11);
    // 4 shards each write a summary; the reduce lists them once and writes three reports; 4 + 2 transitions
    expect(fanned.cost).toMatchObject({ stepFunctionsTransitions: 6, s3RequestsByTier: { write: 8 } });
    // the shards read the same 10 objects (and the baseline each), the reduce reads the 4 summaries and the baseline
    expect(fanned.cost.s3RequestsByTier.read).toBeGreaterThanOrEqual(single.cost.s3RequestsByTier.read + 4);
    for (const c of [single.cost, fanned.cost]) {
      expect(c.lambdaGbSeconds).toBeGreaterThan(0);
      expect(c.s3Requests).toBe(c.s3RequestsByTier.write + c.s3RequestsByTier.read);
      const p = c.prices;
      const expected = c.lambdaGbSeconds * p.lambdaGbSecondUsd + c.stepFunctionsTransitions * p.stepFunctionsTransitionUsd + c.s3RequestsByTier.write * p.s3WriteRequestUsd + c.s3RequestsByTier.read * p.s3ReadRequestUsd;
      expect(c.estimatedUsd).toBeCloseTo(expected, 6);
    }
    // the same cost in the stored report and the HTML page, and the metric
    const html = await stack.call("GET", `/models/${model}/drift-checks/${fanned.checkId}/report.html`);
    expect(html.status).toBe(200);
    expect(String(html.body)).toContain("Cost of this check");
    expect(await metricNames(stack.names.metricsNamespace)).toContain("DriftCheckCostUSD");
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
