/**
 * Reading a caller's JSON document field by field, every refusal naming the JSON path of the field
 * (`modelMonitor.statistics.features[2].numerical_statistics.common.num_present`), so a team migrating
 * hundreds of files finds the broken one at once. Objects are read with `Object.hasOwn`: a key such as
 * `__proto__` is data, never structure.
 */
import { ValidationError } from "../../shared/errors.js";

/** A position in a document. */
export class JsonPath {
  public constructor(public readonly text: string) {}
  public key(name: string): JsonPath {
    return new JsonPath(/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${this.text}.${name}` : `${this.text}[${JSON.stringify(name)}]`);
  }
  public index(i: number): JsonPath {
    return new JsonPath(`${this.text}[${i}]`);
  }
  public fail(message: string): never {
    throw new ValidationError(`${this.text}: ${message}`);
  }
}

type Obj = Record<string, unknown>;

/** The value as an object, or a 400 naming the path. */
export function objectAt(value: unknown, path: JsonPath): Obj {
  if (value === null || typeof value !== "object" || Array.isArray(value)) path.fail("must be an object");
  return value as Obj;
}

/** An own field (undefined when absent). */
export function field(obj: Obj, name: string): unknown {
  return Object.hasOwn(obj, name) ? obj[name] : undefined;
}

/** A required own field. */
export function required(obj: Obj, name: string, path: JsonPath): unknown {
  if (!Object.hasOwn(obj, name) || obj[name] === undefined || obj[name] === null) path.key(name).fail("is required");
  return obj[name];
}

/** A finite number. */
export function numberAt(value: unknown, path: JsonPath, options: { min?: number; max?: number; integer?: boolean } = {}): number {
  if (typeof value !== "number" || !Number.isFinite(value)) path.fail("must be a finite number");
  if (options.integer && !Number.isInteger(value)) path.fail("must be an integer");
  if (options.min !== undefined && value < options.min) path.fail(`must be ≥ ${options.min}`);
  if (options.max !== undefined && value > options.max) path.fail(`must be ≤ ${options.max}`);
  return value;
}

/** A string of bounded length. */
export function stringAt(value: unknown, path: JsonPath, maxLength = 1024): string {
  if (typeof value !== "string") path.fail("must be a string");
  if (value.length > maxLength) path.fail(`must be at most ${maxLength} characters`);
  return value;
}

/** An array of bounded length. */
export function arrayAt(value: unknown, path: JsonPath, maxLength: number): unknown[] {
  if (!Array.isArray(value)) path.fail("must be an array");
  if (value.length > maxLength) path.fail(`must have at most ${maxLength} items`);
  return value;
}

/** One of the given strings. */
export function enumAt<T extends string>(value: unknown, path: JsonPath, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) path.fail(`must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
  return value as T;
}
