/**
 * Writes the client's request and answer types (client/api-types.ts) from the OpenAPI document, which is
 * itself generated from the services' contracts: the zod schemas that validate requests are the types the
 * client is checked against. The output is plain TypeScript with no import, so the published client
 * (`@mlwatch/client`) carries its types without zod or any server module.
 *
 * JSON Schema → TypeScript: `$ref` → the component's name; `type` (arrays for nullable) → primitives;
 * `enum`/`const` → literal unions; objects → property lists (`required` decides `?`), `additionalProperties`
 * → an index signature (`{}` or `true`: `unknown`); `anyOf`/`oneOf` → unions; `allOf` → intersections;
 * the empty schema → `unknown` (a whole answer documented only in prose → `JsonObject`: every such answer
 * is a JSON object).
 */
import type { ServiceContract } from "../lambdas/shared/contract.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON schemas are read as untyped JSON
type Schema = Record<string, any>;

/** An object with no field. */
const empty = "Record<string, never>";

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name: string): string => (identifier.test(name) ? name : JSON.stringify(name));

/** A JSDoc line (a star-slash inside cannot end it early). */
function doc(text: string | undefined, indent: string): string {
  if (!text) return "";
  return `${indent}/** ${text.replace(/\*\//g, "*\\/").replace(/\s*\n\s*/g, " ")} */\n`;
}

