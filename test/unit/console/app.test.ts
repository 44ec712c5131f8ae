/** The console app over a fake API: pages escape user strings, forms need the page's token and origin, the actor is picked locally. */
import { describe, expect, it } from "vitest";
import { createConsoleApp } from "../../../lambdas/console/app.js";
import type { ApiRequest } from "../../../lambdas/console/api.js";
import { degradationMarks, primaryThreshold } from "../../../lambdas/console/pages/performance.js";

const json = (body: unknown, status = 200): Response => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const hostile = `<script>alert("x")</script>`;
const alert = (state: string) => ({ alertId: `20261201T000000000Z-${state.slice(0, 6).padEnd(6, "0")}`, type: "data_drift", model: "m", severity: "high", summary: hostile, state, occurrences: 1, firstSeen: "2026-12-01T00:00:00Z", lastSeen: "2026-12-01T00:00:00Z" });

function fakeApi(seen: ApiRequest[] = []) {
  return async (r: ApiRequest): Promise<Response> => {
    seen.push(r);
    if (r.path.startsWith("/alerts?")) return json({ items: [alert("open"), alert("acknowledged"), alert("resolved")], nextToken: null });
    if (r.path.startsWith("/models?")) return json({ items: [], nextToken: null });
    if (r.method === "POST") return json({});
    return json({ error: { code: "NOT_FOUND", message: `no ${hostile}` } }, 404);
  };
}

describe("console app", () => {
  it("renders the inbox with user strings escaped and the actions each state allows", async () => {
    const app = createConsoleApp({ api: fakeApi(), mode: { kind: "local" } });
    const res = await app.request("/ui/alerts");
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html.match(/\/acknowledge"/g)).toHaveLength(1);
    expect(html.match(/\/resolve"/g)).toHaveLength(2);
  });

  it("shows the API's refusal on an error page with its status, escaped", async () => {
    const res = await createConsoleApp({ api: fakeApi(), mode: { kind: "local" } }).request("/ui/models/m");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("NOT_FOUND</code>: no &lt;script&gt;");
  });

  it("refuses a form without the page's token or from another origin, and calls nothing", async () => {
    const seen: ApiRequest[] = [];
    const app = createConsoleApp({ api: fakeApi(seen), mode: { kind: "local" } });
    const token = /name="csrf" value="([^"]+)"/.exec(await (await app.request("/ui/alerts")).text())![1];
    const post = (body: string, headers: Record<string, string> = {}) => app.request("http://127.0.0.1/ui/alerts/a/acknowledge", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", host: "127.0.0.1", ...headers }, body });
    seen.length = 0;
    expect((await post("reason=x")).status).toBe(403);
    expect((await post(`csrf=${token}&reason=x`, { origin: "https://evil.example" })).status).toBe(403);
    expect((await post(`csrf=${token}&reason=x`, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect(seen).toEqual([]);
    const ok = await post(`csrf=${token}&reason=x`, { origin: "http://127.0.0.1" });
    expect(ok.status).toBe(303);
    expect(seen).toEqual([{ method: "POST", path: "/alerts/a/acknowledge", body: { reason: "x" }, actor: undefined }]);
  });

  it("keeps the actor picked in the page and sends it with each call; refuses a malformed name", async () => {
    const seen: ApiRequest[] = [];
    const app = createConsoleApp({ api: fakeApi(seen), mode: { kind: "local" } });
    const token = /name="csrf" value="([^"]+)"/.exec(await (await app.request("/ui/alerts")).text())![1];
    const pick = (actor: string) => app.request("/ui/actor", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `csrf=${token}&actor=${encodeURIComponent(actor)}&back=/ui/alerts` });
    const bad = await pick("<bob>");
    expect(bad.headers.get("set-cookie")).not.toContain("mlwatch-actor=");
    const good = await pick("bob");
    expect(good.headers.get("location")).toBe("/ui/alerts");
    const cookie = good.headers.get("set-cookie")!.split(/,\s*(?=mlwatch-)/).find((c) => c.startsWith("mlwatch-actor="))!.split(";")[0];
    seen.length = 0;
    const page = await (await app.request("/ui/alerts", { headers: { cookie } })).text();
    expect(page).toContain('value="bob"');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.actor === "bob")).toBe(true);
  });

  it("answers only loopback host names when asked to, and serves the favicon", async () => {
    const app = createConsoleApp({ api: fakeApi(), mode: { kind: "signed", endpoint: "https://x.execute-api.eu-west-1.amazonaws.com/v1" }, allowedHost: (h) => h.startsWith("127.0.0.1") });
    expect((await app.request("http://127.0.0.1:3100/favicon.ico", { headers: { host: "127.0.0.1:3100" } })).status).toBe(200);
    expect((await app.request("http://evil.example/ui/", { headers: { host: "evil.example" } })).status).toBe(421);
    const signed = await (await app.request("http://127.0.0.1:3100/ui/alerts", { headers: { host: "127.0.0.1:3100" } })).text();
    expect(signed).not.toContain('name="actor"');
  });
});

describe("performance degradation marks", () => {
  const perf = { primaryMetric: "accuracy", baseline: { source: "registration", metrics: { accuracy: 0.9 } }, trend: null, worstBatches: [{ batchId: "b1", timestamp: "2026-12-02T12:00:00Z" }] } as never;
  it("derives the threshold from the baseline and the drop in points", () => {
    expect(primaryThreshold(perf, { thresholds: { accuracyDropPoints: 5 } })).toEqual({ value: 0.85, label: "threshold: baseline 0.9 − 5 points" });
    expect(primaryThreshold(perf, { thresholds: {} })).toBeUndefined();
  });
  it("marks days beyond the threshold and the day of an alerted batch", () => {
    const labels = ["2026-12-01", "2026-12-02", "2026-12-03"];
    const marks = degradationMarks(labels, [0.9, 0.88, 0.8], perf, { value: 0.85 }, [{ ...alert("open"), type: "performance_drift", summary: "accuracy degraded", link: { batchId: "b1" }, lastSeen: "2026-12-05T00:00:00Z" }] as never);
    expect(marks.map((m) => m.index).sort()).toEqual([1, 2]);
  });
});
