import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { auditEntries } from "../observe.js";
import { createRoutes, hostApp } from "../../../lambdas/shared/http.js";

describe("POST /events and GET /audit against the emulator", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("events");
  });

  it("writes a pipeline event to the audit log group and answers 201 with the entry", async () => {
    // Act
    const res = await stack.call("POST", "/events", {
      type: "training_completed",
      model: "churn",
      version: "1.2.0",
      jobName: "train-2026-11-24",
      details: { durationSeconds: 812, instance: "ml.m5.xlarge" },
    });
    // Assess
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: "event.training_completed", actor: "local", model: "churn", version: "1.2.0" });
    const stored = await auditEntries(stack.names.auditLogGroup, `"${res.body.id}"`);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      id: res.body.id,
      type: "event.training_completed",
      target: "models/churn/versions/1.2.0",
      details: { jobName: "train-2026-11-24", durationSeconds: 812, instance: "ml.m5.xlarge" },
    });
  });

  it("reads entries back newest first, filtered by model and type, across pages", async () => {
    // Prepare: five events for one model, one for another
    for (let i = 0; i < 5; i++) {
      const r = await stack.call("POST", "/events", { type: "custom", model: "paged", details: { i } });
      expect(r.status).toBe(201);
      await new Promise((r) => setTimeout(r, 5));
    }
    await stack.call("POST", "/events", { type: "custom", model: "other", details: { i: 99 } });
    // Act: two pages of two, then the rest
    const first = await stack.call("GET", "/audit?model=paged&type=event.custom&limit=2");
    const second = await stack.call("GET", `/audit?model=paged&type=event.custom&limit=2&nextToken=${first.body.nextToken}`);
    const third = await stack.call("GET", `/audit?model=paged&type=event.custom&limit=2&nextToken=${second.body.nextToken}`);
    // Assess
    expect(first.status).toBe(200);
    const seq = [...first.body.items, ...second.body.items, ...third.body.items].map((e: any) => e.details.i);
    expect(seq).toEqual([4, 3, 2, 1, 0]);
    expect(third.body.nextToken).toBeNull();
    const prefixed = await stack.call("GET", "/audit?type=event.*&limit=200");
    expect(prefixed.body.items.some((e: any) => e.model === "other")).toBe(true);
  });

  it("honours since/until and rejects a garbage page token (a reversed window: test/unit/local/validation.test.ts)", async () => {
    const future = await stack.call("GET", `/audit?since=${Date.now() + 3600_000}&until=${Date.now() + 7200_000}`);
    expect(future.status).toBe(200);
    expect(future.body.items).toEqual([]);
    const badToken = await stack.call("GET", "/audit?nextToken=garbage");
    expect(badToken.status).toBe(400);
  });
});

describe("automatic audit of mutating calls", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("autoaudit");
  });

  it("records who, what, when and the target of every successful mutation, and nothing for reads or failures", async () => {
    // Act: one failing mutation (no such route → 404), one read; then a successful one through the events route is excluded
    await stack.call("GET", "/health");
    await stack.call("POST", "/no/such/route", { a: 1 });
    const before = await auditEntries(stack.names.auditLogGroup, '"api.request"');
    // Assess
    expect(before).toEqual([]);
  });

  it("records a successful mutation with caller, path, model and version", async () => {
    // Prepare: a host with one mutating route, the same middleware chain every service gets
    const routes = createRoutes();
    routes.put("/models/:model/versions/:version/labels", (c) => c.json({ ok: true }, 200));
    const app = hostApp("test", routes);
    // Act
    const res = await app.request("/models/churn/versions/2.0.0/labels", {
      method: "PUT",
      headers: { "content-type": "application/json", "x-request-id": "audit-req-1" },
      body: JSON.stringify({ label: "x" }),
    });
    // Assess
    expect(res.status).toBe(200);
    const entries = await auditEntries(stack.names.auditLogGroup, '"audit-req-1"');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      type: "api.request",
      actor: "local",
      model: "churn",
      version: "2.0.0",
      target: "/models/churn/versions/2.0.0/labels",
      details: { method: "PUT", status: 200 },
      requestId: "audit-req-1",
    });
    expect(Date.parse(entries[0].time)).toBeGreaterThan(Date.now() - 60_000);
  });
});
