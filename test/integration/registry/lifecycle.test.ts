import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { promote, register } from "./helpers.js";

describe("registry: lifecycle, promotion gate and rollback", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("reg-lifecycle");
  });

  it("promotes development → staging → production and serves the production version", async () => {
    // Prepare
    const reg = await register(stack, "fraud", { version: "1.0.0", metrics: { auc: 0.8 } });
    // Act
    const staged = await promote(stack, "fraud", "1.0.0", "staging");
    const prod = await promote(stack, "fraud", "1.0.0", "production");
    const served = await stack.call("GET", "/models/fraud/stages/production");
    // Assess
    expect(staged).toMatchObject({ from: "development", to: "staging" });
    expect(prod).toMatchObject({ from: "staging", to: "production", archived: null, gate: { passed: true, forced: false } });
    expect(served.status).toBe(200);
    expect(served.body).toMatchObject({ model: "fraud", version: "1.0.0", artifactUri: reg.body.artifact.uri, sha256: reg.body.artifact.sha256, metrics: { auc: 0.8 } });
    expect((await stack.call("GET", "/models/fraud")).body).toMatchObject({ productionVersion: "1.0.0", stagingVersions: [] });
  });

  it("refuses to promote a development version straight to production", async () => {
    // Prepare
    await register(stack, "fraud", { version: "1.1.0", metrics: { auc: 0.9 } });
    // Act
    const res = await stack.call("POST", "/models/fraud/versions/1.1.0/promote", { stage: "production", reason: "skip staging" });
    // Assess
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe("cannot promote version 1.1.0 from development to production: a development version moves to staging (or archived) first");
  });

  it("blocks a worse staging version at the gate, and lets force override it with the override recorded", async () => {
    // Prepare
    await register(stack, "fraud", { version: "1.2.0", metrics: { auc: 0.7 } });
    await promote(stack, "fraud", "1.2.0", "staging");
    // Act
    const blocked = await stack.call("POST", "/models/fraud/versions/1.2.0/promote", { stage: "production", reason: "try" });
    const forced = await stack.call("POST", "/models/fraud/versions/1.2.0/promote", { stage: "production", reason: "hotfix", force: true });
    // Assess
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.code).toBe("GATE_FAILED");
    expect(blocked.body.error.details).toEqual({ failed: [{ metric: "auc", value: 0.7, rule: "notWorseThanProduction" }] });
    expect(blocked.body.error.message).toBe(
      "promotion gate failed: auc 0.7 of 1.2.0 is worse than 0.8 of production 1.0.0 (higher is better); send force: true to override (the override is recorded)",
    );
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({ archived: "1.0.0", gate: { passed: false, forced: true, candidateValue: 0.7, productionValue: 0.8 } });
    expect((await stack.call("GET", "/models/fraud/versions/1.2.0")).body.gate.forced).toBe(true);
    expect((await stack.call("GET", "/models/fraud/versions/1.0.0")).body.stage).toBe("archived");
    const history = await stack.call("GET", "/models/fraud/history?limit=1");
    expect(history.body.items[0]).toMatchObject({ event: "promote", version: "1.2.0", from: "staging", to: "production", reason: "hotfix", details: { gate: { forced: true } } });
  });

  it("passes the gate for an equal or better primary metric, archiving the replaced version", async () => {
    // Prepare
    await promote(stack, "fraud", "1.1.0", "staging");
    // Act
    const res = await promote(stack, "fraud", "1.1.0", "production");
    // Assess
    expect(res).toMatchObject({ archived: "1.2.0", gate: { passed: true, forced: false, productionVersion: "1.2.0" } });
    const prod = await stack.call("GET", "/models/fraud/versions?stage=production");
    expect(prod.body.items.map((v: any) => v.version)).toEqual(["1.1.0"]);
  });

  it("rolls back to the previous production version, then to the one before, then answers 409", async () => {
    // Act
    const first = await stack.call("POST", "/models/fraud/rollback", { reason: "latency regression" });
    const second = await stack.call("POST", "/models/fraud/rollback", { reason: "still bad" });
    const third = await stack.call("POST", "/models/fraud/rollback", { reason: "again" });
    // Assess
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ productionVersion: "1.2.0", archived: "1.1.0" });
    expect(second.body).toMatchObject({ productionVersion: "1.0.0", archived: "1.2.0" });
    expect(third.status).toBe(409);
    expect(third.body.error.message).toBe("model fraud has no previous production version to roll back to");
    expect((await stack.call("GET", "/models/fraud/stages/production")).body.version).toBe("1.0.0");
    const history = await stack.call("GET", "/models/fraud/history?limit=2");
    expect(history.body.items.map((h: any) => [h.event, h.version, h.from, h.to, h.reason])).toEqual([
      ["rollback", "1.0.0", "archived", "production", "still bad"],
      ["rollback", "1.2.0", "production", "archived", "still bad"],
    ]);
  });

  it("answers 409 for a rollback of a model without production version, 404 for an unknown model", async () => {
    // Prepare
    await register(stack, "noprod", { version: "1.0.0" });
    // Act
    const none = await stack.call("POST", "/models/noprod/rollback", { reason: "x" });
    const unknown = await stack.call("POST", "/models/ghost/rollback", { reason: "x" });
    // Assess
    expect(none.status).toBe(409);
    expect(none.body.error.message).toBe("model noprod has no production version to roll back from");
    expect(unknown.status).toBe(404);
  });

  it("archives a staging version but refuses to archive the production version", async () => {
    // Prepare
    await register(stack, "fraud", { version: "1.3.0", stage: "staging", metrics: { auc: 0.85 } });
    // Act
    const archived = await stack.call("POST", "/models/fraud/versions/1.3.0/promote", { stage: "archived", reason: "superseded" });
    const prod = await stack.call("POST", "/models/fraud/versions/1.0.0/promote", { stage: "archived", reason: "no" });
    const again = await stack.call("POST", "/models/fraud/versions/1.3.0/promote", { stage: "staging", reason: "revive" });
    // Assess
    expect(archived.status).toBe(200);
    expect((await stack.call("GET", "/models/fraud")).body.stagingVersions).toEqual([]);
    expect(prod.status).toBe(409);
    expect(prod.body.error.message).toContain("is in production; promote another version or roll back");
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain("is archived");
  });

  it("keeps exactly one production version under twenty concurrent promotions of different versions", async () => {
    // Prepare: a production version and twenty staging candidates, all passing the gate
    await register(stack, "race", { version: "1.0.0", metrics: { auc: 0.5 }, stage: "staging" });
    await promote(stack, "race", "1.0.0", "production");
    const candidates = Array.from({ length: 20 }, (_, i) => `1.${i + 1}.0`);
    for (const v of candidates) await register(stack, "race", { version: v, metrics: { auc: 0.6 }, stage: "staging" });
    // Act
    const results = await Promise.all(
      candidates.map((v) => stack.call("POST", `/models/race/versions/${v}/promote`, { stage: "production", reason: `race ${v}` })),
    );
    // Assess
    const winners = results.flatMap((r, i) => (r.status === 200 ? [candidates[i]] : []));
    expect(winners).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(409);
      expect(r.body.error.message).toMatch(/concurrent/);
    }
    const production = await stack.call("GET", "/models/race/versions?stage=production&limit=100");
    expect(production.body.items.map((v: any) => v.version)).toEqual(winners);
    const all = await stack.call("GET", "/models/race/versions?limit=100");
    expect(all.body.items.filter((v: any) => v.stage === "production").map((v: any) => v.version)).toEqual(winners);
    expect(all.body.items.find((v: any) => v.version === "1.0.0").stage).toBe("archived");
    const model = await stack.call("GET", "/models/race");
    expect(model.body.productionVersion).toBe(winners[0]);
    expect(model.body.rollbackTarget).toBe("1.0.0");
    expect(model.body.stagingVersions).toHaveLength(19);
  });

  it("keeps exactly one production version when a model gets its first production version concurrently", async () => {
    // Prepare
    const candidates = Array.from({ length: 20 }, (_, i) => `0.${i + 1}.0`);
    for (const v of candidates) await register(stack, "firstrace", { version: v, metrics: { auc: 0.6 }, stage: "staging" });
    // Act
    const results = await Promise.all(candidates.map((v) => stack.call("POST", `/models/firstrace/versions/${v}/promote`, { stage: "production", reason: "go" })));
    // Assess: losers are told (409). More than one may win, but only one after another: a promotion that
    // starts after another committed replaces it (its answer names the version it archived). So the wins form
    // one chain — one first production version (archived nothing), every other win archived an earlier win,
    // no version archived twice — and the chain's end is the production version.
    for (const r of results) expect([200, 409], JSON.stringify(r.body)).toContain(r.status);
    const wins = results.filter((r) => r.status === 200).map((r) => ({ version: r.body.version.version as string, archived: r.body.archived as string | null }));
    expect(wins.filter((w) => w.archived === null)).toHaveLength(1);
    const replaced = wins.flatMap((w) => (w.archived === null ? [] : [w.archived]));
    expect(new Set(replaced).size).toBe(replaced.length);
    for (const v of replaced) expect(wins.map((w) => w.version)).toContain(v);
    const last = wins.filter((w) => !replaced.includes(w.version)).map((w) => w.version);
    expect(last).toHaveLength(1);
    const production = await stack.call("GET", "/models/firstrace/versions?stage=production");
    expect(production.body.items.map((v: any) => v.version)).toEqual(last);
    expect((await stack.call("GET", "/models/firstrace")).body.productionVersion).toBe(last[0]);
  });

  it("promotes an uploaded artifact only once it exists, recording its checksum on the way", async () => {
    // Prepare
    const reg = await stack.call("POST", "/models/upl/versions", { requestUpload: true, primaryMetric: "auc", direction: "higher", metrics: { auc: 0.9 } });
    // Act
    const before = await stack.call("POST", "/models/upl/versions/0.1.0/promote", { stage: "staging", reason: "x" });
    await fetch(reg.body.upload.url, { method: "PUT", body: "weights" });
    const after = await stack.call("POST", "/models/upl/versions/0.1.0/promote", { stage: "staging", reason: "x" });
    // Assess
    expect(before.status).toBe(409);
    expect(before.body.error.message).toContain("has not been uploaded");
    expect(after.status).toBe(200);
    expect(after.body.version.artifact).toMatchObject({ status: "available", sizeBytes: 7 });
    expect((await stack.call("GET", "/models/upl/versions/0.1.0")).body.artifact.sha256).toMatch(/^[a-f0-9]{64}$/);
  });
});
