import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";

describe("host error handling", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("errors");
  });

  it("answers an unknown route with a 404 JSON error naming it", async () => {
    const res = await stack.call("GET", "/no/such/route");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "NOT_FOUND", message: "no route for GET /no/such/route" } });
  });

  it("refuses a non-JSON body with 415", async () => {
    const res = await stack.call("POST", "/models/m/versions", "a=b", { "content-type": "text/plain" });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(res.body.error.message).toContain("text/plain");
  });

  it("refuses a body over the size limit with 413", async () => {
    const res = await stack.call("POST", "/models/m/versions", JSON.stringify({ pad: "x".repeat(7 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("echoes a request id header on every answer", async () => {
    const res = await stack.call("GET", "/health", undefined, { "x-request-id": "req-123" });
    expect(res.headers.get("x-request-id")).toBe("req-123");
  });
});
