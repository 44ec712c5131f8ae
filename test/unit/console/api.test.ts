/** The console's adapters: envelopes, paths, paging and error answers, over a fake fetch. */
import { describe, expect, it } from "vitest";
import { ApiAnswerError, ConsoleApi, apiPath, pageOf, type ApiRequest } from "../../../lambdas/console/api.js";

const json = (body: unknown, status = 200): Response => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("pageOf", () => {
  it("reads {items, nextToken}, with the fields a listing carries beside them", () => {
    expect(pageOf({ items: [1, 2], nextToken: "t" })).toEqual({ items: [1, 2], nextToken: "t" });
    expect(pageOf({ model: "m", items: [3], nextToken: null })).toEqual({ items: [3], nextToken: null });
    expect(pageOf({ activeBaselineId: "b", items: [4], nextToken: null })).toEqual({ items: [4], nextToken: null });
    expect(pageOf(undefined)).toEqual({ items: [], nextToken: null });
  });
});

describe("apiPath", () => {
  it("encodes every segment and drops empty query values", () => {
    expect(apiPath(["models", "a/b", "drift-checks", "x y"], { limit: 5, state: undefined, type: "" })).toBe("/models/a%2Fb/drift-checks/x%20y?limit=5");
  });
});

describe("ConsoleApi", () => {
  it("follows nextToken through a listing and sends the local actor with every call", async () => {
    const seen: ApiRequest[] = [];
    const api = new ConsoleApi(async (r) => {
      seen.push(r);
      return r.path.includes("nextToken=p2") ? json({ items: [{ model: "b" }], nextToken: null }) : json({ items: [{ model: "a" }], nextToken: "p2" });
    }, "alice");
    expect((await api.models()).map((m) => m.model)).toEqual(["a", "b"]);
    expect(seen.map((r) => r.path)).toEqual(["/models?limit=100", "/models?limit=100&nextToken=p2"]);
    expect(seen.every((r) => r.actor === "alice")).toBe(true);
  });

  it("turns an error answer into ApiAnswerError with the API's code and message, and a missing policy into undefined", async () => {
    const api = new ConsoleApi(async (r) => (r.path.endsWith("promotion-policy") ? json({ error: { code: "NOT_FOUND", message: "no policy" } }, 404) : json({ error: { code: "FORBIDDEN", message: "not your own" } }, 403)));
    expect(await api.policy("m")).toBeUndefined();
    const err = await api.approve("m", "1.0.0", "ok").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiAnswerError);
    expect(err).toMatchObject({ status: 403, code: "FORBIDDEN", message: "not your own" });
  });

  it("sends actions as JSON bodies to the API's action routes", async () => {
    const seen: ApiRequest[] = [];
    const api = new ConsoleApi(async (r) => {
      seen.push(r);
      return json({});
    });
    await api.acknowledge("20261201T000000000Z-abcdef", "on it");
    await api.promote("m", "1.0.0", "production", "ready");
    expect(seen).toEqual([
      { method: "POST", path: "/alerts/20261201T000000000Z-abcdef/acknowledge", body: { reason: "on it" }, actor: undefined },
      { method: "POST", path: "/models/m/versions/1.0.0/promote", body: { stage: "production", reason: "ready" }, actor: undefined },
    ]);
  });
});
