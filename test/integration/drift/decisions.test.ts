/**
 * The cases 5–7 through the service against the emulator: a sketched baseline decides like the
 * exact full-data computation, built-in member names are categories like any other, a dropped column is
 * schema drift, and `mlwatch drift` on the same files gives the same report as the API.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDrift } from "../../../bin/commands/drift.js";
import { buildDriftReport, prepareNumeric } from "../../../lambdas/core/drift/index.js";
import { createTestStack, type TestStack } from "../stack.js";
import { makeRows, normal, putObject, rng, toCsv } from "./fixtures.js";
import { waitForBaseline } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "mlwatch-decisions-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("drift decisions through the service", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("drift-dec");
  });

  it("case 5: a sketched 200,000-row baseline finds the drift the exact computation finds, with the true n and ε in the report", async () => {
    // Prepare: baseline in S3 (sketched: > 10,000 rows); current with 1 % of the rows moved to +20 sd
    const u = rng(501);
    const base = Float64Array.from({ length: 200_000 }, () => Math.round(normal(u) * 1e6) / 1e6);
    const cur = Float64Array.from({ length: 50_000 }, (_, i) => Math.round((i % 100 === 0 ? 20 + normal(u) : normal(u)) * 1e6) / 1e6);
    const uri = await putObject(stack.names.bucket, "datasets/sketch/base.csv", `x\n${Array.from(base).join("\n")}\n`);
    const created = await stack.call("POST", "/models/sketch/baselines", { dataUri: uri });
    expect(created.status).toBe(202);
    expect(await waitForBaseline(stack, "sketch", created.body.baselineId)).toMatchObject({ status: "ready", rows: 200_000 });
    // Act
    const res = await stack.call("POST", "/models/sketch/drift-checks", { records: Array.from(cur, (x) => ({ x })) });
    const exact = buildDriftReport({ x: { baseline: prepareNumeric(base), current: prepareNumeric(cur) } }).features.x;
    // Assess
    expect(res.status).toBe(201);
    const x = res.body.report.features.x;
    expect(x.driftDetected).toBe(exact.driftDetected);
    expect(x.rulesFired).toEqual(exact.rulesFired);
    expect(x.rulesFired).toContain("numerical-shift");
    expect(x.tests.ks).toMatchObject({ baselineSize: 200_000, sketch: { rankError: 1e-4 } });
    expect(x.tests.ks.adjustedPValue).toBeLessThan(0.05);
    expect(x.tests.ks.pValue).toBeGreaterThanOrEqual(exact.tests.ks!.pValue);
    expect(exact.tests.ks!.statistic).toBeGreaterThanOrEqual(x.tests.ks.sketch.statisticLowerBound);
  }, 120_000);

  it("case 6: categories named like built-in members are compared like any other, even when every row is one", async () => {
    // Prepare
    const names = ["toString", "constructor", "__proto__", "valueOf", "hasOwnProperty"];
    const rows = (n: number, k: number) => Array.from({ length: n }, (_, i) => ({ plan: names[i % k], n: i % 10 }));
    expect((await stack.call("POST", "/models/protos/baselines", { records: rows(1000, 5) })).status).toBe(201);
    // Act
    const same = await stack.call("POST", "/models/protos/drift-checks", { records: rows(500, 5) });
    const gone = await stack.call("POST", "/models/protos/drift-checks", { records: rows(500, 4) });
    const single = await stack.call("POST", "/models/protos/drift-checks", { records: Array.from({ length: 50 }, () => ({ plan: "toString", n: 1 })) });
    // Assess
    expect(same.status).toBe(201);
    expect(same.body.report.features.plan).toMatchObject({ driftDetected: false, newCategories: [], missingCategories: [] });
    expect(same.body.report.features.plan.tests.chiSquare.dof).toBe(4);
    expect(gone.body.report.features.plan.missingCategories).toEqual(["hasOwnProperty"]);
    expect(gone.body.report.features.plan.rulesFired).toContain("category-change");
    expect(single.status).toBe(201);
    expect(single.body.report.features.plan.missingCategories.sort()).toEqual(["__proto__", "constructor", "hasOwnProperty", "valueOf"]);
  });

  it("case 7: a column dropped upstream is schema drift, a new one is listed; the CLI gives the same report on the same files", async () => {
    // Prepare
    const baseRows = makeRows(1500, 701);
    const curRows = makeRows(800, 702).map(({ age, plan }, i) => ({ age, plan, session: i }));
    expect((await stack.call("POST", "/models/schema/baselines", { records: baseRows })).status).toBe(201);
    const b = join(dir, "base.csv");
    const c = join(dir, "cur.csv");
    writeFileSync(b, toCsv(baseRows));
    writeFileSync(c, toCsv(curRows));
    // Act
    const res = await stack.call("POST", "/models/schema/drift-checks", { records: curRows });
    let stdout = "";
    const code = await runDrift(["--baseline", b, "--current", c], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true } });
    // Assess
    expect(res.status).toBe(201);
    const report = res.body.report;
    expect(report.features.income).toMatchObject({ driftDetected: true, severity: "high", rulesFired: ["feature-missing"], comparable: false });
    expect(report.features.income.reason).toMatch(/schema drift/);
    expect(report.unexpectedFeatures).toEqual(["session"]);
    expect(res.body.driftDetected).toBe(true);
    expect(res.body.driftedFeatures.map((f: { name: string }) => f.name)).toEqual(["income"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(report);
  });
});
