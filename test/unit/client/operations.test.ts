/**
 * Every operation of the OpenAPI document has an operationId, and the three clients take their names from
 * it: the TypeScript client has a method of that name (client/operations.json, generated), the Python
 * client the snake_case form (python/src/mlwatch/_operations.py, generated; its own unittest proves each
 * method sends its operation), and the CLI's `mlwatch api OPERATION_ID` calls any of them. Calling the
 * TypeScript method sends exactly that request. The generated files are those the contracts give today.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MlwatchClient } from "../../../client/index.js";
import { allContracts } from "../../../lambdas/contracts.js";
import { ErrorCode } from "../../../lambdas/core/errors.js";
import { buildOpenApiDocument } from "../../../lambdas/shared/openapi.js";
import { clientTypesSource } from "../../../scripts/client-types.js";
import { operationsJson, operationsPython, snakeCase } from "../../../scripts/operations.js";
import { apiOperations } from "../../../bin/commands/api.js";

const read = (path: string): any => JSON.parse(readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8"));
const document = read("docs/openapi.json");
const byId: Record<string, { method: string; path: string; typescript: string; python: string }> = read("client/operations.json").operations;
const mapping: Record<string, { typescript: string }> = Object.fromEntries(Object.values(byId).map((o) => [`${o.method} ${o.path}`, o]));
const methods = ["get", "put", "post", "delete", "patch"] as const;

const documented = Object.entries<any>(document.paths).flatMap(([path, item]) =>
  methods.filter((m) => item[m] !== undefined).map((m) => ({ key: `${m.toUpperCase()} ${path}`, method: m.toUpperCase(), path, op: item[m] })),
);
const pythonSource = readFileSync(new URL("../../../python/src/mlwatch/_client.py", import.meta.url), "utf8");

describe("operationIds: one name per operation for every client", () => {
  it("gives every operation a unique operationId", () => {
    const ids = documented.map((d) => d.op.operationId);
    expect(ids.every((id) => typeof id === "string" && /^[a-z][A-Za-z0-9]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(documented.length);
  });

  it("covers every operationId in the TypeScript client, the Python client and the CLI", () => {
    const ids = documented.map((d) => d.op.operationId as string);
    const typescript = ids.filter((id) => typeof (MlwatchClient.prototype as any)[id] !== "function");
    const python = ids.filter((id) => !new RegExp(`^    def ${snakeCase(id)}\\(`, "m").test(pythonSource));
    const cli = apiOperations().map((o) => o.operationId);
    expect(typescript).toEqual([]);
    expect(python).toEqual([]);
    expect(cli.sort()).toEqual([...ids].sort());
    for (const d of documented) expect(byId[d.op.operationId]).toEqual({ method: d.method, path: d.path, typescript: d.op.operationId, python: snakeCase(d.op.operationId) });
  });

  it("types every answer from the document (no operation answers an untyped JsonObject)", () => {
    const types = readFileSync(new URL("../../../client/api-types.ts", import.meta.url), "utf8");
    expect(types).toContain("export interface Operations {");
    expect(types.match(/answer: JsonObject/g) ?? []).toEqual([]);
    const untyped = documented.filter((d) => Object.entries<any>(d.op.responses).some(([status, r]) => /^2/.test(status) && r.content?.["application/json"] && Object.keys(r.content["application/json"].schema ?? {}).length === 0));
    expect(untyped.map((d) => d.key)).toEqual([]);
  });

  it("client/operations.json and python's _operations.py are what the document gives (npm run openapi)", () => {
    const generated = JSON.parse(JSON.stringify(buildOpenApiDocument(allContracts)));
    expect(readFileSync(new URL("../../../client/operations.json", import.meta.url), "utf8")).toBe(operationsJson(generated));
    expect(readFileSync(new URL("../../../python/src/mlwatch/_operations.py", import.meta.url), "utf8")).toBe(operationsPython(generated));
  });
});

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
