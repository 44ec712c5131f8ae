/**
 * The one safe path for user-keyed maps written to DynamoDB.
 *
 * The SDK's marshaller decides how to write an object by reading `obj.constructor`: a map whose keys are
 * the caller's (tags, metrics, parameters, baseline metrics, feature names, dataset schemas, event
 * details…) and that has a key `constructor` is refused ("Unsupported type passed"), whatever its value.
 * A JavaScript `Map` is marshalled from its entries instead, so its keys never become structure.
 *
 * {@link safeAttributeValues} turns every plain or null-prototype object inside attribute values into a
 * `Map`, recursively; the document client applies it to every write (see aws.ts), so no store can forget
 * it. What is stored is the same DynamoDB map (`M`) as before: reads, update expressions on nested paths
 * and existing items are unchanged.
 *
 * `__proto__` cannot be written or read back as a key through the SDK (both directions assign into `{}`);
 * the body parser refuses it (json-limits.ts) and this module throws rather than drop it silently.
 *
 * Numbers are written as dynamo-number.ts says: exponent forms as plain decimal text (through `decimal`,
 * the SDK's NumberValue, given by aws/dynamodb.ts), magnitudes DynamoDB cannot hold as marked binary.
 */
import { encodeNumber, fitsDynamoNumber, plainDecimal } from "./dynamo-number.js";

/** Wraps a number's decimal text for the marshaller (the SDK's `NumberValue.from`). */
export type DecimalWrapper = (text: string) => unknown;

/** A number as it is written: unchanged, its plain decimal text wrapped, or marked binary. */
function storedNumber(x: number, decimal: DecimalWrapper | undefined): unknown {
  if (!Number.isFinite(x)) return x; // the marshaller refuses NaN and ±Infinity with its own message
  if (!fitsDynamoNumber(x)) return encodeNumber(x);
  if (decimal === undefined || !String(x).includes("e")) return x;
  return decimal(plainDecimal(x));
}

/** True for an object literal, a `JSON.parse` result or a null-prototype object — not a class instance. */
function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** One attribute value with every plain object inside turned into a `Map` (arrays, sets, scalars kept). */
export function safeAttributeValue(value: unknown, decimal?: DecimalWrapper): unknown {
  if (typeof value === "number") return storedNumber(value, decimal);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => safeAttributeValue(v, decimal));
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [checkKey(String(k)), safeAttributeValue(v, decimal)]));
  if (!isPlainObject(value)) return value;
  const out = new Map<string, unknown>();
  for (const key of Object.keys(value)) out.set(checkKey(key), safeAttributeValue(value[key], decimal));
  return out;
}

function checkKey(key: string): string {
  if (key === "__proto__") throw new TypeError('a map key "__proto__" cannot be stored in DynamoDB');
  return key;
}

/** A record of attribute values (an item, `ExpressionAttributeValues`) made safe; attribute names kept. */
export function safeAttributeValues<T extends Record<string, unknown> | undefined>(values: T, decimal?: DecimalWrapper): T {
  if (values === undefined) return values;
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(values)) out[name] = safeAttributeValue(values[name], decimal);
  return out as T;
}

type Input = Record<string, unknown>;

/** Every write input of the document client with its attribute values made safe (other fields kept). */
export function safeWriteInput(input: Input, decimal?: DecimalWrapper): Input {
  const out: Input = { ...input };
  if (isRecord(out.Item)) out.Item = safeAttributeValues(out.Item, decimal);
  if (isRecord(out.ExpressionAttributeValues)) out.ExpressionAttributeValues = safeAttributeValues(out.ExpressionAttributeValues, decimal);
  if (Array.isArray(out.TransactItems)) {
    out.TransactItems = out.TransactItems.map((entry: unknown) => {
      if (!isRecord(entry)) return entry;
      const copy: Input = { ...entry };
      for (const op of ["Put", "Update", "Delete", "ConditionCheck"]) if (isRecord(copy[op])) copy[op] = safeWriteInput(copy[op], decimal);
      return copy;
    });
  }
  if (isRecord(out.RequestItems)) {
    const tables: Input = {};
    for (const [table, requests] of Object.entries(out.RequestItems)) {
      tables[table] = Array.isArray(requests)
        ? requests.map((r: unknown) => (isRecord(r) && isRecord(r.PutRequest) ? { ...r, PutRequest: safeWriteInput(r.PutRequest, decimal) } : r))
        : requests;
    }
    out.RequestItems = tables;
  }
  return out;
}

function isRecord(value: unknown): value is Input {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
