/** The API reference page (`GET /api`) shows each request body's fields, types and limits from the schemas. */
import { describe, expect, it } from "vitest";
import { allContracts } from "../../../lambdas/contracts.js";
import { bodyFields, limitsOf, typeOf, type JsonSchema } from "../../../lambdas/local/api-schema.js";
import { renderApiReference } from "../../../lambdas/local/landing.js";
import { buildOpenApiDocument } from "../../../lambdas/shared/openapi.js";

type Operation = { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } };
const doc = buildOpenApiDocument(allContracts) as unknown as {
  info: { title: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
};
const html = renderApiReference(doc as never);
const rows = html.split('<tr><td><span class="method">').slice(1);

/** The page's row of one operation. */
function rowOf(method: string, path: string): string {
  const row = rows.find((r) => r.startsWith(`${method.toUpperCase()}</span>`) && r.includes(`<td><code>${path.replaceAll("&", "&amp;")}</code></td>`));
  if (row === undefined) throw new Error(`no row for ${method} ${path}`);
  return row;
}

/** The top-level property names of a body schema ($ref and allOf resolved). */
function topLevelFields(schema: JsonSchema): string[] {
  const s = schema.$ref ? doc.components.schemas[schema.$ref.split("/").pop()!]! : schema;
  return [...Object.keys(s.properties ?? {}), ...(s.allOf ?? []).flatMap(topLevelFields), ...(s.anyOf ?? []).flatMap(topLevelFields)];
}

const withBody = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([, op]) => op.requestBody !== undefined)
    .map(([method, op]) => ({ method, path, schema: op.requestBody!.content!["application/json"]!.schema! })),
);

describe("the API reference page", () => {
  it('is titled "mlwatch API reference" (not "mlwatch API API reference")', () => {
    expect(doc.info.title).toBe("mlwatch API");
    expect(html).toContain("<title>mlwatch API reference</title>");
    expect(html).toContain("<h1>mlwatch API reference</h1>");
    expect(html).not.toContain("API API");
  });

  it("lists every field of every request body with its type, not 'body: JSON'", () => {
    expect(withBody.length).toBeGreaterThan(20);
    expect(html).not.toContain("body: JSON");
    for (const { method, path, schema } of withBody) {
      const row = rowOf(method, path);
      expect(row, `${method} ${path}`).toContain('<table class="fields">');
      const fields = topLevelFields(schema);
      expect(fields.length, `${method} ${path} has fields`).toBeGreaterThan(0);
      for (const field of fields) expect(row, `${method} ${path}: ${field}`).toContain(`<td><code>${field}</code>`);
    }
  });

  it("shows required fields, allowed values and limits as the schemas state them", () => {
    const promote = rowOf("post", "/models/{model}/versions/{version}/promote");
    expect(promote).toMatch(/<code>reason<\/code> <span class="req">required<\/span><\/td><td><code>string<\/code><\/td><td><code>1–1000 characters<\/code>/);
    expect(promote).toContain("&quot;production&quot;");
    expect(promote).toMatch(/<code>force<\/code><\/td><td><code>boolean<\/code>/);
    const batch = rowOf("post", "/models/{model}/versions/{version}/batches");
    expect(batch).toMatch(/<code>predictions<\/code><\/td><td><code>array of any<\/code><\/td><td><code>at most 10000 items<\/code>/);
    const check = rowOf("post", "/models/{model}/drift-checks");
    expect(check).toContain("<code>thresholds.psi</code>");
    expect(check).toContain("<code>≥ 0</code>");
    const predictions = rowOf("post", "/models/{model}/versions/{version}/predictions");
    expect(predictions).toContain("<code>records[].id</code> <span class=\"req\">required</span>");
  });
});

describe("bodyFields", () => {
  const components: Record<string, JsonSchema> = {
    Node: { type: "object", properties: { name: { type: "string", minLength: 1, maxLength: 8 }, child: { $ref: "#/components/schemas/Node" } }, required: ["name"] },
    Limits: { type: "object", properties: { lo: { type: "number", minimum: 0 }, hi: { type: "number", exclusiveMaximum: 1 } }, additionalProperties: false },
  };
  const schema: JsonSchema = {
    type: "object",
    required: ["rows"],
    properties: {
      rows: { type: "array", minItems: 1, maxItems: 3, items: { type: "object", properties: { id: { type: "string", pattern: "^[a-z]+$" } }, required: ["id"] } },
      tags: { type: "object", additionalProperties: { type: "string", maxLength: 5 } },
      limits: { anyOf: [{ $ref: "#/components/schemas/Limits" }, { type: "null" }] },
      tree: { $ref: "#/components/schemas/Node" },
      mode: { type: "string", enum: ["a", "b"], default: "a", description: "how <b>it</b> runs" },
      both: { allOf: [{ type: "object", properties: { x: { type: "integer" } } }, { type: "object", properties: { y: { type: "boolean" } } }] },
    },
  };

  it("walks arrays of objects, maps, nullable references, allOf and recursive references (once)", () => {
    const fields = bodyFields(schema, components);
    expect(fields.map((f) => `${f.path}: ${f.type}${f.required ? " (required)" : ""}`)).toEqual([
      "rows: array of object (required)",
      "rows[].id: string (required)",
      "tags: map of string → string",
      "limits: object | null",
      "limits.lo: number",
      "limits.hi: number",
      "tree: object",
      "tree.name: string (required)",
      "tree.child: Node",
      "mode: \"a\" | \"b\"",
      "both: object",
      "both.x: integer",
      "both.y: boolean",
    ]);
    expect(fields.find((f) => f.path === "rows")!.limits).toEqual(["1–3 items"]);
    expect(fields.find((f) => f.path === "rows[].id")!.limits).toEqual(["pattern ^[a-z]+$"]);
    expect(fields.find((f) => f.path === "limits")!.limits).toEqual(["no other fields"]);
    expect(fields.find((f) => f.path === "limits.hi")!.limits).toEqual(["< 1"]);
    expect(fields.find((f) => f.path === "tree.name")!.limits).toEqual(["1–8 characters"]);
    expect(fields.find((f) => f.path === "mode")!.limits).toEqual(['default "a"']);
  });

  it("names types in words and states limits", () => {
    expect(typeOf({ type: "array", items: { type: "array", items: { type: "number" } } }, {})).toBe("array of array of number");
    expect(typeOf({ anyOf: [{ type: "string" }, { type: "number" }, { type: "null" }] }, {})).toBe("string | number | null");
    expect(limitsOf({ type: "string", maxLength: 64 }, {})).toEqual(["at most 64 characters"]);
    expect(limitsOf({ type: "integer", minimum: 1, maximum: 8760 }, {})).toEqual(["≥ 1", "≤ 8760"]);
    expect(limitsOf({ anyOf: [{ type: "number", minimum: 0 }, { type: "null" }] }, {})).toEqual(["≥ 0"]);
  });

  it("escapes what the page shows", () => {
    const page = renderApiReference({ paths: { "/x": { post: { requestBody: { required: true, content: { "application/json": { schema } } }, responses: {} } } }, components: { schemas: components } } as never);
    expect(page).toContain("how &lt;b&gt;it&lt;/b&gt; runs");
    expect(page).not.toContain("<b>it</b>");
  });
});
