import { beforeAll, describe, expect, it } from "vitest";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { createTestStack, type TestStack } from "../stack.js";
import { listenToTopic, metricNames, metricValues, uniqueName, type TopicListener } from "../observe.js";
import { s3Client } from "../../../lambdas/shared/aws.js";
import { makeRows, putObject, toCsv } from "./fixtures.js";
import { waitForCheck } from "./helpers.js";

describe("drift checks", () => {
  let stack: TestStack;
  let topic: TopicListener;
  let baselineId: string;
  const model = uniqueName("churn");
  beforeAll(async () => {
    stack = await createTestStack("drift-chk");
    topic = await listenToTopic(stack.names.topicArn);
    const res = await stack.call("POST", `/models/${model}/baselines`, { records: makeRows(3000, 11) });
    expect(res.status).toBe(201);
    baselineId = res.body.baselineId;
  });

  it("checks inline records synchronously: no drift on data from the same distribution, no alert", async () => {
    const res = await stack.call("POST", `/models/${model}/drift-checks`, { records: makeRows(2000, 12) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: "completed", source: "inline", baselineId, rows: 2000, driftDetected: false, severity: "none" });
    expect(res.body.report.features.income.tests.ks.pValue).toBeGreaterThan(0.01);
    expect(res.body.report.features.plan.tests.chiSquare).toBeDefined();
    expect(res.body.alert).toBeUndefined();
    // 4 per check (with DriftCheckCostUSD), FeaturePSI per feature, ConstraintViolations per Model Monitor check type (6).
    expect(res.body.metricsPublished).toBe(4 + 3 + 6);
    // An inline check reads the baseline's profile from S3 and writes its three reports; no state machine.
    expect(res.body.cost).toMatchObject({ stepFunctionsTransitions: 0, s3RequestsByTier: { write: 3 } });
    expect(res.body.cost.s3RequestsByTier.read).toBeGreaterThanOrEqual(1);
    expect(res.body.cost.lambdaGbSeconds).toBeGreaterThan(0);
    const stored = await s3Client().send(new GetObjectCommand({ Bucket: stack.names.bucket, Key: `reports/drift/${model}/${res.body.checkId}.json` }));
    const report = JSON.parse(await stored.Body!.transformToString());
    expect(report).toMatchObject({ checkId: res.body.checkId, model, driftDetected: false });
    expect(res.body.reportUri).toBe(`s3://${stack.names.bucket}/reports/drift/${model}/${res.body.checkId}.json`);
  });

  it("detects drift, publishes the metrics and one SNS alert a person can act on; the same drift is suppressed within the window", async () => {
    const res = await stack.call("POST", `/models/${model}/drift-checks`, { records: makeRows(2000, 13, 1) });
    expect(res.status).toBe(201);
    expect(res.body.driftDetected).toBe(true);
    expect(res.body.severity).toBe("high");
    expect(res.body.driftedFeatures.map((f: any) => f.name).sort()).toEqual(["income", "plan"]);
    expect(res.body.alert).toMatchObject({ sent: true });

    const [message] = await topic.receive(1, 10_000);
    expect(message.subject).toBe(`[MLWatch] Data drift: ${model} (2 features)`);
    expect(message.attributes).toMatchObject({ model, severity: "high", alertType: "data_drift", alertId: expect.any(String) });
    expect(message.message).toContain("Severity: HIGH");
    expect(message.message).toMatch(/- income \[numerical, high\]: PSI [\d.]+; KS D [\d.]+, p /);
    expect(message.message).toMatch(/- plan \[categorical, high\]: PSI [\d.]+; chi-square/);
    expect(message.message).toContain("missing share 0.0% → 0.0%");
    expect(message.message).toContain(`Full report: s3://${stack.names.bucket}/reports/drift/${model}/${res.body.checkId}.json`);

    const again = await stack.call("POST", `/models/${model}/drift-checks`, { records: makeRows(2000, 14, 1) });
    expect(again.body.driftDetected).toBe(true);
    expect(again.body.alert.sent).toBe(false);
    expect(Date.parse(again.body.alert.suppressedUntil)).toBeGreaterThan(Date.now() + 5 * 3600_000);
    const more = await topic.receive(2, 1500);
    expect(more).toHaveLength(1);

    const ns = stack.names.metricsNamespace;
    expect(await metricNames(ns)).toEqual(expect.arrayContaining(["DataDriftScore", "DriftChecks", "DriftDetected", "FeaturePSI"]));
    // Both drifted checks published DriftDetected = 1. On a loaded machine the SDK may retry a slow
    // PutMetricData the emulator already took, so the sum is at least 2 (CloudWatch counts a retried datum
    // again too); the maximum says no check published anything but 1.
    const detected = await metricValues(ns, "DriftDetected", { ModelName: model });
    expect(detected.reduce((s, v) => s + v, 0)).toBeGreaterThanOrEqual(2);
    expect(await metricValues(ns, "DriftDetected", { ModelName: model }, { stat: "Maximum" })).toEqual(expect.arrayContaining([1]));
    const score = await metricValues(ns, "DataDriftScore", { ModelName: model }, { stat: "Maximum" });
    expect(Math.max(...score)).toBeCloseTo(2 / 3, 10);
    const psi = await metricValues(ns, "FeaturePSI", { ModelName: model, FeatureName: "income" }, { stat: "Maximum" });
    expect(Math.max(...psi)).toBeCloseTo(res.body.report.features.income.tests.psi.value, 6);
  });

  it("runs a check of S3 data asynchronously: 202 at once, then completed with the report", async () => {
    const uri = await putObject(stack.names.bucket, "datasets/churn/current.csv", toCsv(makeRows(5000, 21)));
    const res = await stack.call("POST", `/models/${model}/drift-checks`, { dataUri: uri, thresholds: { psi: 0.2 } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "pending", baselineId, dataUri: uri });
    expect(res.headers.get("location")).toBe(`/models/${model}/drift-checks/${res.body.checkId}`);
    const done = await waitForCheck(stack, model, res.body.checkId);
    expect(done.status, done.error).toBe("completed");
    expect(done).toMatchObject({ source: "s3", rows: 5000, objects: 1, driftDetected: false });
    expect(done.report.thresholds.psi).toBe(0.2);
  });

  it("marks an async check failed with the reason when its data cannot be read", async () => {
    const res = await stack.call("POST", `/models/${model}/drift-checks`, { dataUri: `s3://${stack.names.bucket}/datasets/churn/none.csv` });
    expect(res.status).toBe(202);
    const done = await waitForCheck(stack, model, res.body.checkId);
    expect(done.status).toBe("failed");
    expect(done.error).toContain("no object at");
  });

  it("lists history newest first with a limit", async () => {
    const all = await stack.call("GET", `/models/${model}/drift-checks`);
    expect(all.status).toBe(200);
    expect(all.body.items.length).toBe(5);
    expect(all.body.nextToken).toBeNull();
    const ids = all.body.items.map((c: any) => c.checkId);
    expect([...ids].sort().reverse()).toEqual(ids);
    const two = await stack.call("GET", `/models/${model}/drift-checks?limit=2`);
    expect(two.body.items.map((c: any) => c.checkId)).toEqual(ids.slice(0, 2));
    expect(typeof two.body.nextToken).toBe("string");
    const next = await stack.call("GET", `/models/${model}/drift-checks?limit=2&nextToken=${encodeURIComponent(two.body.nextToken)}`);
    expect(next.body.items.map((c: any) => c.checkId)).toEqual(ids.slice(2, 4));
    const foreign = await stack.call("GET", `/models/other-model/drift-checks?nextToken=${encodeURIComponent(two.body.nextToken)}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.code).toBe("INVALID_PAGE_TOKEN");
  });

  it("checks against a named baseline, and refuses what it cannot check", async () => {
    const named = await stack.call("POST", `/models/${model}/drift-checks`, { records: makeRows(500, 31), baselineId });
    expect(named.status).toBe(201);
    expect((await stack.call("POST", "/models/no-baseline/drift-checks", { records: [{ a: 1 }] })).status).toBe(404);
    expect((await stack.call("POST", `/models/${model}/drift-checks`, { records: [{ other: 1 }] })).status).toBe(422);
    expect((await stack.call("GET", `/models/${model}/drift-checks/20250101T000000000Z-abcdef`)).status).toBe(404);
  });

  it("counts non-numeric values in a numerical feature as missing and says so", async () => {
    const rows = makeRows(300, 41).map((r, i) => ({ ...r, age: i % 3 === 0 ? "unknown" : r.age }));
    const res = await stack.call("POST", `/models/${model}/drift-checks`, { records: rows });
    expect(res.status).toBe(201);
    expect(res.body.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^age: 100 non-numeric value/)]));
    expect(res.body.report.features.age.driftDetected).toBe(true);
    expect(res.body.report.features.age.rulesFired).toContain("missing-share-jump");
  });
});
