/** The API reference renderer: user strings are escaped, empty states are said. */
import { describe, expect, it } from "vitest";
import { escapeHtml, renderApiReference } from "../../../lambdas/local/landing.js";

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
