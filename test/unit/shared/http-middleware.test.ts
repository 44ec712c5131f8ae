import { Hono, type Context, type MiddlewareHandler } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../../lambdas/shared/app-env.js";
import type { AuditEntry } from "../../../lambdas/shared/audit.js";
import { mapError } from "../../../lambdas/shared/errors.js";
import { accessAudit, bodySizeLimit, jsonContentType, localActorHeader, parsedJsonBody, requestContext, targetOf, wellFormedUrlText } from "../../../lambdas/shared/http-middleware.js";

/**
 * Each of hostApp's middlewares alone, on a one-route app in process (`app.request()`): no AWS, no other
 * middleware. Errors are answered the way hostApp answers them (mapError).
 */
function appWith(...middlewares: MiddlewareHandler<AppEnv>[]): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const m of middlewares) app.use("*", m);
  const echo = async (c: Context<AppEnv>) => {
    const body = ["POST", "PUT", "PATCH"].includes(c.req.method) ? await c.req.json().catch(() => null) : null;
    return c.json({ body, requestId: c.get("requestId") ?? null, caller: c.get("caller") ?? null }, c.req.query("status") === "409" ? 409 : 200);
  };
  app.all("/*", echo);
  app.onError((err, c) => {
    const mapped = mapError(err, "req-test");
    return c.json(mapped.body, mapped.status);
  });
  return app;
}

const errorOf = async (res: Response): Promise<{ code: string; message: string }> => ((await res.json()) as { error: { code: string; message: string } }).error;

describe("requestContext", () => {
  const lines: Array<{ message: string; fields: Record<string, unknown> }> = [];
  const logger = { info: (message: string, fields: Record<string, unknown>) => lines.push({ message, fields }), addContext: () => undefined };
  const app = appWith(requestContext(logger as never));

  it("sets the request id and caller, answers the id, and logs one line with the path's model and version", async () => {
    // Act
    const res = await app.request("/models/churn/versions/1.2.0/promote", { method: "GET", headers: { "x-request-id": "pipeline-7", [localActorHeader]: "alice" } });
    // Assess
    expect(res.headers.get("x-request-id")).toBe("pipeline-7");
    expect(await res.json()).toMatchObject({ requestId: "pipeline-7", caller: "alice" });
    expect(lines.at(-1)).toMatchObject({ message: "request", fields: { requestId: "pipeline-7", model: "churn", version: "1.2.0", method: "GET", status: 200, caller: "alice" } });
  });

  it("makes up an id for a hostile one, calls a local caller without a name 'local', and refuses a malformed name", async () => {
    // Act
    const hostile = await app.request("/x", { headers: { "x-request-id": "<b>" } });
    const bad = await app.request("/x", { headers: { [localActorHeader]: "al ice" } });
    // Assess
    expect(hostile.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await hostile.json()).toMatchObject({ caller: "local" });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toContain(`header.${localActorHeader}`);
  });

  it("behind API Gateway, the caller is the signing principal and the actor header is ignored", async () => {
    // Act
    const res = await app.request("/x", { headers: { [localActorHeader]: "mallory" } }, { event: { requestContext: { identity: { userArn: "arn:aws:iam::123456789012:user/bob" } } }, lambdaContext: { awsRequestId: "lambda-1" } });
    // Assess
    expect(await res.json()).toMatchObject({ caller: "arn:aws:iam::123456789012:user/bob", requestId: "lambda-1" });
  });

  it("targetOf reads the model and version a path names, decoded, and keeps a malformed escape", () => {
    expect(targetOf("/models/a%20b/versions/2.0.0/x")).toEqual({ model: "a b", version: "2.0.0" });
    expect(targetOf("/models/%FF")).toEqual({ model: "%FF", version: undefined });
    expect(targetOf("/alerts")).toEqual({});
  });
});

