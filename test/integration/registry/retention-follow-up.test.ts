/**
 * Retention off the request path, against the emulator: a registration of a model with `retention.keepLast`
 * archives nothing before it answers; it publishes `mlwatch Retention Pending`, the stack's rule
 * (`retention-pending`, relayed through its SQS queue as the local server does) brings it back to the
 * registry, which archives the backlog in bounded batches, each archive with its history and audit entry,
 * and publishes the event again when a run stops with versions left. Production, aliased and
 * pending_approval versions are never touched.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runRetentionJob } from "../../../lambdas/registry/retention-dispatch.js";
import { eventBridgeClient } from "../../../lambdas/shared/aws.js";
import { injectFault } from "../faults.js";
import { auditEntries } from "../observe.js";
import { createTestStack, type TestStack } from "../stack.js";
import { eventRelay, promote, register } from "./helpers.js";

describe("registry: retention's follow-up", () => {
  let stack: TestStack;
  let relay: Awaited<ReturnType<typeof eventRelay>>;
  beforeAll(async () => {
    stack = await createTestStack("reg-retention");
    relay = await eventRelay(stack);
  });

  const stagesOf = async (model: string): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    let token: string | null = null;
    do {
      const page: any = (await stack.call("GET", `/models/${model}/versions?limit=100${token ? `&nextToken=${encodeURIComponent(token)}` : ""}`)).body;
      for (const v of page.items) out[v.version] = v.stage;
      token = page.nextToken;
    } while (token);
    return out;
  };
  const withStage = (stages: Record<string, string>, stage: string): string[] =>
    Object.entries(stages)
      .filter(([, s]) => s === stage)
      .map(([v]) => v)
      .sort();

  it("keepLast 1 over 60 versions: the registration archives nothing and answers; the follow-up archives all 60, each with history and audit; never production, aliased or pending versions", async () => {
    // Prepare: 1.0.0 production, 1.1.0 aliased, 1.2.0 awaiting approval, then 60 development versions.
    await register(stack, "backlog", { version: "1.0.0", stage: "staging", metrics: { auc: 0.9 } });
    await promote(stack, "backlog", "1.0.0", "production");
    await register(stack, "backlog", { version: "1.1.0" });
    await stack.call("PUT", "/models/backlog/aliases/shadow", { version: "1.1.0" });
    await register(stack, "backlog", { version: "1.2.0" });
    await stack.call("PUT", "/models/backlog/promotion-policy", { requireApproval: ["staging"] });
    const asked = await stack.call("POST", "/models/backlog/versions/1.2.0/promote", { stage: "staging", reason: "r" }, { "x-mlwatch-actor": "alice" });
    expect(asked.status).toBe(202);
    const backlog = Array.from({ length: 60 }, (_, i) => `2.${i}.0`);
    for (const v of backlog) expect((await register(stack, "backlog", { version: v })).status).toBe(201);
    await stack.call("PUT", "/models/backlog/promotion-policy", { requireApproval: ["staging"], retention: { keepLast: 1 } });
    // Act: one registration; what it left behind; then its follow-up.
    const reg = await register(stack, "backlog", { version: "3.0.0" }, { "x-mlwatch-actor": "carol" });
    const atAnswer = await stagesOf("backlog");
    const handled = await relay.drain();
    // Assess: the answer archived nothing and said a follow-up runs; the follow-up archived the 60.
    expect(reg.status).toBe(201);
    expect(reg.body.retention).toEqual({ keepLast: 1, continuing: true });
    expect(withStage(atAnswer, "archived")).toEqual([]);
    expect(handled).toBe(1);
    const stages = await stagesOf("backlog");
    expect(stages["1.0.0"]).toBe("production");
    expect(withStage(stages, "development")).toEqual(["1.1.0", "1.2.0", "3.0.0"]);
    expect(withStage(stages, "archived")).toEqual([...backlog].sort());
    expect((await stack.call("GET", "/models/backlog/approvals?state=pending")).body.items.map((a: any) => a.version)).toEqual(["1.2.0"]);
    // History and audit for every archive, once each, by the caller who registered.
    const history = (await stack.call("GET", "/models/backlog/history?limit=100")).body.items.filter((h: any) => h.event === "retention");
    expect(history.map((h: any) => h.version).sort()).toEqual([...backlog].sort());
    expect(new Set(history.map((h: any) => h.actor))).toEqual(new Set(["carol"]));
    const audit = (await auditEntries(stack.names.auditLogGroup, '"model.archived_by_retention"')).filter((a) => a.model === "backlog");
    expect(audit.map((a) => a.version).sort()).toEqual([...backlog].sort());
    expect(new Set(audit.map((a) => a.actor))).toEqual(new Set(["carol"]));
    // The next registration's follow-up finds only the version it pushes out of the newest 1.
    const next = await register(stack, "backlog", { version: "3.1.0" });
    await relay.drain();
    expect(next.body.retention).toEqual({ keepLast: 1, continuing: true });
    expect((await stagesOf("backlog"))["3.0.0"]).toBe("archived");
  });

  it("a run that stops with versions left (its time budget spent) publishes the event again, and the relay finishes the backlog", async () => {
    // Prepare: 12 development versions, keepLast 2, no registration since.
    for (let i = 0; i < 12; i++) await register(stack, "handoff", { version: `1.${i}.0` });
    await stack.call("PUT", "/models/handoff/promotion-policy", { retention: { keepLast: 2 } });
    // Act: a run whose clock jumps past its budget after the first batch of 5; then the relay.
    let t = 0;
    const first = await runRetentionJob({ model: "handoff", keepLast: 2, caller: "local", requestId: "r-handoff" }, () => (t += 20_000));
    const atHandOff = withStage(await stagesOf("handoff"), "archived");
    const handled = await relay.drain();
    // Assess: 5 archived by the first run, the other 5 by the run its event started.
    expect(first).toEqual({ archived: 5, remaining: 5, continued: true });
    expect(atHandOff).toEqual(["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"]);
    expect(handled).toBe(1);
    const stages = await stagesOf("handoff");
    expect(withStage(stages, "archived")).toHaveLength(10);
    expect(withStage(stages, "development")).toEqual(["1.10.0", "1.11.0"]);
  });

  it("when the event cannot be published the registration still succeeds, says the follow-up did not start, and the next registration starts it", async () => {
    // Prepare
    for (let i = 0; i < 4; i++) await register(stack, "unsent", { version: `1.${i}.0` });
    await stack.call("PUT", "/models/unsent/promotion-policy", { retention: { keepLast: 1 } });
    // Act
    const fault = injectFault(eventBridgeClient(), /^PutEventsCommand$/);
    let failed;
    try {
      failed = await register(stack, "unsent", { version: "2.0.0" });
    } finally {
      fault.remove();
    }
    const nothing = await relay.drain();
    const archivedBefore = withStage(await stagesOf("unsent"), "archived");
    const next = await register(stack, "unsent", { version: "2.1.0" });
    await relay.drain();
    // Assess
    expect(failed.status).toBe(201);
    expect(failed.body.retention).toEqual({ keepLast: 1, continuing: false });
    expect(nothing).toBe(0);
    expect(archivedBefore).toEqual([]);
    expect(next.body.retention).toEqual({ keepLast: 1, continuing: true });
    expect(withStage(await stagesOf("unsent"), "archived")).toEqual(["1.0.0", "1.1.0", "1.2.0", "1.3.0", "2.0.0"]);
  });

  it("a model without retention publishes nothing and says nothing about it", async () => {
    const reg = await register(stack, "plain", { version: "1.0.0" });
    expect(reg.body.retention).toBeUndefined();
    expect(await relay.drain()).toBe(0);
  });
});
