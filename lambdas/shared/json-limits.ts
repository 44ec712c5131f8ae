/**
 * Parse-time limits of every JSON body, checked once right after `JSON.parse` and before any schema,
 * store or serializer sees the value: nesting depth and keys per object.
 *
 * The scan is iterative (an explicit stack), so a 100,000-level nested array — which `JSON.parse` reads
 * fine but `JSON.stringify`, zod and the DynamoDB marshaller would overflow the stack on — is refused in
 * linear time without recursion.
 */
import { BodyTooDeepError, ValidationError } from "./errors.js";

/** Deepest nesting accepted: the body object is depth 1, each array or object inside adds one. */
export const maxJsonDepth = 32;

/** Most keys of any one object in a body (feature maps, tags, metrics, parameters, record rows). */
export const maxKeysPerObject = 1_000;

/** The one key no object may carry: schemas and stores would drop it silently or change a prototype. */
const reservedKey = "__proto__";

/**
 * Checks depth, key counts and reserved keys of a parsed JSON value.
 * @throws BodyTooDeepError when it nests deeper than `maxDepth`
 * @throws ValidationError naming the path of an object with too many keys or a `__proto__` key
 */
export function checkJsonLimits(value: unknown, maxDepth = maxJsonDepth, maxKeys = maxKeysPerObject): void {
  if (value === null || typeof value !== "object") return;
  const stack: Array<{ value: object; depth: number; path: string }> = [{ value, depth: 1, path: "body" }];
  while (stack.length > 0) {
    const { value: node, depth, path } = stack.pop()!;
    if (depth > maxDepth) throw new BodyTooDeepError(`request body nests deeper than ${maxDepth} levels (at ${path.slice(0, 200)})`);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i];
        if (child !== null && typeof child === "object") stack.push({ value: child, depth: depth + 1, path: `${path}.${i}` });
      }
      continue;
    }
    const names = Object.keys(node);
    if (names.length > maxKeys) throw new ValidationError(`${path.slice(0, 200)}: at most ${maxKeys.toLocaleString("en-US")} keys per object, got ${names.length.toLocaleString("en-US")}`);
    for (const name of names) {
      if (name === reservedKey) throw new ValidationError(`${path.slice(0, 200)}: the key "__proto__" is reserved; rename it`);
      const child: unknown = (node as Record<string, unknown>)[name];
      if (child !== null && typeof child === "object") stack.push({ value: child, depth: depth + 1, path: `${path}.${name.slice(0, 64)}` });
    }
  }
}
