/**
 * Retention's work on one registration is bounded, against the emulator: with a backlog of versions to
 * archive, the registration archives at most 5 (oldest first), says how many remain and that a follow-up
 * is archiving them (`continuing`); the follow-up (lambdas/registry/retention-dispatch.ts, in-process here
 * as in local mode) archives the rest in bounded batches until none is left. Every archive has its history
 * and audit entry; production, aliased and pending_approval versions are never touched.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { auditEntries } from "../observe.js";
import { createTestStack, type TestStack } from "../stack.js";
import { promote, register } from "./helpers.js";
import { settleRetention } from "../../../lambdas/registry/retention-dispatch.js";

const perRegistration = 5;

describe("registry: bounded retention", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("reg-retention");
  });

  it("archives at most 5 on the registration, oldest first, and the rest after it until the backlog is gone; never production, aliased or pending versions", async () => {
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
    // Act: one registration, then the follow-up it started.
    const reg = await register(stack, "backlog", { version: "3.0.0" });
    await settleRetention();
    // Assess: the answer archived 5 and left 7 to the follow-up, which archived all of them.
    expect(reg.status).toBe(201);
    expect(reg.body.retention).toEqual({ keepLast: 1, archived: backlog.slice(0, perRegistration), remaining: backlog.length - perRegistration, continuing: true });
    const stages = Object.fromEntries((await stack.call("GET", "/models/backlog/versions?limit=100")).body.items.map((v: any) => [v.version, v.stage]));
    expect(stages["1.0.0"]).toBe("production");
    expect(stages["1.1.0"]).toBe("development");
    expect(stages["1.2.0"]).toBe("development");
    expect(Object.entries(stages).filter(([, s]) => s === "development").map(([v]) => v).sort()).toEqual(["1.1.0", "1.2.0", "3.0.0"]);
    expect(Object.entries(stages).filter(([, s]) => s === "archived").map(([v]) => v).sort()).toEqual([...backlog].sort());
    const archived = backlog;
    // The next registration finds nothing left but the version it pushes out of the newest 1.
    const next = await register(stack, "backlog", { version: "3.1.0" });
    expect(next.body.retention).toEqual({ keepLast: 1, archived: ["3.0.0"], remaining: 0 });
    archived.push("3.0.0");
    expect((await stack.call("GET", "/models/backlog/approvals?state=pending")).body.items.map((a: any) => a.version)).toEqual(["1.2.0"]);
    // History and audit for every archive.
    const history = (await stack.call("GET", "/models/backlog/history?limit=100")).body.items.filter((h: any) => h.event === "retention");
    expect(history.map((h: any) => h.version).sort()).toEqual([...archived].sort());
    const audit = (await auditEntries(stack.names.auditLogGroup, '"model.archived_by_retention"')).filter((a) => a.model === "backlog");
    expect(audit.map((a) => a.version).sort()).toEqual([...archived].sort());
  });

  it("does not read archived versions: a model with many archived ones and nothing to do answers remaining 0", async () => {
    // Prepare: 8 versions, retention keepLast 2 archives 7: 5 on the registration, 2 after it.
    for (let i = 0; i < 8; i++) await register(stack, "drained", { version: `1.${i}.0` });
    await stack.call("PUT", "/models/drained/promotion-policy", { retention: { keepLast: 2 } });
    const first = await register(stack, "drained", { version: "2.0.0" });
    await settleRetention();
    const second = await register(stack, "drained", { version: "2.1.0" });
    // Act
    const third = await register(stack, "drained", { version: "2.2.0" });
    // Assess
    expect(first.body.retention).toEqual({ keepLast: 2, archived: ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"], remaining: 2, continuing: true });
    expect(second.body.retention).toEqual({ keepLast: 2, archived: ["1.7.0"], remaining: 0 });
    expect(third.body.retention).toEqual({ keepLast: 2, archived: ["2.0.0"], remaining: 0 });
  });

  it("a backlog of 30 is archived after one registration in batches of at most 5, each with its history and audit entry", async () => {
    // Prepare: 31 development versions, then keepLast 1.
    for (let i = 0; i <= 30; i++) await register(stack, "deep", { version: `1.${i}.0` });
    await stack.call("PUT", "/models/deep/promotion-policy", { retention: { keepLast: 1 } });
    // Act
    const reg = await register(stack, "deep", { version: "2.0.0" });
    const answeredRemaining = reg.body.retention.remaining;
    await settleRetention();
    // Assess: 31 to archive, 5 on the registration, 26 after it; nothing left, each once.
    expect(reg.body.retention).toMatchObject({ archived: ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"], continuing: true });
    expect(answeredRemaining).toBe(26);
    const items = (await stack.call("GET", "/models/deep/versions?limit=100")).body.items;
    expect(items.filter((v: any) => v.stage === "archived")).toHaveLength(31);
    expect(items.filter((v: any) => v.stage !== "archived").map((v: any) => v.version)).toEqual(["2.0.0"]);
    const history = (await stack.call("GET", "/models/deep/history?limit=100")).body.items.filter((h: any) => h.event === "retention");
    expect(history).toHaveLength(31);
    const audit = (await auditEntries(stack.names.auditLogGroup, '"model.archived_by_retention"')).filter((a) => a.model === "deep");
    expect(audit.map((a) => a.version).sort()).toEqual(history.map((h: any) => h.version).sort());
    expect(new Set(audit.map((a) => a.version)).size).toBe(31);
  });
});
