/**
 * The client's alert methods without a server: paths, queries, bodies and the local actor header.
 */
import { describe, expect, it } from "vitest";
import { MlwatchClient } from "../../../client/index.js";

function recorder() {
  const sent: Array<{ url: string; method: string; headers: Record<string, string>; body?: string }> = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(input), method: init?.method ?? "GET", headers: { ...(init?.headers as Record<string, string>) }, body: init?.body as string | undefined });
    return new Response(JSON.stringify({ items: [], nextToken: null }), { status: 200, headers: { "content-type": "application/json" } });
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

describe("MlwatchClient alerts", () => {
  it("lists with the given filters only, and sends reasons and notes as JSON bodies", async () => {
    // Prepare
    const { fetch, sent } = recorder();
    const client = new MlwatchClient({ endpoint: "http://127.0.0.1:9", fetch });
    // Act
    await client.listAlerts({ model: "churn", state: "open", limit: 10 });
    await client.acknowledgeAlert("20260101T000000000Z-abcdef", { reason: "on it" });
    await client.resolveAlert("20260101T000000000Z-abcdef", { reason: "fixed" });
    await client.testAlert({ note: "after deploy" });
    // Assess
    expect(sent.map((s) => `${s.method} ${new URL(s.url).pathname}${new URL(s.url).search}`)).toEqual([
      "GET /alerts?model=churn&state=open&limit=10",
      "POST /alerts/20260101T000000000Z-abcdef/acknowledge",
      "POST /alerts/20260101T000000000Z-abcdef/resolve",
      "POST /alerts/test",
    ]);
    expect(sent.slice(1).map((s) => JSON.parse(s.body!))).toEqual([{ reason: "on it" }, { reason: "fixed" }, { note: "after deploy" }]);
    expect(sent.every((s) => s.headers["x-mlwatch-actor"] === undefined)).toBe(true);
  });

  it("names the local actor in x-mlwatch-actor when asked", async () => {
    const { fetch, sent } = recorder();
    await new MlwatchClient({ endpoint: "http://127.0.0.1:9", fetch, actor: "alice" }).listAlerts();
    expect(sent[0].headers["x-mlwatch-actor"]).toBe("alice");
  });
});
