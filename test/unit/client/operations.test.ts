/**
 * Every operation of the OpenAPI document has a client method: client/operations.json maps each
 * `METHOD /path` to a method of MlwatchClient, and calling that method sends exactly that request.
 * The generated types (client/api-types.ts) are those the contracts give today.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MlwatchClient } from "../../../client/index.js";
import { allContracts } from "../../../lambdas/contracts.js";
import { ErrorCode } from "../../../lambdas/core/errors.js";
import { buildOpenApiDocument } from "../../../lambdas/shared/openapi.js";
import { clientTypesSource } from "../../../scripts/client-types.js";

const read = (path: string): any => JSON.parse(readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8"));
const document = read("docs/openapi.json");
const mapping: Record<string, { typescript: string }> = read("client/operations.json").operations;
const methods = ["get", "put", "post", "delete", "patch"] as const;

const documented = Object.entries<any>(document.paths).flatMap(([path, item]) =>
  methods.filter((m) => item[m] !== undefined).map((m) => ({ key: `${m.toUpperCase()} ${path}`, method: m.toUpperCase(), path, op: item[m] })),
);

describe("client coverage of the API", () => {
  it("maps every documented operation to a client method, and nothing else", () => {
    // Act
    const missing = documented.filter((d) => mapping[d.key] === undefined).map((d) => d.key);
    const phantom = Object.keys(mapping).filter((k) => !documented.some((d) => d.key === k));
    const unknown = Object.entries(mapping).filter(([, m]) => typeof (MlwatchClient.prototype as any)[m.typescript] !== "function").map(([k, m]) => `${k} → ${m.typescript}`);
    // Assess
    expect(documented.length).toBeGreaterThanOrEqual(39);
    expect(missing).toEqual([]);
    expect(phantom).toEqual([]);
    expect(unknown).toEqual([]);
    expect(new Set(Object.values(mapping).map((m) => m.typescript)).size).toBe(Object.keys(mapping).length);
  });

  it.each(documented.map((d) => [d.key, d] as const))("%s: the mapped method sends that request", async (_key, d) => {
    // Prepare: path parameters in path order, then the body or the required query parameters
    const sent: { method: string; url: URL }[] = [];
    const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      sent.push({ method: init?.method ?? "GET", url: new URL(String(input)) });
      return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
    }) as typeof globalThis.fetch;
    const client = new MlwatchClient({ endpoint: "http://127.0.0.1:9/base", fetch });
    const names = [...d.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const values = names.map((n, i) => `${n} ${i}/é`);
    const query = Object.fromEntries((d.op.parameters ?? []).filter((p: any) => p.in === "query" && p.required).map((p: any) => [p.name, "q"]));
    const args = [...values, ...(d.op.requestBody ? [{}] : []), ...(Object.keys(query).length > 0 ? [query] : [])];
    // Act
    await (client as any)[mapping[d.key].typescript](...args);
    // Assess
    const expectedPath = `/base${names.reduce((p, n, i) => p.replace(`{${n}}`, encodeURIComponent(values[i])), d.path)}`;
    expect(sent).toHaveLength(1);
    expect(sent[0].method).toBe(d.method);
    expect(sent[0].url.pathname).toBe(expectedPath);
    for (const [k, v] of Object.entries(query)) expect(sent[0].url.searchParams.get(k)).toBe(v);
  });

  it("client/api-types.ts is what the contracts give (run npm run openapi after changing a contract)", () => {
    // Prepare
    const committed = readFileSync(new URL("../../../client/api-types.ts", import.meta.url), "utf8");
    // Act
    const generated = clientTypesSource(JSON.parse(JSON.stringify(buildOpenApiDocument(allContracts))), allContracts, ErrorCode);
    // Assess
    expect(committed).toBe(generated);
  });
});
