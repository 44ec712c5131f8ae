/**
 * Retention's work on one registration is bounded, against the emulator: with a backlog of versions to
 * archive, each registration archives at most 5 (oldest first) and says how many remain; the following
 * registrations finish the job. Every archive has its history and audit entry; production, aliased and
 * pending-approval versions are never touched, however many registrations pass.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { auditEntries } from "../observe.js";
import { createTestStack, type TestStack } from "../stack.js";
import { promote, register } from "./helpers.js";

const perRegistration = 5;

describe("registry: bounded retention", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("reg-retention");
  });

  it("archives at most 5 per registration, oldest first, until the backlog is gone; never production, aliased or pending versions", async () => {
    // Prepare: 1.0.0 production, 1.1.0 aliased, 1.2.0 awaiting approval, then 12 development versions.
    await register(stack, "backlog", { version: "1.0.0", stage: "staging", metrics: { auc: 0.9 } });
    await promote(stack, "backlog", "1.0.0", "production");
    await register(stack, "backlog", { version: "1.1.0" });
    await stack.call("PUT", "/models/backlog/aliases/shadow", { version: "1.1.0" });
    await register(stack, "backlog", { version: "1.2.0" });
    await stack.call("PUT", "/models/backlog/promotion-policy", { requireApproval: ["staging"] });
    const asked = await stack.call("POST", "/models/backlog/versions/1.2.0/promote", { stage: "staging", reason: "r" }, { "x-mlwatch-actor": "alice" });
    expect(asked.status).toBe(202);
    const backlog = Array.from({ length: 12 }, (_, i) => `2.${i}.0`);
    for (const v of backlog) await register(stack, "backlog", { version: v });
    await stack.call("PUT", "/models/backlog/promotion-policy", { requireApproval: ["staging"], retention: { keepLast: 1 } });
    // Act: register until retention reports nothing left (bounded: at most 5 registrations).
    const outcomes: any[] = [];
    for (let i = 0; i < 5; i++) {
      const reg = await register(stack, "backlog", { version: `3.${i}.0` });
      expect(reg.status).toBe(201);
      outcomes.push(reg.body.retention);
      if (reg.body.retention.remaining === 0) break;
    }
    // Assess: 12 backlog versions plus each new one that falls out of the newest 1.
    for (const o of outcomes) expect(o.archived.length).toBeLessThanOrEqual(perRegistration);
    expect(outcomes[0].archived).toEqual(backlog.slice(0, perRegistration));
    expect(outcomes[0].remaining).toBe(backlog.length - perRegistration);
    expect(outcomes[outcomes.length - 1].remaining).toBe(0);
    const archived = outcomes.flatMap((o) => o.archived);
    expect(new Set(archived).size).toBe(archived.length);
    expect(archived).toEqual(expect.arrayContaining(backlog));
    const stages = Object.fromEntries((await stack.call("GET", "/models/backlog/versions?limit=100")).body.items.map((v: any) => [v.version, v.stage]));
    expect(stages["1.0.0"]).toBe("production");
    expect(stages["1.1.0"]).toBe("development");
    expect(stages["1.2.0"]).toBe("development");
    const newest = `3.${outcomes.length - 1}.0`;
    expect(Object.entries(stages).filter(([, s]) => s === "development").map(([v]) => v).sort()).toEqual(["1.1.0", "1.2.0", newest]);
    expect((await stack.call("GET", "/models/backlog/approvals?state=pending")).body.items.map((a: any) => a.version)).toEqual(["1.2.0"]);
    // History and audit for every archive.
    const history = (await stack.call("GET", "/models/backlog/history?limit=100")).body.items.filter((h: any) => h.event === "retention");
    expect(history.map((h: any) => h.version).sort()).toEqual([...archived].sort());
    const audit = (await auditEntries(stack.names.auditLogGroup, '"model.archived_by_retention"')).filter((a) => a.model === "backlog");
    expect(audit.map((a) => a.version).sort()).toEqual([...archived].sort());
  });

  it("does not read archived versions: a model with many archived ones and nothing to do answers remaining 0", async () => {
    // Prepare: 8 versions, retention keepLast 2 archives 6 over two registrations.
    for (let i = 0; i < 8; i++) await register(stack, "drained", { version: `1.${i}.0` });
    await stack.call("PUT", "/models/drained/promotion-policy", { retention: { keepLast: 2 } });
    const first = await register(stack, "drained", { version: "2.0.0" });
    const second = await register(stack, "drained", { version: "2.1.0" });
    // Act
    const third = await register(stack, "drained", { version: "2.2.0" });
    // Assess
    expect(first.body.retention).toMatchObject({ archived: ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"], remaining: 2 });
    expect(second.body.retention).toMatchObject({ archived: ["1.5.0", "1.6.0", "1.7.0"], remaining: 0 });
    expect(third.body.retention).toEqual({ keepLast: 2, archived: ["2.0.0"], remaining: 0 });
  });
});
