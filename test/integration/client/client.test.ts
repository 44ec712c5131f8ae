/**
 * The typed client end to end, as a package consumer imports it (`from "mlwatch"`), against the local
 * server (`startLocalServer`) on a random port over the test emulator.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MlwatchApiError, MlwatchClient, type DriftCheck } from "mlwatch";
import { startLocalServer, type LocalServer } from "../../../lambdas/local/server.js";
import { emulatorEndpoint } from "../emulator.js";

let server: LocalServer;
let client: MlwatchClient;

beforeAll(async () => {
  server = await startLocalServer({ port: 0, endpoint: emulatorEndpoint(), prefix: `client-${randomBytes(4).toString("hex")}` });
  client = new MlwatchClient({ endpoint: server.url, retryBaseMs: 10 });
});

afterAll(async () => {
  await server?.close();
});

const rows = (n: number, shift: number) => Array.from({ length: n }, (_, i) => ({ age: 30 + ((i * 7) % 40) + shift, plan: i % 3 === 0 ? "pro" : "basic" }));

describe("MlwatchClient against the local server", () => {
  it("talks plain HTTP to the loopback server and reads health", async () => {
    // Act
    const health = await client.health();
    // Assess
    expect(client.auth).toBe("none");
    expect(health.status).toBe("ok");
  });

  it("registers, lists, shows, promotes and rolls back versions with typed answers", async () => {
    // Prepare
    const model = `m${randomBytes(3).toString("hex")}`;
    // Act
    const v1 = await client.registerVersion(model, { requestUpload: true, metrics: { auc: 0.8 }, primaryMetric: "auc", direction: "higher", version: "1.0.0" });
    const v2 = await client.registerVersion(model, { requestUpload: true, metrics: { auc: 0.9 } });
    // Registry-uploaded artifacts must be uploaded and verified before production.
    for (const v of [v1, v2]) {
      const put = await fetch(v.upload!.url, { method: "PUT", body: "model bytes" });
      expect(put.ok).toBe(true);
      await client.request("POST", `/models/${model}/versions/${v.version}/artifact/verify`);
    }
    await client.promote(model, "1.0.0", { stage: "staging", reason: "tests pass" });
    await client.promote(model, "1.0.0", { stage: "production", reason: "ship" });
    await client.promote(model, v2.version, { stage: "staging", reason: "tests pass" });
    const answered = await client.promote(model, v2.version, { stage: "production", reason: "better auc" });
    if (answered.status !== "promoted") throw new Error(`expected a promotion, got ${answered.status}`);
    const promoted = answered;
    const rolledBack = await client.rollback(model, { reason: "bad canary" });
    const shown = await client.getModel(model);
    const page = await client.listModels({ limit: 100 });
    const versions = await client.listVersions(model);
    const production = await client.getProduction(model);
    // Assess
    expect(v2.version).toBe("1.1.0");
    expect(promoted.gate?.passed).toBe(true);
    expect(promoted.archived).toBe("1.0.0");
    expect(rolledBack).toMatchObject({ model, productionVersion: "1.0.0", archived: "1.1.0" });
    expect(shown).toMatchObject({ model, productionVersion: "1.0.0", primaryMetric: "auc" });
    expect(page.items.map((m) => m.model)).toContain(model);
    expect(versions.items.map((v) => [v.version, v.stage])).toEqual([["1.1.0", "archived"], ["1.0.0", "production"]]);
    expect(production.metrics.auc).toBe(0.8);
  });

  it("governs promotions: policy, GATE_FAILED details, four-eyes approval by a second actor, aliases, tags", async () => {
    // Prepare
    const model = `g${randomBytes(3).toString("hex")}`;
    const alice = new MlwatchClient({ endpoint: server.url, retryBaseMs: 10, actor: "alice" });
    const bob = new MlwatchClient({ endpoint: server.url, retryBaseMs: 10, actor: "bob" });
    for (const [version, auc] of [["1.0.0", 0.8], ["1.1.0", 0.9]] as const) {
      const v = await client.registerVersion(model, { requestUpload: true, metrics: { auc }, primaryMetric: "auc", direction: "higher", version, stage: "staging" });
      await fetch(v.upload!.url, { method: "PUT", body: `bytes ${version}` });
    }
    // Act
    const policy = await alice.setPromotionPolicy(model, { gates: [{ metric: "auc", min: 0.85 }], requireApproval: ["production"] });
    const refused = await alice.promote(model, "1.0.0", { stage: "production", reason: "try" }).catch((e: unknown) => e);
    const pending = await alice.promote(model, "1.1.0", { stage: "production", reason: "better" });
    const listed = await bob.listApprovals(model, { state: "pending" });
    const approved = await bob.approve(model, "1.1.0", { reason: "reviewed" });
    const alias = await client.setAlias(model, "champion", "1.1.0");
    const aliased = await client.getAlias(model, "champion");
    const tagged = await client.updateVersion(model, "1.1.0", { tags: { team: "risk" } });
    const byTag = await client.listVersions(model, { tag: "team:risk" });
    await client.deleteAlias(model, "champion");
    const fetched = await client.getPromotionPolicy(model);
    // Assess
    expect(policy.updatedBy).toBe("alice");
    expect(refused).toBeInstanceOf(MlwatchApiError);
    expect((refused as MlwatchApiError).code).toBe("GATE_FAILED");
    expect((refused as MlwatchApiError).details).toEqual({ failed: [{ metric: "auc", value: 0.8, rule: "min 0.85" }] });
    expect(pending.status).toBe("pending_approval");
    expect(listed.items.map((a) => a.requestedBy)).toEqual(["alice"]);
    expect(approved).toMatchObject({ status: "promoted", to: "production", approval: { decidedBy: "bob", requestedBy: "alice" } });
    expect(alias.version).toBe("1.1.0");
    expect(aliased).toMatchObject({ alias: "champion", version: "1.1.0", stage: "production" });
    expect(tagged.tags).toEqual({ team: "risk" });
    expect(byTag.items.map((v) => v.version)).toEqual(["1.1.0"]);
    expect((await client.getVersion(model, "1.1.0")).aliases).toEqual([]);
    expect(fetched.requireApproval).toEqual(["production"]);
  });

  it("runs a drift check and reads it back with the HTML report", async () => {
    // Prepare
    const model = `d${randomBytes(3).toString("hex")}`;
    await client.createBaseline(model, { records: rows(300, 0) });
    // Act
    const check: DriftCheck = await client.checkDrift(model, { records: rows(300, 25) });
    const again = await client.getDriftCheck(model, check.checkId);
    const listed = await client.listDriftChecks(model);
    const html = await client.getDriftReportHtml(model, check.checkId);
    // Assess
    expect(check.status).toBe("completed");
    expect(check.driftDetected).toBe(true);
    expect(check.report?.features.age.driftDetected).toBe(true);
    expect(again.report?.features.age.tests.psi?.value).toBeGreaterThan(0.25);
    expect(listed.items[0].checkId).toBe(check.checkId);
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain(model);
  });

  it("reads a performance report", async () => {
    // Prepare
    const model = `p${randomBytes(3).toString("hex")}`;
    await client.registerVersion(model, { requestUpload: true, version: "1.0.0", primaryMetric: "rmse", direction: "lower" });
    await client.recordBatch(model, "1.0.0", { task: "regression", predictions: [1, 2, 3, 4], actuals: [1.1, 2.2, 2.9, 4.2] });
    // Act
    const report = await client.performanceReport(model, { days: 7 });
    // Assess
    expect(report.task).toBe("regression");
    expect(report.batchCount).toBe(1);
    expect(report.overall).toHaveProperty("rmse");
  });

  it("throws MlwatchApiError carrying the API's code and message", async () => {
    // Act
    const missing = await client.getModel("no-such-model").catch((e: unknown) => e);
    const invalid = await client.registerVersion("bad", { artifactUri: "not-a-uri" }).catch((e: unknown) => e);
    // Assess
    expect(missing).toBeInstanceOf(MlwatchApiError);
    expect(missing).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect(invalid).toMatchObject({ status: 400, code: "VALIDATION_ERROR" });
    expect((invalid as Error).message).toContain("artifactUri");
  });

  it("serves the OpenAPI document at GET /openapi.json", async () => {
    // Act
    const doc = await client.request<{ openapi: string; paths: Record<string, unknown> }>("GET", "/openapi.json");
    // Assess
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/models/{model}/drift-checks/{checkId}/report.html");
  });
});
