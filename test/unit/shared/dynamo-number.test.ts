import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { NumberValue } from "@aws-sdk/lib-dynamodb";
import { decodeNumber, encodeNumber, fitsDynamoNumber, parseStoredNumber, plainDecimal, reviveNumbers } from "../../../lambdas/shared/dynamo-number.js";
import { safeAttributeValues } from "../../../lambdas/shared/safe-marshall.js";

const marshallOptions = { removeUndefinedValues: true, convertClassInstanceToMap: false, allowImpreciseNumbers: true };
const decimal = (text: string): unknown => NumberValue.from(text);

/** Writes and reads an item the way the document client does (aws/dynamodb.ts). */
function roundTrip(item: Record<string, unknown>): Record<string, unknown> {
  const stored = marshall(safeAttributeValues(item, decimal), marshallOptions);
  return reviveNumbers(unmarshall(stored, { wrapNumbers: parseStoredNumber })) as Record<string, unknown>;
}

describe("dynamo-number", () => {
  it("the SDK's defaults refuse a number above 2^53 (the failure this module prevents)", () => {
    expect(() => marshall({ sse: 95000000 ** 2 }, { convertClassInstanceToMap: false })).toThrow(/MAX_SAFE_INTEGER/);
  });

  it("writes exponent forms as plain decimals that parse back to the same double", () => {
    expect(plainDecimal(1e21)).toBe("1000000000000000000000");
    expect(plainDecimal(-1.5e-7)).toBe("-0.00000015");
    expect(plainDecimal(1.2345e3)).toBe("1234.5");
    expect(plainDecimal(9.025e15)).toBe("9025000000000000");
    expect(plainDecimal(1e-130)).toBe(`0.${"0".repeat(129)}1`);
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = plainDecimal(x);
        expect(text).not.toMatch(/e/i);
        expect(Number(text)).toBe(x === 0 ? 0 : x);
      }),
      { numRuns: 2000 },
    );
  });

  it("knows DynamoDB's number range: 1e-130 up to below 1e126", () => {
    expect([0, 1e-130, -1e-130, 9.99e125, 1e50].every(fitsDynamoNumber)).toBe(true);
    expect([1e-131, 1e126, -1e200, 5e-324].some(fitsDynamoNumber)).toBe(false);
  });

  it("encodes numbers outside that range as marked binary and reads exactly them back; other bytes are left alone", () => {
    for (const x of [1e-300, -5e-324, 1e200, -1.7976931348623157e308]) expect(decodeNumber(encodeNumber(x))).toBe(x);
    expect(decodeNumber(new Uint8Array(12))).toBeUndefined();
    expect(decodeNumber(new Uint8Array([1, 2]))).toBeUndefined();
  });

  it("round-trips every finite double through marshall and unmarshall exactly, at any depth", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 8 }), (values) => {
        const item = { pk: "p", top: values[0], list: values, map: { nested: { deep: values } } };
        const back = roundTrip(item);
        const plain = (v: number) => (v === 0 ? 0 : v);
        expect(back).toStrictEqual({ pk: "p", top: plain(values[0]), list: values.map(plain), map: { nested: { deep: values.map(plain) } } });
      }),
      { numRuns: 500 },
    );
  });

  it("keeps strings, booleans, null, sets and binary that is not a number as they are", () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(roundTrip({ s: "1e999", b: true, n: null, set: new Set(["a"]), bin: bytes })).toStrictEqual({ s: "1e999", b: true, n: null, set: new Set(["a"]), bin: bytes });
  });
});
