/**
 * How every JavaScript number is written to and read from DynamoDB, in one place (applied by the document
 * client, aws/dynamodb.ts, to every write and every read).
 *
 * The SDK's own marshaller refuses any number above 2^53 ("greater than Number.MAX_SAFE_INTEGER") and its
 * unmarshaller turns such numbers into BigInt or throws: that is an integer rule, wrong for measurements
 * (a sum of squared errors in cents passes 9.007e15). A double's shortest decimal form has at most 17
 * significant digits, well inside DynamoDB's 38, so writing that form as a plain decimal string and parsing
 * it back with `Number()` is exact.
 *
 * DynamoDB's number type holds magnitudes from 1e-130 to below 1e126. A finite number outside that (a
 * metric of 1e-300, a derived aggregate of 1e200) is written as a 12-byte binary value — a marker and the
 * IEEE 754 bytes — and read back as the same number. No caller ever sends binary, so the marker cannot be
 * confused with user data. Such values cannot take part in numeric condition or update expressions;
 * none of ours compare user-supplied numbers in DynamoDB.
 */

/** DynamoDB's smallest nonzero magnitude of a number (1E-130). */
export const dynamoMinMagnitude = 1e-130;

/** Every stored magnitude is below this (DynamoDB's largest is 9.99…E+125). */
export const dynamoMaxMagnitude = 1e126;

/** The four bytes that open a number stored as binary: "mlwn". */
const marker = [0x6d, 0x6c, 0x77, 0x6e] as const;
const encodedLength = marker.length + 8;

/**
 * The exact decimal text of a finite number without an exponent (`1e+21` → `"1000000000000000000000"`,
 * `1.5e-7` → `"0.00000015"`), from its shortest round-trip form.
 * @throws RangeError for NaN or ±Infinity
 */
export function plainDecimal(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`${x} cannot be stored`);
  const sign = x < 0 ? "-" : "";
  const text = String(Math.abs(x));
  const e = text.indexOf("e");
  if (e < 0) return sign + text;
  const mantissa = text.slice(0, e);
  const exponent = Number(text.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const digits = mantissa.replace(".", "");
  const point = (dot < 0 ? mantissa.length : dot) + exponent;
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Whether DynamoDB's number type can hold `x` exactly as its decimal text. */
export function fitsDynamoNumber(x: number): boolean {
  if (x === 0) return true;
  const m = Math.abs(x);
  return m >= dynamoMinMagnitude && m < dynamoMaxMagnitude;
}

/** A finite number outside DynamoDB's range as the marked binary value {@link decodeNumber} reads. */
export function encodeNumber(x: number): Uint8Array {
  const bytes = new Uint8Array(encodedLength);
  bytes.set(marker);
  new DataView(bytes.buffer).setFloat64(marker.length, x);
  return bytes;
}

/** The number a marked binary value holds, or undefined when it is not one. */
export function decodeNumber(value: Uint8Array): number | undefined {
  if (value.length !== encodedLength) return undefined;
  for (let i = 0; i < marker.length; i++) if (value[i] !== marker[i]) return undefined;
  return new DataView(value.buffer, value.byteOffset, value.byteLength).getFloat64(marker.length);
}

/**
 * A value read from DynamoDB with every marked binary number turned back into a number (in place for
 * objects and arrays, which the document client has just built for this caller alone).
 */
export function reviveNumbers(value: unknown): unknown {
  if (value instanceof Uint8Array) return decodeNumber(value) ?? value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = reviveNumbers(value[i]);
    return value;
  }
  if (value !== null && typeof value === "object" && !(value instanceof Set)) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const child = record[key];
      if (child !== null && typeof child === "object") record[key] = reviveNumbers(child);
    }
  }
  return value;
}

/** Parses a DynamoDB number's text as the double it was written from (the document client's `wrapNumbers`). */
export function parseStoredNumber(text: string): number {
  return Number(text);
}
