import { describe, expect, it } from "vitest";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { safeAttributeValue, safeWriteInput } from "../../../lambdas/shared/safe-marshall.js";

const options = { removeUndefinedValues: true, convertClassInstanceToMap: false };
const keysNamedAfterPrototype = { constructor: "c", toString: "t", valueOf: 1, hasOwnProperty: { constructor: [{ toString: "deep" }] } };

describe("safe-marshall", () => {
  it("the SDK's marshaller refuses a plain map keyed constructor (the failure this module prevents)", () => {
    expect(() => marshall({ tags: { ...keysNamedAfterPrototype } }, options)).toThrow(/Unsupported type|Cannot convert object to primitive/);
  });

  it("marshals prototype-named keys as data and reads them back unchanged", () => {
    const item = { pk: "p", tags: keysNamedAfterPrototype, list: [{ constructor: 1 }], n: null, s: new Set(["a"]) };
    const safe = safeWriteInput({ Item: item }).Item as Record<string, unknown>;
    const back = unmarshall(marshall(safe, options));
    expect(back).toEqual({ ...item });
    expect(Object.keys(back.tags)).toEqual(["constructor", "toString", "valueOf", "hasOwnProperty"]);
  });

  it("makes every write shape safe: Item, ExpressionAttributeValues, transactions and batch puts", () => {
    const v = { constructor: "x" };
    const input = safeWriteInput({
      Item: { a: v },
      ExpressionAttributeValues: { ":v": v },
      TransactItems: [{ Put: { Item: { a: v } } }, { Update: { ExpressionAttributeValues: { ":v": v } } }],
      RequestItems: { t: [{ PutRequest: { Item: { a: v } } }] },
    }) as any;
    for (const value of [input.Item.a, input.ExpressionAttributeValues[":v"], input.TransactItems[0].Put.Item.a, input.TransactItems[1].Update.ExpressionAttributeValues[":v"], input.RequestItems.t[0].PutRequest.Item.a]) {
      expect(value).toBeInstanceOf(Map);
      expect(() => marshall({ value }, options)).not.toThrow();
    }
  });

  it("throws rather than silently drop a __proto__ key", () => {
    expect(() => safeAttributeValue(JSON.parse('{"__proto__":1}'))).toThrow(/__proto__/);
  });

  it("keeps class instances, binary and scalars as they are", () => {
    const bytes = new Uint8Array([1, 2]);
    expect(safeAttributeValue(bytes)).toBe(bytes);
    expect(safeAttributeValue(3)).toBe(3);
    expect(safeAttributeValue("s")).toBe("s");
  });
});