describe("jsonContentType", () => {
  const app = appWith(jsonContentType());

  it.each([
    ["text/plain", 415],
    ["application/json; charset=latin1", 415],
    ["application/json; charset=utf-8", 200],
    ["application/merge-patch+json", 200],
  ])("a body of type %s answers %i", async (type, status) => {
    // Act
    const res = await app.request("/x", { method: "POST", headers: { "content-type": type }, body: "{}" });
    // Assess
    expect(res.status).toBe(status);
    if (status === 415) expect((await errorOf(res)).code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("refuses a body with a length but no type, and lets a GET through whatever it declares", async () => {
    // Act
    const untyped = await app.request("/x", { method: "PUT", headers: { "content-length": "2" } });
    const get = await app.request("/x", { headers: { "content-type": "text/plain" } });
    // Assess
    expect(untyped.status).toBe(415);
    expect(get.status).toBe(200);
  });
});

describe("bodySizeLimit", () => {
  it("answers 413 for a body over the limit, and lets one at the limit through", async () => {
    // Prepare
    const app = appWith(bodySizeLimit(1024 * 1024));
    const at = JSON.stringify({ a: "x".repeat(1024 * 1024 - 10) });
    // Act
    const over = await app.request("/x", { method: "POST", headers: { "content-type": "application/json" }, body: `${at}${" ".repeat(20)}` });
    const ok = await app.request("/x", { method: "POST", headers: { "content-type": "application/json" }, body: at });
    // Assess
    expect(over.status).toBe(413);
    expect(await errorOf(over)).toMatchObject({ code: "PAYLOAD_TOO_LARGE", message: "request body exceeds the 1 MB limit" });
    expect(ok.status).toBe(200);
  });
});

describe("wellFormedUrlText", () => {
  /** A parsed URL never holds a lone surrogate (it becomes U+FFFD), so the check is driven with the text directly. */
  const run = async (path: string, queries: Record<string, string[]>): Promise<unknown> => {
    let reached = false;
    const c = { req: { path, queries: () => queries } } as never;
    try {
      await wellFormedUrlText()(c, async () => {
        reached = true;
      });
    } catch (err) {
      return err;
    }
    return reached;
  };

  it("refuses a lone surrogate in the path, a query name or a query value, naming where", async () => {
    // Act
    const outcomes = await Promise.all([run("/models/a\ud800b", {}), run("/x", { ["m\udc00"]: ["1"] }), run("/x", { model: ["\ud800"] })]);
    // Assess
    expect(outcomes.map((e) => (e as Error).message)).toEqual([
      "path: text is not well-formed UTF-16 (a lone surrogate); send valid Unicode",
      "query: text is not well-formed UTF-16 (a lone surrogate); send valid Unicode",
      "query.model: text is not well-formed UTF-16 (a lone surrogate); send valid Unicode",
    ]);
  });

  it("lets well-formed text through, on a real request too", async () => {
    expect(await run("/models/caf\u00e9\ud83d\ude00", { limit: ["2"] })).toBe(true);
    expect((await appWith(wellFormedUrlText()).request("/models/caf%C3%A9?limit=2&m=%ED%A0%80")).status).toBe(200);
  });
});

describe("parsedJsonBody", () => {
  const app = appWith(parsedJsonBody());

  it("hands the route the body it parsed once", async () => {
    // Act
    const res = await app.request("/x", { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":[1,2]}' });
    // Assess
    expect(await res.json()).toMatchObject({ body: { a: [1, 2] } });
  });

  it("answers 400 for invalid JSON and for a body nested past the depth limit", async () => {
    // Act
    const broken = await app.request("/x", { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":' });
    const deep = await app.request("/x", { method: "POST", headers: { "content-type": "application/json" }, body: `${"[".repeat(200)}${"]".repeat(200)}` });
    // Assess
    expect(broken.status).toBe(400);
    expect(await errorOf(broken)).toMatchObject({ code: "VALIDATION_ERROR", message: "request body is not valid JSON" });
    expect(deep.status).toBe(400);
  });
});

describe("accessAudit", () => {
  it("records a successful mutation with its caller, model and version, and nothing for reads, refusals or /events", async () => {
    // Prepare
    const entries: AuditEntry[] = [];
    const app = appWith(requestContext({ info: () => undefined, addContext: () => undefined } as never), accessAudit(async (e) => entries.push(e)));
    // Act
    await app.request("/models/churn/versions/1.0.0/promote", { method: "POST", headers: { "content-type": "application/json", "x-request-id": "r-1", [localActorHeader]: "carol" }, body: "{}" });
    await app.request("/models/churn", { method: "GET" });
    await app.request("/models/churn?status=409", { method: "DELETE" });
    await app.request("/events", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    // Assess
    expect(entries).toEqual([
      { type: "api.request", actor: "carol", model: "churn", version: "1.0.0", target: "/models/churn/versions/1.0.0/promote", details: { method: "POST", status: 200 }, requestId: "r-1" },
    ]);
  });
});
