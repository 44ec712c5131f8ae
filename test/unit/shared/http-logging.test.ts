import { afterEach, describe, expect, it, vi } from "vitest";

/**
 * One structured JSON line per request, and errors logged with type, message and stack while the
 * caller gets only a request id. Uses a host app without AWS calls (GET routes skip idempotency and audit).
 */
describe("structured request logging", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function capture(run: () => Promise<void>): Promise<any[]> {
    const lines: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, "write").mockImplementation((chunk: any) => {
        lines.push(String(chunk));
        return true;
      });
    }
    await run();
    vi.restoreAllMocks();
    return lines
      .join("")
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l));
  }

  it("writes level, timestamp, service, request id, model, version and the request's outcome", async () => {
    // Prepare: a logger at INFO (the test config silences logs by default)
    process.env.POWERTOOLS_LOG_LEVEL = "INFO";
    const { createRoutes, hostApp } = await import("../../../lambdas/shared/http.js");
    const routes = createRoutes();
    routes.get("/models/:model/versions/:version", (c) => c.json({ ok: true }));
    const app = hostApp("logcheck", routes);
    // Act
    const lines = await capture(async () => {
      await app.request("/models/churn/versions/1.2.0", { headers: { "x-request-id": "req-log-1" } });
    });
    // Assess
    const line = lines.find((l) => l.requestId === "req-log-1");
    expect(line).toMatchObject({
      level: "INFO",
      service: "mlwatch-logcheck",
      message: "request",
      requestId: "req-log-1",
      model: "churn",
      version: "1.2.0",
      method: "GET",
      status: 200,
      caller: "local",
    });
    expect(Date.parse(line.timestamp)).toBeGreaterThan(0);
    expect(typeof line.durationMs).toBe("number");
    // The first test imports lambdas/shared/http.js and its module graph: 5 s and more at load 26 on 2 cores.
  }, 60_000);

  it("logs an unexpected error with type, message and stack; the caller sees only the request id", async () => {
    process.env.POWERTOOLS_LOG_LEVEL = "INFO";
    const { createRoutes, hostApp } = await import("../../../lambdas/shared/http.js");
    const routes = createRoutes();
    routes.get("/boom", () => {
      throw new TypeError("cannot read secret of undefined");
    });
    const app = hostApp("logcheck2", routes);
    let res: Response | undefined;
    const lines = await capture(async () => {
      res = await app.request("/boom", { headers: { "x-request-id": "req-err-1" } });
    });
    const body = (await res!.json()) as any;
    expect(res!.status).toBe(500);
    expect(body).toEqual({ error: { code: "INTERNAL_ERROR", message: "internal error; quote request id req-err-1 when reporting it", requestId: "req-err-1" } });
    expect(JSON.stringify(body)).not.toContain("secret");
    const error = lines.find((l) => l.level === "ERROR" && l.requestId === "req-err-1");
    expect(error.error).toMatchObject({ name: "TypeError", message: "cannot read secret of undefined" });
    expect(error.error.stack).toContain("TypeError");
  });
});
