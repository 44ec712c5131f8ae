import { describe, expect, it } from "vitest";
import { checkJsonLimits, maxJsonDepth, maxKeysPerObject } from "../../../lambdas/shared/json-limits.js";
import { BodyTooDeepError, ValidationError } from "../../../lambdas/shared/errors.js";

const nested = (depth: number): unknown => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`);

describe("checkJsonLimits", () => {
  it("accepts a body exactly at the depth limit and refuses one level more", () => {
    expect(() => checkJsonLimits(nested(maxJsonDepth))).not.toThrow();
    expect(() => checkJsonLimits(nested(maxJsonDepth + 1))).toThrow(BodyTooDeepError);
  });

  it("refuses a 100,000-level nested array without overflowing the stack", () => {
    // JSON.parse reads it; JSON.stringify of the same value would throw RangeError.
    const value = nested(100_000);
    expect(() => JSON.stringify(value)).toThrow(RangeError);
    expect(() => checkJsonLimits({ records: [{ a: value }] })).toThrow(/nests deeper than 32 levels \(at body\.records\.0\.a/);
  });

  it("counts depth through objects and arrays alike", () => {
    let v: unknown = 1;
    for (let i = 0; i < maxJsonDepth; i++) v = i % 2 ? [v] : { k: v };
    expect(() => checkJsonLimits(v)).not.toThrow();
    expect(() => checkJsonLimits({ wrap: v })).toThrow(BodyTooDeepError);
  });

  it("refuses an object with more keys than the limit, naming its path", () => {
    const ok = Object.fromEntries(Array.from({ length: maxKeysPerObject }, (_, i) => [`k${i}`, i]));
    const tooMany = { ...ok, one: 1 };
    expect(() => checkJsonLimits({ tags: ok })).not.toThrow();
    expect(() => checkJsonLimits({ tags: tooMany })).toThrow(ValidationError);
    expect(() => checkJsonLimits({ tags: tooMany })).toThrow(/body\.tags: at most 1,000 keys per object, got 1,001/);
  });

  it("refuses a __proto__ key at any depth and accepts other prototype names", () => {
    expect(() => checkJsonLimits(JSON.parse('{"a":[{"b":{"__proto__":1}}]}'))).toThrow(/body\.a\.0\.b: the key "__proto__" is reserved/);
    expect(() => checkJsonLimits(JSON.parse('{"constructor":{"toString":1,"valueOf":[{"hasOwnProperty":2}]}}'))).not.toThrow();
  });

  it("ignores scalars and null", () => {
    for (const v of [null, 1, "x", true]) expect(() => checkJsonLimits(v)).not.toThrow();
  });
});
