/**
 * A request body's fields for the API reference page (`GET /api`), read from the OpenAPI document's JSON
 * Schemas (generated from the contracts' zod schemas): each field's dotted path, its type, whether it is
 * required, its limits (length, range, items, pattern, allowed values, default) and its description.
 * Pure: no I/O; every value shown is HTML-escaped.
 */
import { escapeHtmlVisible } from "../core/alerts/safe-text.js";

/** The part of JSON Schema the OpenAPI document uses. */
export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly prefixItems?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly format?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly default?: unknown;
  readonly description?: string;
}

/** One field of a body, as the page lists it. */
export interface BodyField {
  /** Dotted path from the body's root: `thresholds.psi`, `records[].id`, `tags.*`. */
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  /** Limits in words: `length 1–1000`, `≥ 0`, `at most 10000 items`, `pattern …`, `default …`. */
  readonly limits: readonly string[];
  readonly description: string;
}

/** How deep nested objects are listed (deeper ones are named by type only). */
const maxDepth = 4;

/** The schema a `$ref` names (`#/components/schemas/Name`), or the schema itself. */
function resolved(schema: JsonSchema, components: Readonly<Record<string, JsonSchema>>): JsonSchema {
  let s = schema;
  for (let hops = 0; s.$ref !== undefined && hops < 10; hops++) {
    const name = refName(s.$ref);
    const target = name === undefined ? undefined : components[name];
    if (target === undefined) return { description: s.description ?? "" };
    s = { ...target, ...(s.description !== undefined ? { description: s.description } : {}) };
  }
  if (s.allOf !== undefined && s.allOf.length > 0) {
    const parts = s.allOf.map((p) => resolved(p, components));
    const merged: Record<string, unknown> = { ...s, allOf: undefined };
    merged.properties = Object.assign({}, ...parts.map((p) => p.properties ?? {}), s.properties ?? {});
    merged.required = [...parts.flatMap((p) => p.required ?? []), ...(s.required ?? [])];
    merged.type = "object";
    return merged as JsonSchema;
  }
  return s;
}

function refName(ref: string): string | undefined {
  return /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
}

/** Without a null alternative: `anyOf [X, null]` is X, nullable. */
function alternatives(schema: JsonSchema): { options: readonly JsonSchema[]; nullable: boolean } {
  const options = schema.anyOf ?? schema.oneOf;
  if (options === undefined) return { options: [schema], nullable: false };
  const nonNull = options.filter((o) => o.type !== "null");
  return { options: nonNull, nullable: nonNull.length < options.length };
}

/** A schema's type in words: `string`, `integer`, `"a" | "b"`, `array of number`, `map of string → number`, `Name`. */
export function typeOf(schema: JsonSchema, components: Readonly<Record<string, JsonSchema>>, seen: readonly string[] = []): string {
  if (schema.$ref !== undefined) {
    const name = refName(schema.$ref);
    if (name !== undefined && seen.includes(name)) return name;
    return typeOf(resolved(schema, components), components, name === undefined ? seen : [...seen, name]);
  }
  const { options, nullable } = alternatives(schema);
  if (options.length !== 1 || options[0] !== schema) {
    const text = options.map((o) => typeOf(o, components, seen)).join(" | ") || "any";
    return nullable ? `${text} | null` : text;
  }
  const s = resolved(schema, components);
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum !== undefined) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  const type = Array.isArray(s.type) ? s.type.join(" | ") : (s.type as string | undefined);
  if (type === "array") {
    if (s.prefixItems !== undefined) return `[${s.prefixItems.map((p) => typeOf(p, components, seen)).join(", ")}]`;
    const item = s.items === undefined || Object.keys(s.items).length === 0 ? "any" : typeOf(s.items, components, seen);
    return `array of ${item.includes(" ") && !item.startsWith("array") ? `(${item})` : item}`;
  }
  if (type === "object" || (type === undefined && s.properties !== undefined)) {
    if (s.properties !== undefined && Object.keys(s.properties).length > 0) return "object";
    if (typeof s.additionalProperties === "object") {
      const value = Object.keys(s.additionalProperties).length === 0 ? "any" : typeOf(s.additionalProperties, components, seen);
      return `map of string → ${value}`;
    }
    return "object";
  }
  return type ?? "any";
}

/** A number as the page shows it (thousands not grouped: limits are copied into code). */
function num(n: number): string {
  return String(n);
}

