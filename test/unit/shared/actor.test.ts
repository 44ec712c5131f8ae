import { describe, expect, it } from "vitest";
import { createRoutes, hostApp, localActorHeader } from "../../../lambdas/shared/http.js";

/** An app with one route that answers who the caller is. */
function whoAmIApp() {
  const routes = createRoutes();
  routes.get("/whoami", (c) => c.json({ caller: c.get("caller") }));
  return hostApp("test", routes);
}

const lambdaEnv = (userArn: string) => ({ event: { requestContext: { requestId: "r1", identity: { userArn, caller: "AIDA" } } }, lambdaContext: { awsRequestId: "r1" } });

describe("the actor", () => {
  const app = whoAmIApp();

  it("is local without the header, and the header's name in local mode", async () => {
    const plain = await app.request("/whoami");
    const named = await app.request("/whoami", { headers: { [localActorHeader]: "alice" } });
    expect(await plain.json()).toEqual({ caller: "local" });
    expect(await named.json()).toEqual({ caller: "alice" });
  });

  it("is the IAM principal on Lambda, whatever x-mlwatch-actor says", async () => {
    // Act
    const res = await app.request("/whoami", { headers: { [localActorHeader]: "admin" } }, lambdaEnv("arn:aws:iam::123456789012:role/pipeline"));
    // Assess
    expect(await res.json()).toEqual({ caller: "arn:aws:iam::123456789012:role/pipeline" });
  });

  it("refuses a local header that is not a plain name (no spoofed log or audit lines)", async () => {
    const res = await app.request("/whoami", { headers: { [localActorHeader]: "bob admin" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("header.x-mlwatch-actor");
  });
});
