/**
 * Parse-time limits of every JSON body, checked once right after `JSON.parse` and before any schema,
 * store or serializer sees the value: nesting depth, keys per object, well-formed text and the range of
 * numbers.
 *
 * Text: every string and every key, at any depth, must be well-formed UTF-16. A lone surrogate (`"\ud800"`
 * in JSON) has no UTF-8 form, so DynamoDB, CloudWatch Logs and SNS would refuse or mangle it half-way through
 * a change; it is refused here with 400 `INVALID_TEXT` naming the field, before anything is written.
 *
 * Numbers: every number lies within ±{@link maxNumberMagnitude} and a nonzero one has a magnitude of at least
 * {@link minNumberMagnitude}: the documented range that every store keeps exactly (shared/dynamo-number.ts);
 * a number outside it is a 400 naming the field. JSON's `1e999` parses to Infinity and is refused here too.
 *
 * The scan is iterative (an explicit stack), so a 100,000-level nested array — which `JSON.parse` reads
 * fine but `JSON.stringify`, zod and the DynamoDB marshaller would overflow the stack on — is refused in
 * linear time without recursion.
 */
import { BodyTooDeepError, InvalidTextError, ValidationError } from "./errors.js";

/** Deepest nesting accepted: the body object is depth 1, each array or object inside adds one. */
export const maxJsonDepth = 32;

/** Most keys of any one object in a body (feature maps, tags, metrics, parameters, record rows). */
export const maxKeysPerObject = 1_000;

/** Largest magnitude of a number in a body (sums of squares of such values still fit every store). */
export const maxNumberMagnitude = 1e50;

/** Smallest magnitude of a nonzero number in a body. */
export const minNumberMagnitude = 1e-300;

/** The one key no object may carry: schemas and stores would drop it silently or change a prototype. */
const reservedKey = "__proto__";

// In a `u` regex a surrogate pair is one code point, so only a lone surrogate is of category Cs.
const loneSurrogate = /\p{Cs}/u;
const loneSurrogates = /\p{Cs}/gu;

/** Whether `text` is well-formed UTF-16: no lone surrogate (String.prototype.isWellFormed, ES2024). */
export function isWellFormedText(text: string): boolean {
  return !loneSurrogate.test(text);
}

/** A path for a message: cut, and with any lone surrogate made visible as U+FFFD. */
function shown(path: string): string {
  return path.slice(0, 200).replace(loneSurrogates, "\ufffd");
}

/**
 * The message for a number outside the stored range, or undefined when it is inside.
 */
export function numberProblem(value: number): string | undefined {
  if (!Number.isFinite(value)) return "must be a finite number";
  if (Math.abs(value) > maxNumberMagnitude) return `${value} is beyond ±1e50, the largest magnitude stored`;
  if (value !== 0 && Math.abs(value) < minNumberMagnitude) return `${value} is nonzero and smaller in magnitude than 1e-300, the smallest stored (send 0)`;
  return undefined;
}

/** Throws for a scalar that is not acceptable text or number. */
function checkScalar(value: unknown, path: string): void {
  if (typeof value === "string") {
    if (!isWellFormedText(value)) throw new InvalidTextError(`${shown(path)}: text is not well-formed UTF-16 (a lone surrogate such as \\ud800); send valid Unicode`);
  } else if (typeof value === "number") {
    const problem = numberProblem(value);
    if (problem !== undefined) throw new ValidationError(`${shown(path)}: ${problem}`);
  }
}

/**
 * Checks depth, key counts, reserved keys, text and numbers of a parsed JSON value.
 * @throws BodyTooDeepError when it nests deeper than `maxDepth`
 * @throws InvalidTextError naming the path of a string or key that is not well-formed UTF-16
 * @throws ValidationError naming the path of an object with too many keys, a `__proto__` key or a number
 *   outside the stored range
 */
export function checkJsonLimits(value: unknown, maxDepth = maxJsonDepth, maxKeys = maxKeysPerObject): void {
  if (value === null || typeof value !== "object") {
    checkScalar(value, "body");
    return;
  }
  const stack: Array<{ value: object; depth: number; path: string }> = [{ value, depth: 1, path: "body" }];
  while (stack.length > 0) {
    const { value: node, depth, path } = stack.pop()!;
    if (depth > maxDepth) throw new BodyTooDeepError(`request body nests deeper than ${maxDepth} levels (at ${shown(path)})`);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i];
        if (child !== null && typeof child === "object") stack.push({ value: child, depth: depth + 1, path: `${path}.${i}` });
        else checkScalar(child, `${path}.${i}`);
      }
      continue;
    }
    const names = Object.keys(node);
    if (names.length > maxKeys) throw new ValidationError(`${shown(path)}: at most ${maxKeys.toLocaleString("en-US")} keys per object, got ${names.length.toLocaleString("en-US")}`);
    for (const name of names) {
      if (name === reservedKey) throw new ValidationError(`${shown(path)}: the key "__proto__" is reserved; rename it`);
      const childPath = `${path}.${name.slice(0, 64)}`;
      if (!isWellFormedText(name)) throw new InvalidTextError(`${shown(childPath)}: the key is not well-formed UTF-16 (a lone surrogate such as \\ud800); send valid Unicode`);
      const child: unknown = (node as Record<string, unknown>)[name];
      if (child !== null && typeof child === "object") stack.push({ value: child, depth: depth + 1, path: childPath });
      else checkScalar(child, childPath);
    }
  }
}

/**
 * Throws {@link InvalidTextError} naming `where` when `text` (a path segment, query value or header) is not
 * well-formed UTF-16.
 */
export function checkText(text: string, where: string): void {
  if (!isWellFormedText(text)) throw new InvalidTextError(`${shown(where)}: text is not well-formed UTF-16 (a lone surrogate); send valid Unicode`);
}
