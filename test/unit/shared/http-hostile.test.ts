import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createRoutes, hostApp } from "../../../lambdas/shared/http.js";

/**
 * Regressions found by the hostile-input property test (test/integration/local/hostile-input.test.ts),
 * in-process and without AWS: GET routes skip idempotency and audit.
 */
describe("host app under hostile paths and headers", () => {
  const routes = createRoutes();
  routes.get("/models/:model/history", (c) => {
    const model = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/).safeParse(c.req.param("model"));
    return model.success ? c.json({ model: model.data }) : c.json({ error: { code: "VALIDATION_ERROR", message: "path.model: must be a name" } }, 400);
  });
  const app = hostApp("hostile", routes);

  it.each(["%FF", "%", "%E0%A4%A", "a%ZZ"])("answers a path with the malformed escape %s with a 4xx, not a 500", async (segment) => {
    // Act
    const res = await app.request(`/models/${segment}/history`);
    // Assess
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_ERROR");
  });

  it("uses a caller's request id only when it is a plain token", async () => {
    // Act
    const plain = await app.request("/models/m/history", { headers: { "x-request-id": "pipeline-42:retry.1" } });
    const hostile = await app.request("/models/m/history", { headers: { "x-request-id": "<script>alert(1)</script>" } });
    const long = await app.request("/models/m/history", { headers: { "x-request-id": "a".repeat(300) } });
    // Assess
    expect(plain.headers.get("x-request-id")).toBe("pipeline-42:retry.1");
    expect(hostile.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(long.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
