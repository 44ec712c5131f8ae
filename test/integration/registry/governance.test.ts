/**
 * Promotion governance against the emulator: policy gates (registered metrics, then the live window),
 * GATE_FAILED listing every failed gate, force, four-eyes approval (self-approval, reject, history),
 * aliases, tags, retention — and the races: two approvals at once promote once, an alias moved
 * concurrently ends on one version.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { auditEntries } from "../observe.js";
import { eventRelay, promote, register } from "./helpers.js";

const as = (name: string) => ({ "x-mlwatch-actor": name });

/** Audit entries of one type and model (the emulator does not evaluate JSON filter patterns). */
async function auditOf(stack: TestStack, type: string, model: string): Promise<any[]> {
  return (await auditEntries(stack.names.auditLogGroup, `"${type}"`)).filter((a) => a.type === type && a.model === model);
}

describe("registry: promotion governance", () => {
  let stack: TestStack;
  let relay: Awaited<ReturnType<typeof eventRelay>>;
  beforeAll(async () => {
    stack = await createTestStack("reg-governance");
    relay = await eventRelay(stack);
  });

  /** A model with a production version 1.0.0 (auc 0.86) and a staging candidate 1.1.0. */
  async function modelWithCandidate(model: string, candidateMetrics: Record<string, number>): Promise<void> {
    await register(stack, model, { version: "1.0.0", metrics: { auc: 0.86 }, stage: "staging" });
    await promote(stack, model, "1.0.0", "production");
    await register(stack, model, { version: "1.1.0", metrics: candidateMetrics, stage: "staging" });
  }

  it("stores, answers and validates a promotion policy", async () => {
    // Prepare
    await register(stack, "pol", { version: "1.0.0" });
    const policy = {
      gates: [{ metric: "auc", min: 0.85 }, { metric: "latencyP95Ms", max: 100 }, { metric: "disparateImpact", min: 0.8, max: 1.25 }, { metric: "auc", notWorseThanProduction: true }],
      requireApproval: ["production"],
      retention: { keepLast: 10 },
    };
    // Act
    const none = await stack.call("GET", "/models/pol/promotion-policy");
    const put = await stack.call("PUT", "/models/pol/promotion-policy", policy, as("alice"));
    const got = await stack.call("GET", "/models/pol/promotion-policy");
    const unknownDirection = await stack.call("PUT", "/models/pol/promotion-policy", { gates: [{ metric: "custom_score", notWorseThanProduction: true }] });
    const empty = await stack.call("PUT", "/models/pol/promotion-policy", { gates: [{ metric: "auc" }] });
    const missingModel = await stack.call("PUT", "/models/nosuch/promotion-policy", policy);
    // Assess
    expect(none.status).toBe(404);
    expect(put.status).toBe(200);
    expect(got.body).toMatchObject({ ...policy, model: "pol", updatedBy: "alice" });
    expect(unknownDirection.status).toBe(400);
    expect(unknownDirection.body.error.message).toMatch(/body\.gates\.0\.direction: which way is better for custom_score is not known/);
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/a gate needs min, max or notWorseThanProduction/);
    expect(missingModel.status).toBe(404);
    const history = await stack.call("GET", "/models/pol/history");
    expect(history.body.items[0]).toMatchObject({ event: "policy", actor: "alice" });
  });

  it("refuses with GATE_FAILED listing every failed gate and its value; force promotes and records the override", async () => {
    // Prepare
    await modelWithCandidate("gated", { auc: 0.8, latencyP95Ms: 140, disparateImpact: 0.9 });
    await stack.call("PUT", "/models/gated/promotion-policy", {
      gates: [{ metric: "auc", min: 0.85 }, { metric: "latencyP95Ms", max: 100 }, { metric: "disparateImpact", min: 0.8, max: 1.25 }, { metric: "auc", notWorseThanProduction: true }, { metric: "f1", min: 0.5 }],
    });
    // Act
    const refused = await stack.call("POST", "/models/gated/versions/1.1.0/promote", { stage: "production", reason: "try" });
    const forced = await stack.call("POST", "/models/gated/versions/1.1.0/promote", { stage: "production", reason: "incident fix, accepted by risk", force: true }, as("carol"));
    // Assess
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("GATE_FAILED");
    expect(refused.body.error.details.failed).toEqual([
      { metric: "auc", value: 0.8, rule: "min 0.85" },
      { metric: "latencyP95Ms", value: 140, rule: "max 100" },
      { metric: "auc", value: 0.8, rule: "notWorseThanProduction" },
      { metric: "f1", value: null, rule: "min 0.5" },
    ]);
    expect(forced.status).toBe(200);
    expect(forced.body.gate).toMatchObject({ policy: true, passed: false, forced: true });
    expect((await stack.call("GET", "/models/gated")).body.productionVersion).toBe("1.1.0");
    const audit = (await auditOf(stack, "model.promoted", "gated")).filter((a) => a.version === "1.1.0");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: "carol", details: { reason: "incident fix, accepted by risk", forced: true } });
  });

  it("without a policy gates on the primary metric, failing like a policy gate (GATE_FAILED with details.failed)", async () => {
    // Prepare
    await modelWithCandidate("legacy", { auc: 0.8 });
    // Act
    const refused = await stack.call("POST", "/models/legacy/versions/1.1.0/promote", { stage: "production", reason: "try" });
    // Assess
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("GATE_FAILED");
    expect(refused.body.error.details).toEqual({ failed: [{ metric: "auc", value: 0.8, rule: "notWorseThanProduction" }] });
    expect(refused.body.error.message).toMatch(/^promotion gate failed: auc 0.8 of 1.1.0 is worse than 0.86 of production 1.0.0/);
  });

  it("reads a gate's metric from the version's latest performance window when it was not registered", async () => {
    // Prepare: auc registered; latency and fairness only from live batches of 1.1.0.
    await modelWithCandidate("live", { auc: 0.9 });
    await stack.call("PUT", "/models/live/promotion-policy", { gates: [{ metric: "latencyP95Ms", max: 100 }, { metric: "disparateImpact", min: 0.8 }, { metric: "auc", min: 0.85 }] });
    const rows = 40;
    const groups = Array.from({ length: rows }, (_, i) => (i % 2 === 0 ? "a" : "b"));
    // group a: predicted 1 on 10 of 20 rows; group b: on 4 of 20 → disparate impact 0.4
    const predictions = Array.from({ length: rows }, (_, i) => (i % 2 === 0 ? (i < 20 ? 1 : 0) : i < 8 ? 1 : 0));
    const actuals = predictions.map((p, i) => (i % 5 === 0 ? 1 - p : p));
    const slow = await stack.call("POST", "/models/live/versions/1.1.0/batches", { task: "classification", predictions, actuals, groups, latenciesMs: Array.from({ length: rows }, (_, i) => 50 + i * 5) });
    // Act
    const refused = await stack.call("POST", "/models/live/versions/1.1.0/promote", { stage: "production", reason: "live" });
    // Assess
    expect(slow.status).toBe(201);
    expect(slow.body.fairness.selectionRates).toEqual({ a: 0.5, b: 0.2 });
    expect(slow.body.fairness.disparateImpact).toBeCloseTo(0.4, 12);
    expect(refused.status).toBe(409);
    const failed = refused.body.error.details.failed;
    expect(failed.map((f: any) => f.metric)).toEqual(["latencyP95Ms", "disparateImpact"]);
    expect(failed[0].value).toBeGreaterThan(100);
    expect(failed[1].value).toBeCloseTo(0.4, 12);
    const report = await stack.call("GET", "/models/live/performance?version=1.1.0");
    expect(report.body.fairness.selectionRates).toEqual({ a: 0.5, b: 0.2 });
    expect(report.body.fairness.tprGap).toBe(slow.body.fairness.tprGap);
    expect(report.body.latency.count).toBe(rows);
    expect(Math.abs(report.body.latency.p95 - failed[0].value)).toBe(0);
    expect(Math.abs(report.body.latency.p95 - slow.body.latency.p95) / slow.body.latency.p95).toBeLessThan(0.02);
  });

  it("four-eyes: 202 pending, self-approval 403, another principal approves → 200 with gates re-checked, all in the history", async () => {
    // Prepare
    await modelWithCandidate("eyes", { auc: 0.9 });
    await stack.call("PUT", "/models/eyes/promotion-policy", { gates: [{ metric: "auc", min: 0.85 }], requireApproval: ["production"] });
    // Act
    const pending = await stack.call("POST", "/models/eyes/versions/1.1.0/promote", { stage: "production", reason: "quarterly refresh" }, as("alice"));
    const again = await stack.call("POST", "/models/eyes/versions/1.1.0/promote", { stage: "production", reason: "twice" }, as("alice"));
    const stillStaging = (await stack.call("GET", "/models/eyes/versions/1.1.0")).body.stage;
    const listed = await stack.call("GET", "/models/eyes/approvals?state=pending");
    const self = await stack.call("POST", "/models/eyes/versions/1.1.0/approve", { reason: "lgtm" }, as("alice"));
    const approved = await stack.call("POST", "/models/eyes/versions/1.1.0/approve", { reason: "checked the fairness report" }, as("bob"));
    const after = await stack.call("POST", "/models/eyes/versions/1.1.0/approve", { reason: "late" }, as("carol"));
    // Assess
    expect(pending.status).toBe(202);
    expect(pending.body).toMatchObject({ status: "pending_approval", approval: { state: "pending", requestedBy: "alice", to: "production", reason: "quarterly refresh" } });
    expect(again.status).toBe(409);
    expect(stillStaging).toBe("staging");
    expect(listed.body.items.map((a: any) => a.approvalId)).toEqual([pending.body.approval.approvalId]);
    expect(self.status).toBe(403);
    expect(self.body.error).toMatchObject({ code: "FORBIDDEN", details: { reason: "SELF_APPROVAL" } });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "promoted", to: "production", archived: "1.0.0", gate: { policy: true, passed: true }, approval: { state: "approved", decidedBy: "bob" } });
    expect(after.status).toBe(409);
    expect((await stack.call("GET", "/models/eyes")).body.productionVersion).toBe("1.1.0");
    expect((await stack.call("GET", "/models/eyes/approvals?state=pending")).body.items).toEqual([]);
    const history = (await stack.call("GET", "/models/eyes/history?limit=10")).body.items;
    const trail = history.filter((h: any) => h.version === "1.1.0").map((h: any) => [h.event, h.actor, h.reason]);
    expect(trail).toEqual(
      expect.arrayContaining([
        ["request_approval", "alice", "quarterly refresh"],
        ["approve", "bob", "checked the fairness report"],
        ["promote", "bob", "checked the fairness report"],
      ]),
    );
  });

  it("checks the gates again at approval: a version that no longer passes stays pending", async () => {
    // Prepare: the gate passes on the live window at request time, then a slow batch arrives.
    await modelWithCandidate("recheck", { auc: 0.9 });
    await stack.call("PUT", "/models/recheck/promotion-policy", { gates: [{ metric: "latencyP95Ms", max: 100 }], requireApproval: ["production"] });
    const batch = (ms: number) => ({ task: "classification", predictions: [1, 0, 1, 0], actuals: [1, 0, 0, 0], latenciesMs: [ms, ms, ms, ms] });
    await stack.call("POST", "/models/recheck/versions/1.1.0/batches", batch(20));
    const pending = await stack.call("POST", "/models/recheck/versions/1.1.0/promote", { stage: "production", reason: "fast enough" }, as("alice"));
    for (let i = 0; i < 3; i++) await stack.call("POST", "/models/recheck/versions/1.1.0/batches", batch(500));
    // Act
    const approved = await stack.call("POST", "/models/recheck/versions/1.1.0/approve", { reason: "ok" }, as("bob"));
    // Assess
    expect(pending.status).toBe(202);
    expect(approved.status).toBe(409);
    expect(approved.body.error.code).toBe("GATE_FAILED");
    expect(approved.body.error.details.failed[0]).toMatchObject({ metric: "latencyP95Ms", rule: "max 100" });
    expect((await stack.call("GET", "/models/recheck/approvals?state=pending")).body.items).toHaveLength(1);
    expect((await stack.call("GET", "/models/recheck")).body.productionVersion).toBe("1.0.0");
  });

  it("force overrides the gates but never the approval", async () => {
    // Prepare
    await modelWithCandidate("forceeyes", { auc: 0.5 });
    await stack.call("PUT", "/models/forceeyes/promotion-policy", { gates: [{ metric: "auc", min: 0.85 }], requireApproval: ["production"] });
    // Act
    const pending = await stack.call("POST", "/models/forceeyes/versions/1.1.0/promote", { stage: "production", reason: "override", force: true }, as("alice"));
    const approved = await stack.call("POST", "/models/forceeyes/versions/1.1.0/approve", { reason: "accept the override" }, as("bob"));
    // Assess
    expect(pending.status).toBe(202);
    expect(pending.body.approval).toMatchObject({ force: true, gate: { passed: false, forced: true } });
    expect(approved.status).toBe(200);
    expect(approved.body.gate).toMatchObject({ passed: false, forced: true });
  });

  it("reject → 200 and the version stays where it was", async () => {
    // Prepare
    await modelWithCandidate("rej", { auc: 0.9 });
    await stack.call("PUT", "/models/rej/promotion-policy", { requireApproval: ["production"] });
    await stack.call("POST", "/models/rej/versions/1.1.0/promote", { stage: "production", reason: "please" }, as("alice"));
    // Act
    const rejected = await stack.call("POST", "/models/rej/versions/1.1.0/reject", { reason: "fairness report missing" }, as("bob"));
    const approveAfter = await stack.call("POST", "/models/rej/versions/1.1.0/approve", { reason: "x" }, as("carol"));
    // Assess
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: "rejected", approval: { state: "rejected", decidedBy: "bob", decisionReason: "fairness report missing" }, version: { stage: "staging" } });
    expect(approveAfter.status).toBe(409);
    expect(approveAfter.body.error.message).toMatch(/the last request was rejected by bob/);
    expect((await stack.call("GET", "/models/rej")).body.productionVersion).toBe("1.0.0");
    expect((await stack.call("GET", "/models/rej/approvals?state=rejected")).body.items).toHaveLength(1);
  });

  it("race: two approvals at once promote once", async () => {
    for (let run = 0; run < 5; run++) {
      // Prepare
      const model = `race-approve-${run}`;
      await modelWithCandidate(model, { auc: 0.9 });
      await stack.call("PUT", `/models/${model}/promotion-policy`, { requireApproval: ["production"] });
      await stack.call("POST", `/models/${model}/versions/1.1.0/promote`, { stage: "production", reason: "r" }, as("alice"));
      // Act
      const answers = await Promise.all(["bob", "carol", "dave"].map((who) => stack.call("POST", `/models/${model}/versions/1.1.0/approve`, { reason: `by ${who}` }, as(who))));
      // Assess
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
      const history = (await stack.call("GET", `/models/${model}/history?limit=50`)).body.items;
      expect(history.filter((h: any) => h.event === "promote" && h.to === "production" && h.version === "1.1.0")).toHaveLength(1);
      expect(history.filter((h: any) => h.event === "approve")).toHaveLength(1);
      const production = (await stack.call("GET", `/models/${model}/versions?stage=production`)).body.items;
      expect(production.map((v: any) => v.version)).toEqual(["1.1.0"]);
    }
  });

  it("aliases: set, read with the version's fields, listed on the version, moved (audited), deleted; a missing version is 404", async () => {
    // Prepare
    await register(stack, "al", { version: "1.0.0", metrics: { auc: 0.8 } });
    await register(stack, "al", { version: "1.1.0", metrics: { auc: 0.9 } });
    // Act
    const set = await stack.call("PUT", "/models/al/aliases/champion", { version: "1.0.0" }, as("alice"));
    const read = await stack.call("GET", "/models/al/aliases/champion");
    const moved = await stack.call("PUT", "/models/al/aliases/champion", { version: "1.1.0" }, as("bob"));
    const v100 = await stack.call("GET", "/models/al/versions/1.0.0");
    const v110 = await stack.call("GET", "/models/al/versions/1.1.0");
    const missing = await stack.call("PUT", "/models/al/aliases/champion", { version: "9.9.9" });
    const deleteAliased = await stack.call("DELETE", "/models/al/versions/1.1.0");
    const removed = await stack.call("DELETE", "/models/al/aliases/champion");
    const gone = await stack.call("GET", "/models/al/aliases/champion");
    const removedAgain = await stack.call("DELETE", "/models/al/aliases/champion");
    // Assess
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ alias: "champion", version: "1.0.0", previousVersion: null, updatedBy: "alice" });
    expect(read.body).toMatchObject({ alias: "champion", version: "1.0.0", metrics: { auc: 0.8 }, aliases: ["champion"] });
    expect(moved.body).toMatchObject({ version: "1.1.0", previousVersion: "1.0.0" });
    expect(v100.body.aliases).toEqual([]);
    expect(v110.body.aliases).toEqual(["champion"]);
    expect(missing.status).toBe(404);
    expect(deleteAliased.status).toBe(409);
    expect(removed.status).toBe(204);
    expect(gone.status).toBe(404);
    expect(removedAgain.status).toBe(404);
    expect((await stack.call("GET", "/models/al/versions/1.1.0")).body.aliases).toEqual([]);
    const audit = await auditOf(stack, "model.alias_moved", "al");
    expect(audit.map((a) => [a.actor, a.before?.version ?? null, a.after.version])).toEqual(expect.arrayContaining([["alice", null, "1.0.0"], ["bob", "1.0.0", "1.1.0"]]));
  });

  it("race: an alias moved concurrently ends on one version, the only one listing it", async () => {
    // Prepare
    const versions = ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0"];
    for (const v of versions) await register(stack, "alrace", { version: v });
    for (let run = 0; run < 3; run++) {
      // Act
      const answers = await Promise.all(versions.map((v) => stack.call("PUT", "/models/alrace/aliases/challenger", { version: v })));
      // Assess
      expect(answers.map((a) => a.status)).toEqual(versions.map(() => 200));
      const target = (await stack.call("GET", "/models/alrace/aliases/challenger")).body.version;
      const holders = (await stack.call("GET", "/models/alrace/versions?limit=100")).body.items.filter((v: any) => v.aliases.includes("challenger")).map((v: any) => v.version);
      expect(holders).toEqual([target]);
    }
  });

  it("tags: PATCH merges, null removes, and ?tag=key:value filters", async () => {
    // Prepare
    await register(stack, "tg", { version: "1.0.0", tags: { team: "risk", owner: "ann" } });
    await register(stack, "tg", { version: "1.1.0" });
    // Act
    const patched = await stack.call("PATCH", "/models/tg/versions/1.0.0", { tags: { owner: null, "role:kind": "champion" } });
    const tagged = await stack.call("PATCH", "/models/tg/versions/1.1.0", { tags: { team: "risk" } });
    const retagged = await stack.call("PATCH", "/models/tg/versions/1.1.0", { tags: { team: "growth" } });
    const risk = await stack.call("GET", "/models/tg/versions?tag=team:risk");
    const colon = await stack.call("GET", "/models/tg/versions?tag=team:gro");
    const bad = await stack.call("GET", "/models/tg/versions?tag=nocolon");
    const tooMany = await stack.call("PATCH", "/models/tg/versions/1.0.0", { tags: Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, "v"])) });
    const missing = await stack.call("PATCH", "/models/tg/versions/9.0.0", { tags: { a: "b" } });
    // Assess
    expect(patched.status).toBe(200);
    expect(patched.body.tags).toEqual({ team: "risk", "role:kind": "champion" });
    expect(tagged.body.tags).toEqual({ team: "risk" });
    expect(retagged.body.tags).toEqual({ team: "growth" });
    expect(risk.body.items.map((v: any) => v.version)).toEqual(["1.0.0"]);
    expect(colon.body.items).toEqual([]);
    expect(bad.status).toBe(400);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/at most 50 tags/);
    expect(missing.status).toBe(404);
    const history = (await stack.call("GET", "/models/tg/history")).body.items;
    expect(history.find((h: any) => h.event === "tag" && h.version === "1.0.0")).toMatchObject({ details: { set: { "role:kind": "champion" }, removed: ["owner"] } });
  });

  it("tags: concurrent patches of one version all apply", async () => {
    // Prepare
    await register(stack, "tgrace", { version: "1.0.0" });
    // Act
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => stack.call("PATCH", "/models/tgrace/versions/1.0.0", { tags: { [`k${i}`]: `v${i}` } })));
    // Assess
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const tags = (await stack.call("GET", "/models/tgrace/versions/1.0.0")).body.tags;
    expect(Object.keys(tags).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `k${i}`));
  });

  it("retention archives development and staging versions beyond the newest N, never production or aliased ones, audited, artifacts kept", async () => {
    // Prepare: 1.0.0 production, 1.1.0 aliased, 1.2.0 staging, 1.3.0 development; keepLast 2.
    await register(stack, "ret", { version: "1.0.0", stage: "staging", metrics: { auc: 0.9 } });
    await promote(stack, "ret", "1.0.0", "production");
    await register(stack, "ret", { version: "1.1.0" });
    await stack.call("PUT", "/models/ret/aliases/champion", { version: "1.1.0" });
    await register(stack, "ret", { version: "1.2.0", stage: "staging" });
    await register(stack, "ret", { version: "1.3.0" });
    await stack.call("PUT", "/models/ret/promotion-policy", { retention: { keepLast: 2 } });
    // Act: the registration, then its follow-up (relayed as the local server does)
    const reg = await register(stack, "ret", { version: "1.4.0" });
    await relay.drain();
    // Assess
    expect(reg.status).toBe(201);
    expect(reg.body.retention).toEqual({ keepLast: 2, continuing: true });
    const stages = Object.fromEntries((await stack.call("GET", "/models/ret/versions")).body.items.map((v: any) => [v.version, v.stage]));
    expect(stages).toEqual({ "1.4.0": "development", "1.3.0": "development", "1.2.0": "archived", "1.1.0": "development", "1.0.0": "production" });
    expect((await stack.call("GET", "/models/ret")).body.stagingVersions).toEqual([]);
    const archived = (await stack.call("GET", "/models/ret/versions/1.2.0")).body;
    expect(archived.artifact.status).toBe("available");
    expect((await stack.call("POST", "/models/ret/versions/1.2.0/artifact/verify")).body.matches).toBe(true);
    const audit = await auditOf(stack, "model.archived_by_retention", "ret");
    expect(audit.map((a) => a.version)).toEqual(["1.2.0"]);
    const history = (await stack.call("GET", "/models/ret/history")).body.items;
    expect(history.find((h: any) => h.event === "retention")).toMatchObject({ version: "1.2.0", from: "staging", to: "archived" });
  });

  it("retention leaves a version whose promotion awaits approval", async () => {
    // Prepare
    await register(stack, "retpending", { version: "1.0.0", stage: "staging" });
    await register(stack, "retpending", { version: "1.1.0", stage: "staging" });
    await stack.call("PUT", "/models/retpending/promotion-policy", { requireApproval: ["production"], retention: { keepLast: 1 } });
    await stack.call("POST", "/models/retpending/versions/1.0.0/promote", { stage: "production", reason: "first" }, as("alice"));
    // Act
    const reg = await register(stack, "retpending", { version: "1.2.0" });
    await relay.drain();
    // Assess
    expect(reg.body.retention).toEqual({ keepLast: 1, continuing: true });
    expect((await stack.call("GET", "/models/retpending/versions/1.1.0")).body.stage).toBe("archived");
    expect((await stack.call("GET", "/models/retpending/versions/1.0.0")).body.stage).toBe("staging");
  });
});