/** The TypeScript type of a JSON schema. */
export function typeOf(schema: Schema | boolean | undefined, indent = "", input = false): string {
  if (schema === undefined || schema === true) return "unknown";
  if (schema === false) return "never";
  if (typeof schema.$ref === "string") return schema.$ref.replace(/^#\/components\/schemas\//, "");
  if (Array.isArray(schema.allOf)) return schema.allOf.map((s: Schema) => wrap(typeOf(s, indent, input))).join(" & ");
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) return union(alternatives.map((s: Schema) => typeOf(s, indent, input)));
  if ("const" in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return union(schema.enum.map((v: unknown) => JSON.stringify(v)));
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  if (types.length === 0) return schema.properties || schema.additionalProperties !== undefined ? objectType(schema, indent, input) : "unknown";
  return union(types.map((t) => primitive(t, schema, indent, input)));
}

function primitive(type: string, schema: Schema, indent: string, input: boolean): string {
  switch (type) {
    case "string":
      return "string";
    case "number":
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
      return Array.isArray(schema.prefixItems) ? `[${schema.prefixItems.map((s: Schema) => typeOf(s, indent, input)).join(", ")}]` : `${wrap(typeOf(schema.items, indent, input))}[]`;
    case "object":
      return objectType(schema, indent, input);
    default:
      throw new Error(`unsupported JSON schema type ${type}`);
  }
}

/** An object type; in a request (`input`), an optional field also takes `undefined` (JSON drops it). */
function objectType(schema: Schema, indent: string, input: boolean): string {
  const inner = `${indent}  `;
  const required = new Set<string>(schema.required ?? []);
  const lines: string[] = [];
  for (const [name, prop] of Object.entries<Schema>(schema.properties ?? {})) {
    const optional = !required.has(name);
    const type = typeOf(prop, inner, input);
    lines.push(`${doc(prop.description, inner)}${inner}${key(name)}${optional ? "?" : ""}: ${optional && input ? union([type, "undefined"]) : type};`);
  }
  const extra = schema.additionalProperties;
  if (extra !== undefined && extra !== false) {
    const open = extra === true || Object.keys(extra).length === 0;
    // Named fields must fit the index signature: a loose object's extra fields are `unknown`.
    lines.push(`${inner}[key: string]: ${open || lines.length > 0 ? "unknown" : typeOf(extra, inner, input)};`);
  }
  if (lines.length === 0) return empty;
  return `{\n${lines.join("\n")}\n${indent}}`;
}

const wrap = (t: string): string => (/^[A-Za-z0-9_$."[\]]+$/.test(t) || t.startsWith("{") ? t : `(${t})`);
const union = (types: string[]): string => [...new Set(types)].join(" | ") || "never";

/**
 * A query parameter's type. Query values travel as text: a free-form string parameter (no pattern, no
 * length bound: `limit`, `days`, `since`) also takes a number, and a `"true" | "false"` one a boolean.
 */
function queryType(schema: Schema): string {
  if (Array.isArray(schema.enum)) {
    const literals = schema.enum.map((v: unknown) => JSON.stringify(v));
    return union(schema.enum.every((v: unknown) => v === "true" || v === "false") ? [...literals, "boolean"] : literals);
  }
  const bounded = schema.pattern !== undefined || schema.maxLength !== undefined || schema.minLength !== undefined;
  return schema.type === "string" && !bounded ? "string | number" : typeOf(schema);
}

interface Operation {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly op: Schema;
}

/** Every operation of the document, named by its contract's operation name. */
export function operationsOf(document: Schema, contracts: readonly ServiceContract[]): Operation[] {
  const out: Operation[] = [];
  for (const contract of contracts) {
    for (const [name, route] of Object.entries(contract.routes)) {
      const op = document.paths?.[route.path]?.[route.method];
      if (!op) throw new Error(`${route.method.toUpperCase()} ${route.path} (${contract.service}.${name}) is not in the OpenAPI document`);
      out.push({ name, method: route.method.toUpperCase(), path: route.path, op });
    }
  }
  return out;
}

function answerType(op: Schema, indent: string): string {
  const types: string[] = [];
  for (const [status, response] of Object.entries<Schema>(op.responses ?? {})) {
    if (!/^2\d\d$/.test(status)) continue;
    const content = response.content ?? {};
    if (content["application/json"]) {
      const schema = content["application/json"].schema ?? {};
      types.push(Object.keys(schema).length === 0 ? "JsonObject" : typeOf(schema, indent));
    } else if (content["text/html"]) types.push("string");
    else types.push("undefined");
  }
  return union(types);
}

/** The components reachable from request bodies: their optional fields also take `undefined`. */
function requestComponents(document: Schema): Set<string> {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") {
      const ref = (node as Schema).$ref;
      if (typeof ref === "string") {
        const name = ref.replace(/^#\/components\/schemas\//, "");
        if (!found.has(name)) {
          found.add(name);
          visit(document.components?.schemas?.[name]);
        }
      }
      for (const v of Object.values(node)) visit(v);
    }
  };
  for (const item of Object.values<Schema>(document.paths ?? {})) for (const op of Object.values<Schema>(item)) visit(op.requestBody);
  return found;
}

/** The source of client/api-types.ts. */
export function clientTypesSource(document: Schema, contracts: readonly ServiceContract[], errorCodes: Readonly<Record<string, string>>): string {
  const parts: string[] = [
    "/**",
    " * The API's request and answer types, generated by `npm run openapi` (scripts/client-types.ts) from",
    " * docs/openapi.json, itself generated from the services' contracts (lambdas/<service>/contract.ts).",
    " * Do not edit: change the contract and run `npm run openapi`.",
    " */",
    "",
    "/** An answer the API documents in prose: a JSON object. */",
    "export type JsonObject = { [key: string]: unknown };",
    "",
    "/** Error codes the services answer with (`{ \"error\": { \"code\", \"message\" } }`; lambdas/core/errors.ts). */",
    `export const ApiErrorCode = {\n${Object.entries(errorCodes).map(([k, v]) => `  ${key(k)}: ${JSON.stringify(v)},`).join("\n")}\n} as const;`,
    "export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];",
    "",
  ];
  const inputs = requestComponents(document);
  for (const [name, schema] of Object.entries<Schema>(document.components?.schemas ?? {})) {
    const type = typeOf(schema, "", inputs.has(name));
    parts.push(doc(schema.description, "") + (type.startsWith("{") && type.endsWith("}") ? `export interface ${name} ${type}\n` : `export type ${name} = ${type};\n`));
  }
  const ops = operationsOf(document, contracts);
  parts.push("/** Every operation: its method, path, path parameters, query, body and answer (the union of its 2xx answers). */");
  parts.push("export interface Operations {");
  for (const { name, method, path, op } of ops) {
    const params: Schema[] = op.parameters ?? [];
    const pathParams = params.filter((p) => p.in === "path").map((p) => `${key(p.name)}: string`);
    const query = params.filter((p) => p.in === "query").map((p) => `${doc(p.schema?.description ?? p.description, "      ")}      ${key(p.name)}${p.required ? "" : "?"}: ${p.required ? queryType(p.schema ?? {}) : union([queryType(p.schema ?? {}), "undefined"])};`);
    const body = op.requestBody?.content?.["application/json"]?.schema;
    parts.push(doc(`\`${method} ${path}\`: ${op.summary ?? ""}`, "  ") + `  ${key(name)}: {`);
    parts.push(`    method: ${JSON.stringify(method)};`);
    parts.push(`    path: ${JSON.stringify(path)};`);
    parts.push(`    params: ${pathParams.length ? `{ ${pathParams.join("; ")} }` : empty};`);
    parts.push(`    query: ${query.length ? `{\n${query.join("\n")}\n    }` : empty};`);
    parts.push(`    body: ${body === undefined ? "undefined" : typeOf(body, "    ", true)};`);
    parts.push(`    answer: ${answerType(op, "    ")};`);
    parts.push("  };");
  }
  parts.push("}", "");
  parts.push("/** Every operation's method and path template, at run time. */");
  parts.push("export const operationRoutes = {");
  for (const { name, method, path } of ops) parts.push(`  ${key(name)}: { method: ${JSON.stringify(method)}, path: ${JSON.stringify(path)} },`);
  parts.push("} as const satisfies { [N in keyof Operations]: { method: Operations[N][\"method\"]; path: Operations[N][\"path\"] } };", "");
  parts.push("/** An operation's name. */", "export type OperationName = keyof Operations;", "");
  parts.push("/** The JSON body an operation takes. */", "export type Body<N extends OperationName> = Operations[N][\"body\"];", "");
  parts.push("/** The query an operation takes. */", "export type Query<N extends OperationName> = Operations[N][\"query\"];", "");
  parts.push("/** What an operation answers. */", "export type Answer<N extends OperationName> = Operations[N][\"answer\"];", "");
  return parts.join("\n");
}