/** A schema's limits in words. */
export function limitsOf(schema: JsonSchema, components: Readonly<Record<string, JsonSchema>>): string[] {
  // "X or null": X's limits.
  const { options } = alternatives(schema);
  const only = options.length === 1 && options[0] !== schema ? options[0] : undefined;
  const s = resolved(only === undefined ? schema : { ...only, ...(schema.default !== undefined ? { default: schema.default } : {}) }, components);
  const out: string[] = [];
  const range = (lo: number | undefined, hi: number | undefined, unit: string): void => {
    if (lo !== undefined && hi !== undefined) out.push(lo === hi ? `exactly ${num(lo)} ${unit}` : `${num(lo)}–${num(hi)} ${unit}`);
    else if (lo !== undefined) out.push(`at least ${num(lo)} ${unit}`);
    else if (hi !== undefined) out.push(`at most ${num(hi)} ${unit}`);
  };
  range(s.minLength, s.maxLength, "characters");
  range(s.minItems, s.maxItems, "items");
  range(s.minProperties, s.maxProperties, "keys");
  if (s.minimum !== undefined) out.push(`≥ ${num(s.minimum)}`);
  if (s.exclusiveMinimum !== undefined) out.push(`> ${num(s.exclusiveMinimum)}`);
  if (s.maximum !== undefined) out.push(`≤ ${num(s.maximum)}`);
  if (s.exclusiveMaximum !== undefined) out.push(`< ${num(s.exclusiveMaximum)}`);
  if (s.format !== undefined) out.push(`format ${s.format}`);
  if (s.pattern !== undefined) out.push(`pattern ${s.pattern}`);
  if (s.default !== undefined) out.push(`default ${JSON.stringify(s.default)}`);
  if (s.additionalProperties === false && s.properties !== undefined) out.push("no other fields");
  return out;
}

/**
 * The fields of a body schema, depth first: each property (with its limits), then the fields of an object
 * property, of an array's object items (`name[].field`) and of a map's object values (`name.*.field`).
 */
export function bodyFields(schema: JsonSchema, components: Readonly<Record<string, JsonSchema>>): BodyField[] {
  const fields: BodyField[] = [];
  const visit = (node: JsonSchema, prefix: string, depth: number, seen: readonly string[]): void => {
    const name = node.$ref === undefined ? undefined : refName(node.$ref);
    if (name !== undefined && seen.includes(name)) return;
    const now = name === undefined ? seen : [...seen, name];
    const { options } = alternatives(node);
    // One alternative's fields when a body is "X or null"; several object alternatives are listed each.
    for (const option of options.length > 0 ? options : [node]) {
      const s = resolved(option === node ? node : option, components);
      const required = new Set(s.required ?? []);
      for (const [key, prop] of Object.entries(s.properties ?? {})) {
        const path = `${prefix}${key}`;
        const p = resolved(prop, components);
        const first = alternatives(prop).options[0] ?? prop;
        fields.push({ path, type: typeOf(prop, components, now), required: required.has(key), limits: limitsOf(prop, components), description: (prop.description ?? p.description ?? first.description ?? "").trim() });
        if (depth >= maxDepth) continue;
        const inner = resolved(first, components);
        if (inner.properties !== undefined) visit(first, `${path}.`, depth + 1, now);
        else if (inner.items !== undefined && resolved(inner.items, components).properties !== undefined) visit(inner.items, `${path}[].`, depth + 1, now);
        else if (typeof inner.additionalProperties === "object" && resolved(inner.additionalProperties, components).properties !== undefined) visit(inner.additionalProperties, `${path}.*.`, depth + 1, now);
      }
    }
  };
  visit(schema, "", 0, []);
  // The same path from two alternatives is listed once.
  const seenPaths = new Set<string>();
  return fields.filter((f) => (seenPaths.has(f.path) ? false : (seenPaths.add(f.path), true)));
}

/** An operation's request body as the OpenAPI document gives it. */
export interface RequestBodyLike {
  readonly required?: boolean;
  readonly content?: Readonly<Record<string, { readonly schema?: JsonSchema }>>;
}

/** The body of one operation on the API reference page: its media type, then a table of its fields. */
export function renderRequestBody(body: RequestBodyLike, components: Readonly<Record<string, JsonSchema>>): string {
  const [mediaType, media] = Object.entries(body.content ?? {})[0] ?? ["application/json", {}];
  const schema = media.schema ?? {};
  const name = schema.$ref === undefined ? undefined : refName(schema.$ref);
  const fields = bodyFields(schema, components);
  const head = `body${body.required ? "" : " (optional)"}: <code>${escapeHtmlVisible(mediaType)}</code>${name ? ` <code>${escapeHtmlVisible(name)}</code>` : ""}`;
  if (fields.length === 0) return `${head} ${escapeHtmlVisible(typeOf(schema, components))}`;
  const rows = fields
    .map((f) => {
      const limits = f.limits.map((l) => `<code>${escapeHtmlVisible(l)}</code>`).join(" ");
      return `<tr><td><code>${escapeHtmlVisible(f.path)}</code>${f.required ? ' <span class="req">required</span>' : ""}</td><td><code>${escapeHtmlVisible(f.type)}</code></td><td>${limits}${limits && f.description ? "<br>" : ""}${escapeHtmlVisible(f.description)}</td></tr>`;
    })
    .join("");
  return `${head}<table class="fields"><thead><tr><th>field</th><th>type</th><th>limits and meaning</th></tr></thead><tbody>${rows}</tbody></table>`;
}
