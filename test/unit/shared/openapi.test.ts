/**
 * The OpenAPI document: generated from the services' contracts, committed up to date, structurally valid
 * OpenAPI 3.1, and complete — every route every app serves is in it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Hono } from "hono";
import { allContracts } from "../../../lambdas/contracts.js";
import { buildOpenApiDocument } from "../../../lambdas/shared/openapi.js";
import { idempotencyKeyPattern } from "../../../lambdas/shared/idempotency.js";
import { app as registryApp } from "../../../lambdas/registry/app.js";
import { app as driftApp } from "../../../lambdas/drift/app.js";
import { app as performanceApp } from "../../../lambdas/performance/app.js";
import { app as eventsApp } from "../../../lambdas/events/app.js";
import { app as retrainingApp } from "../../../lambdas/retraining/app.js";
import { app as alertsApp } from "../../../lambdas/alerts/app.js";

const committedPath = new URL("../../../docs/openapi.json", import.meta.url);
const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** Structural checks of an OpenAPI 3.1 document; returns every problem found (empty when valid). */
function openApi31Problems(doc: any): string[] {
  const problems: string[] = [];
  const isObject = (x: unknown): x is Record<string, any> => typeof x === "object" && x !== null && !Array.isArray(x);
  if (typeof doc.openapi !== "string" || !/^3\.1\.\d+$/.test(doc.openapi)) problems.push(`openapi must be 3.1.x, got ${doc.openapi}`);
  if (!isObject(doc.info) || typeof doc.info.title !== "string" || typeof doc.info.version !== "string") problems.push("info.title and info.version are required strings");
  if (!isObject(doc.paths)) problems.push("paths must be an object");
  for (const s of doc.servers ?? []) if (typeof s.url !== "string") problems.push("every server needs a url");
  const schemas = doc.components?.schemas ?? {};
  const checkRefs = (node: unknown, where: string): void => {
    if (Array.isArray(node)) node.forEach((n, i) => checkRefs(n, `${where}[${i}]`));
    else if (isObject(node)) {
      if (typeof node.$ref === "string") {
        const m = /^#\/components\/(schemas|securitySchemes)\/(.+)$/.exec(node.$ref);
        if (!m || !(m[2] in (doc.components?.[m[1]] ?? {}))) problems.push(`${where}: unresolved $ref ${node.$ref}`);
      }
      if ("nullable" in node && typeof node.nullable === "boolean") problems.push(`${where}: "nullable" is OpenAPI 3.0; 3.1 uses type arrays`);
      for (const [k, v] of Object.entries(node)) checkRefs(v, `${where}.${k}`);
    }
  };
  checkRefs(doc, "#");
  for (const [name, schema] of Object.entries(schemas)) if (!isObject(schema)) problems.push(`components.schemas.${name} must be an object`);
  for (const [name, scheme] of Object.entries<any>(doc.components?.securitySchemes ?? {})) {
    if (!["apiKey", "http", "mutualTLS", "oauth2", "openIdConnect"].includes(scheme.type)) problems.push(`securitySchemes.${name}: bad type`);
  }
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    if (!path.startsWith("/")) problems.push(`path ${path} must start with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const method of Object.keys(item)) {
      if (!(methods as readonly string[]).includes(method) && !["summary", "description", "parameters", "servers"].includes(method)) {
        problems.push(`${path}: unknown key ${method}`);
      }
    }
    for (const method of methods) {
      const op = item[method];
      if (op === undefined) continue;
      const at = `${method.toUpperCase()} ${path}`;
      if (op.operationId !== undefined) {
        if (operationIds.has(op.operationId)) problems.push(`${at}: duplicate operationId ${op.operationId}`);
        operationIds.add(op.operationId);
      }
      const params: any[] = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      for (const p of params) {
        if (typeof p.name !== "string" || !["query", "header", "path", "cookie"].includes(p.in)) problems.push(`${at}: parameter needs a name and a valid "in"`);
        if (p.in === "path" && p.required !== true) problems.push(`${at}: path parameter ${p.name} must be required`);
        if (p.in === "path" && !templated.includes(p.name)) problems.push(`${at}: path parameter ${p.name} is not in the path`);
        if (p.schema === undefined && p.content === undefined) problems.push(`${at}: parameter ${p.name} needs a schema`);
      }
      for (const name of templated) {
        if (!params.some((p) => p.in === "path" && p.name === name)) problems.push(`${at}: path template {${name}} has no parameter`);
      }
      if (op.requestBody !== undefined && !isObject(op.requestBody.content)) problems.push(`${at}: requestBody needs content`);
      if (!isObject(op.responses) || Object.keys(op.responses).length === 0) problems.push(`${at}: responses are required`);
      for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) problems.push(`${at}: bad response key ${status}`);
        if (typeof response.description !== "string") problems.push(`${at} ${status}: description is required`);
      }
    }
  }
  return problems;
}

/** `METHOD /path/{param}` of every route a Hono app serves (middleware excluded). */
function servedRoutes(app: Hono<any>): Set<string> {
  const out = new Set<string>();
  for (const r of app.routes) {
    if (r.method === "ALL") continue;
    out.add(`${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`);
  }
  return out;
}

function documentedRoutes(doc: any): Set<string> {
  const out = new Set<string>();
  for (const [path, item] of Object.entries<any>(doc.paths)) for (const m of methods) if (item[m]) out.add(`${m.toUpperCase()} ${path}`);
  return out;
}

describe("OpenAPI document", () => {
  it("is committed and up to date in docs/openapi.json (run npm run openapi after changing a route)", () => {
    // Prepare
    const committed = readFileSync(committedPath, "utf8");
    // Act
    const generated = `${JSON.stringify(buildOpenApiDocument(allContracts), null, 2)}\n`;
    // Assess
    expect(committed).toBe(generated);
  });

  it("lists the optional Idempotency-Key header, with the middleware's pattern, on every POST and nowhere else", () => {
    const doc = JSON.parse(readFileSync(committedPath, "utf8"));
    let posts = 0;
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const headers = (op.parameters ?? []).filter((p: any) => p.in === "header" && p.name === "Idempotency-Key");
        if (method !== "post") {
          expect(headers, `${method} ${path}`).toEqual([]);
          continue;
        }
        posts++;
        expect(headers, path).toHaveLength(1);
        expect(headers[0].required).toBe(false);
        expect(new RegExp(headers[0].schema.pattern).source).toBe(idempotencyKeyPattern.source);
      }
    }
    expect(posts).toBeGreaterThan(15);
  });

  it("is structurally valid OpenAPI 3.1", () => {
    // Prepare
    const doc = JSON.parse(readFileSync(committedPath, "utf8"));
    // Act
    const problems = openApi31Problems(doc);
    // Assess
    expect(problems).toEqual([]);
    expect(doc.openapi).toBe("3.1.0");
  });

  it("the structural check catches a broken document", () => {
    // Prepare
    const doc = JSON.parse(readFileSync(committedPath, "utf8"));
    doc.openapi = "3.0.3";
    doc.paths["/models/{model}"].get.parameters = [];
    doc.paths["/models"].get.responses = {};
    doc.paths["/models/{model}/versions/{version}"].get.responses["200"].content["application/json"].schema = { $ref: "#/components/schemas/Nope" };
    // Act
    const problems = openApi31Problems(doc);
    // Assess
    expect(problems).toEqual(
      expect.arrayContaining([
        "openapi must be 3.1.x, got 3.0.3",
        "GET /models/{model}: path template {model} has no parameter",
        "GET /models: responses are required",
        expect.stringMatching(/unresolved \$ref #\/components\/schemas\/Nope/),
      ]),
    );
  });

  it("documents every route of every service app, and nothing they do not serve", () => {
    // Prepare
    const documented = documentedRoutes(JSON.parse(readFileSync(committedPath, "utf8")));
    const served = new Set([registryApp, driftApp, performanceApp, eventsApp, alertsApp, retrainingApp].flatMap((a) => [...servedRoutes(a)]));
    // Act
    const undocumented = [...served].filter((r) => !documented.has(r));
    const phantom = [...documented].filter((r) => !served.has(r));
    // Assess
    expect(served.size).toBeGreaterThanOrEqual(30);
    expect(undocumented).toEqual([]);
    expect(phantom).toEqual([]);
  });

  it("gives the main answers real schemas (components), not free-form objects", () => {
    // Prepare
    const doc = JSON.parse(readFileSync(committedPath, "utf8"));
    const ref = (path: string, method: string, status: string): string | undefined => doc.paths[path][method].responses[status].content["application/json"].schema.$ref;
    // Act + Assess
    expect(ref("/models", "get", "200")).toBe("#/components/schemas/ModelPage");
    expect(ref("/models/{model}", "get", "200")).toBe("#/components/schemas/ModelDetail");
    expect(ref("/models/{model}/versions", "post", "201")).toBe("#/components/schemas/RegisteredVersion");
    expect(ref("/models/{model}/versions/{version}/promote", "post", "200")).toBe("#/components/schemas/Promotion");
    expect(ref("/models/{model}/rollback", "post", "200")).toBe("#/components/schemas/RollbackResult");
    expect(ref("/models/{model}/drift-checks", "post", "201")).toBe("#/components/schemas/DriftCheck");
    expect(ref("/models/{model}/performance", "get", "200")).toBe("#/components/schemas/PerformanceReport");
    expect(doc.components.schemas.DriftReport.properties.features.additionalProperties.$ref).toBe("#/components/schemas/FeatureDrift");
  });
});
