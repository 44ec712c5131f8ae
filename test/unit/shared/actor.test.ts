/**
 * The caller of a request: the IAM principal behind API Gateway (the actor header ignored), the
 * `x-mlwatch-actor` name on a local host, `local` without one.
 */
import { describe, expect, it } from "vitest";
import { createRoutes, hostApp } from "../../../lambdas/shared/http.js";

const routes = createRoutes();
routes.get("/whoami", (c) => c.json({ caller: c.get("caller") }));
const app = hostApp("actor-test", routes);

describe("caller identity", () => {
  it("is the IAM principal on Lambda, whatever x-mlwatch-actor claims", async () => {
    // Act
    const res = await app.request("/whoami", { headers: { "x-mlwatch-actor": "bob" } }, { event: { requestContext: { identity: { userArn: "arn:aws:iam::123456789012:user/alice" } } } });
    // Assess
    expect(await res.json()).toEqual({ caller: "arn:aws:iam::123456789012:user/alice" });
  });

  it("is the x-mlwatch-actor name on a local host, and local without it", async () => {
    expect(await (await app.request("/whoami", { headers: { "x-mlwatch-actor": "bob" } })).json()).toEqual({ caller: "bob" });
    expect(await (await app.request("/whoami")).json()).toEqual({ caller: "local" });
  });

  it("refuses a malformed local actor name with a 400", async () => {
    // Act
    const res = await app.request("/whoami", { headers: { "x-mlwatch-actor": "bob smith<script>" } });
    // Assess
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^header\.x-mlwatch-actor: must be 1-64 characters/);
  });
});
