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
import { waitForBaseline, waitForCheck } from "./helpers.js";

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

  it("round three: an S3 baseline stores category membership and discrete value counts, and S3 and CLI checks read them back", async () => {
    // Prepare: 20,000 rows (sketched), 1,500 plans (beyond the 1,000 counted), a binary flag with 10 % ones
    const u = rng(2311);
    const baseRows = Array.from({ length: 20_000 }, (_, i) => ({ plan: `p${i % 1500}`, flag: u() < 0.1 ? 1 : 0 }));
    const curRows = Array.from({ length: 3_000 }, (_, i) => ({ plan: i % 10 === 0 ? "brand-new" : `p${(i * 7) % 1500}`, flag: u() < 0.15 ? 1 : 0 }));
    const baseUri = await putObject(stack.names.bucket, "datasets/round3/base.csv", toCsv(baseRows));
    const curUri = await putObject(stack.names.bucket, "batches/round3/cur.csv", toCsv(curRows));
    const created = await stack.call("POST", "/models/round3/baselines", { dataUri: baseUri, categorical: ["plan"] });
    expect(created.status).toBe(202);
    expect(await waitForBaseline(stack, "round3", created.body.baselineId)).toMatchObject({ status: "ready", rows: 20_000 });
    // Act: the stored profile, an S3 check (worker), and the CLI on the same files
    const stored = await stack.call("GET", `/models/round3/baselines/${created.body.baselineId}?profile=true`);
    const started = await stack.call("POST", "/models/round3/drift-checks", { dataUri: curUri });
    const check = await waitForCheck(stack, "round3", started.body.checkId);
    const b = join(dir, "round3-base.csv");
    const c = join(dir, "round3-cur.csv");
    writeFileSync(b, toCsv(baseRows));
    writeFileSync(c, toCsv(curRows));
    let stdout = "";
    const code = await runDrift(["--baseline", b, "--current", c, "--categorical", "plan"], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true } });
    // Assess: the baseline format carries what the rules need
    expect(stored.status).toBe(200);
    expect(stored.body.profile.profiles.plan).toMatchObject({ truncated: true, membership: { kind: "exact" } });
    expect(stored.body.profile.profiles.plan.membership.others).toHaveLength(500);
    expect(stored.body.profile.profiles.flag).toMatchObject({ sketch: { exact: false }, distinct: { values: [0, 1] } });
    // the new category beyond the top 1,000 is found and listed; the binary flag is compared on its values
    expect(check.status).toBe("completed");
    const plan = check.report.features.plan;
    expect(plan.newCategories).toEqual(["brand-new"]);
    expect(plan.rulesFired).toContain("category-change");
    const flag = check.report.features.flag;
    expect(flag.tests.ks).toBeUndefined();
    expect(flag.tests.discrete).toMatchObject({ values: 2, newValues: 0 });
    expect(flag.rulesFired).toContain("share-shift");
    expect(code).toBe(0);
    const cli = JSON.parse(stdout);
    expect(cli.features.plan.newCategories).toEqual(["brand-new"]);
    expect(cli.features.flag.rulesFired).toEqual(flag.rulesFired);
  }, 180_000);
});
