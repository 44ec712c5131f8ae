/**
 * A small JSON Schema (draft 2020-12) validator for the subset docs/events.schema.json uses: type (one or
 * a list), enum, const, properties, required, additionalProperties (false), items, minItems/maxItems,
 * minLength/maxLength, minimum/maximum, anyOf. An unknown keyword fails loudly, so the subset cannot
 * silently shrink what a schema says. Tests only.
 */
const known = new Set(["$schema", "description", "type", "enum", "const", "properties", "required", "additionalProperties", "items", "minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum", "anyOf", "default"]);

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** Every way `value` breaks `schema`, as `path: problem` lines (empty when valid). */
export function schemaProblems(schema: any, value: unknown, path = "$"): string[] {
  const problems: string[] = [];
  for (const k of Object.keys(schema)) if (!known.has(k)) throw new Error(`${path}: keyword ${k} is outside the supported subset`);
  if (schema.type !== undefined) {
    const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = typeOf(value);
    if (!types.includes(actual) && !(actual === "integer" && types.includes("number"))) return [`${path}: expected ${types.join(" or ")}, got ${actual}`];
  }
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if ("const" in schema && schema.const !== value) problems.push(`${path}: must be ${JSON.stringify(schema.const)}`);
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) problems.push(`${path}: longer than ${schema.maxLength}`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${path}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${path}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((v, i) => problems.push(...schemaProblems(schema.items, v, `${path}[${i}]`)));
  }
  if (typeOf(value) === "object") {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in obj)) problems.push(`${path}: missing ${r}`);
    const props: Record<string, unknown> = schema.properties ?? {};
    for (const [k, v] of Object.entries(obj)) {
      if (k in props) problems.push(...schemaProblems(props[k], v, `${path}.${k}`));
      else if (schema.additionalProperties === false) problems.push(`${path}: unexpected property ${k}`);
    }
  }
  if (schema.anyOf && !schema.anyOf.some((s: unknown) => schemaProblems(s, value, path).length === 0)) problems.push(`${path}: matches none of anyOf`);
  return problems;
}
