import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { s3Client } from "../../../lambdas/shared/aws.js";
import { createTestStack, type TestStack } from "../stack.js";
import { metricValues, uniqueName } from "../observe.js";
import { putObject } from "./fixtures.js";
import { waitForBaseline } from "./helpers.js";

const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`../../fixtures/model-monitor/${name}`, import.meta.url), "utf-8"));

/** Rows like the fixture's baseline (age ~ N(40, 10) rounded, income lognormal, plan basic/plus/pro), seeded. */
function rows(n: number, seed: number, shift = 0): Array<Record<string, unknown>> {
  let s = seed >>> 0;
  const u = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const z = (): number => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  return Array.from({ length: n }, () => {
    const p = u();
    return { age: Math.round(40 + shift * 10 + 10 * z()), income: Math.exp(10 + 0.5 * z()), plan: p < 0.6 ? "basic" : p < 0.9 ? "plus" : "pro" };
  });
}

describe("SageMaker Model Monitor baselines", () => {
  let stack: TestStack;
  const statistics = fixture("statistics.json");
  const constraints = fixture("constraints.json");
  beforeAll(async () => {
    stack = await createTestStack("drift-mm");
  });

  it("imports inline documents: a ready baseline with source model-monitor, built from the KLL sketch", async () => {
    const res = await stack.call("POST", "/models/mm-inline/baselines", { modelMonitor: { statistics, constraints } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: "ready", active: true, rows: 20000, source: { kind: "model_monitor" }, features: { age: "numerical", income: "numerical", plan: "categorical" } });
    const one = await stack.call("GET", `/models/mm-inline/baselines/${res.body.baselineId}?profile=true`);
    expect(one.body.profile.profiles.age.sketch.rankError).toBeGreaterThan(0);
    expect(one.body.profile.modelMonitor.constraints.origin).toBe("imported");
  });

  it("imports documents from S3 URIs through the worker, and records a bad document's JSON path", async () => {
    const statisticsUri = await putObject(stack.names.bucket, "external/mm/statistics.json", JSON.stringify(statistics));
    const constraintsUri = await putObject(stack.names.bucket, "external/mm/constraints.json", JSON.stringify(constraints));
    const res = await stack.call("POST", "/models/mm-s3/baselines", { modelMonitor: { statisticsUri, constraintsUri } });
    expect(res.status).toBe(202);
    expect(res.body.source).toEqual({ kind: "model_monitor", statisticsUri, constraintsUri });
    const done = await waitForBaseline(stack, "mm-s3", res.body.baselineId);
    expect(done.status, done.error).toBe("ready");
    expect(done.features).toEqual({ age: "numerical", income: "numerical", plan: "categorical" });

    const broken = structuredClone(statistics);
    broken.features[1].numerical_statistics.common.num_missing = -3;
    const badUri = await putObject(stack.names.bucket, "external/mm/bad-statistics.json", JSON.stringify(broken));
    const bad = await stack.call("POST", "/models/mm-s3/baselines", { modelMonitor: { statisticsUri: badUri, constraintsUri } });
    const failed = await waitForBaseline(stack, "mm-s3", bad.body.baselineId);
    expect(failed.status).toBe("failed");
    expect(failed.error).toBe("modelMonitor.statistics.features[1].numerical_statistics.common.num_missing: must be ≥ 0");
  });

  it("answers 400 naming the JSON path of a bad inline document, and stores nothing", async () => {
    const broken = structuredClone(constraints);
    broken.monitoring_config.distribution_constraints.comparison_threshold = "high";
    const res = await stack.call("POST", "/models/mm-bad/baselines", { modelMonitor: { statistics, constraints: broken } });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: "VALIDATION_ERROR", message: "modelMonitor.constraints.monitoring_config.distribution_constraints.comparison_threshold: must be a finite number" });
    expect((await stack.call("GET", "/models/mm-bad/baselines")).body.items).toEqual([]);
    const half = await stack.call("POST", "/models/mm-bad/baselines", { modelMonitor: { statistics } });
    expect(half.status).toBe(400);
  });

  it("evaluates the imported constraints on every check: constraint_violations.json beside the report, a metric per check type", async () => {
    const model = uniqueName("mm-chk");
    await stack.call("POST", `/models/${model}/baselines`, { modelMonitor: { statistics, constraints } });
    const calm = await stack.call("POST", `/models/${model}/drift-checks`, { records: rows(3000, 5) });
    expect(calm.status).toBe(201);
    expect(calm.body.violationCounts).toEqual({ data_type_check: 0, completeness_check: 0, baseline_drift_check: 0, missing_column_check: 0, extra_column_check: 0, categorical_values_check: 0 });

    const drifted = rows(3000, 6, 1).map((r, i) => ({ ...r, plan: i % 4 === 0 ? "enterprise" : r.plan, region: "eu" }));
    const res = await stack.call("POST", `/models/${model}/drift-checks`, { records: drifted });
    expect(res.body.driftDetected).toBe(true);
    expect(res.body.violationCounts).toMatchObject({ baseline_drift_check: 2, categorical_values_check: 1, extra_column_check: 1 });
    const served = await stack.call("GET", `/models/${model}/drift-checks/${res.body.checkId}/constraint_violations.json`);
    expect(served.status).toBe(200);
    const kinds = served.body.violations.map((v: any) => `${v.feature_name}:${v.constraint_check_type}`).sort();
    expect(kinds).toEqual(["age:baseline_drift_check", "plan:baseline_drift_check", "plan:categorical_values_check", "region:extra_column_check"]);
    const stored = await s3Client().send(new GetObjectCommand({ Bucket: stack.names.bucket, Key: `reports/drift/${model}/${res.body.checkId}.constraint_violations.json` }));
    expect(JSON.parse(await stored.Body!.transformToString())).toEqual(served.body);
    const values = await metricValues(stack.names.metricsNamespace, "ConstraintViolations", { ModelName: model, ConstraintCheckType: "baseline_drift_check" }, { stat: "Maximum" });
    expect(values).toEqual(expect.arrayContaining([2]));
  });

  it("exports any baseline as statistics.json + constraints.json that import again to the same decisions", async () => {
    const model = uniqueName("mm-rt");
    const native = await stack.call("POST", `/models/${model}/baselines`, { records: rows(4000, 8) });
    const stats = await stack.call("GET", `/models/${model}/baselines/${native.body.baselineId}/statistics.json`);
    const cons = await stack.call("GET", `/models/${model}/baselines/${native.body.baselineId}/constraints.json`);
    expect(stats.status).toBe(200);
    expect(stats.body.features.map((f: any) => [f.name, f.inferred_type])).toEqual([["age", "Integral"], ["income", "Fractional"], ["plan", "String"]]);
    expect(stats.body.features[0].numerical_statistics.distribution.kll.buckets).toHaveLength(10);
    expect(cons.body.features[2].string_constraints.domains).toEqual(["basic", "plus", "pro"]);
    const again = await stack.call("POST", `/models/${model}/baselines`, { modelMonitor: { statistics: stats.body, constraints: cons.body } });
    expect(again.status).toBe(201);
    for (const [seed, shift] of [[9, 0], [10, 0.4]]) {
      const records = rows(1500, seed, shift);
      const a = await stack.call("POST", `/models/${model}/drift-checks`, { records, baselineId: native.body.baselineId });
      const b = await stack.call("POST", `/models/${model}/drift-checks`, { records, baselineId: again.body.baselineId });
      expect(b.body.driftDetected).toBe(a.body.driftDetected);
      expect(b.body.driftedFeatures).toEqual(a.body.driftedFeatures);
      expect(b.body.violationCounts).toEqual(a.body.violationCounts);
    }
  });
});
