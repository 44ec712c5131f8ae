/** The landing page and API reference renderers: user strings are escaped, empty states are said. */
import { describe, expect, it } from "vitest";
import { escapeHtml, renderApiReference, renderLandingPage } from "../../../lambdas/local/landing.js";

const base = { url: "http://127.0.0.1:3000", awsEndpoint: "http://127.0.0.1:5000", startedEmulator: true, resources: { bucket: "b" }, health: { status: "ok", dependencies: {} } };

describe("renderLandingPage", () => {
  it("escapes user strings (an alert summary cannot add markup) and carries no script", () => {
    const html = renderLandingPage({ ...base, models: [], checks: [], alerts: [{ alertId: "a1", type: "data_drift", model: "m", severity: "high", summary: '<script>alert("x")</script>', lastSeen: "2026-12-01T00:00:00Z", occurrences: 1 }] });
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).not.toMatch(/<script/i);
  });

  it("says when there is nothing yet, and how to fill it", () => {
    const html = renderLandingPage({ ...base, models: [], checks: [], alerts: [] });
    expect(html).toContain("no drift checks yet");
    expect(html).toContain("no open alerts");
    expect(html).toContain("npx mlwatch demo");
  });
});

describe("renderApiReference", () => {
  it("lists each operation with its client method and escapes the summary", () => {
    const html = renderApiReference({ info: { title: "mlwatch" }, paths: { "/models/{model}": { get: { summary: "one <model>", responses: { "404": { description: "unknown" } } } } } }, new Map([["GET /models/{model}", "getModel"]]));
    expect(html).toContain("one &lt;model&gt;");
    expect(html).toContain("client: <code>getModel</code>");
    expect(html).toContain("1 operations");
  });
});

it("escapeHtml escapes the five HTML characters", () => {
  expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
});

it("escapeHtml shows control, bidi and invisible characters as visible escapes and keeps line breaks", () => {
  expect(escapeHtml("a\u202eb\u0000c\u001bd\u0085e\u200bf\ufeffg\ud800h\nline")).toBe("a\\u202eb\\u0000c\\u001bd\\u0085e\\u200bf\\ufeffg\\ud800h\nline");
  expect(escapeHtml("😀 ok")).toBe("😀 ok");
});
