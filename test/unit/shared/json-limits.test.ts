import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkJsonLimits, isWellFormedText, maxJsonDepth, maxKeysPerObject, numberProblem } from "../../../lambdas/shared/json-limits.js";
import { BodyTooDeepError, InvalidTextError, ValidationError } from "../../../lambdas/shared/errors.js";

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

describe("checkJsonLimits: text and numbers", () => {
  it("refuses a lone surrogate in any string or key, at any depth, naming the path", () => {
    expect(() => checkJsonLimits(JSON.parse('{"tags":{"team":"x\\ud800"}}'))).toThrow(InvalidTextError);
    expect(() => checkJsonLimits(JSON.parse('{"tags":{"team":"x\\ud800"}}'))).toThrow(/^body\.tags\.team: text is not well-formed/);
    expect(() => checkJsonLimits(JSON.parse('{"a":[{"b":["ok","\\udc00"]}]}'))).toThrow(/^body\.a\.0\.b\.1: /);
    expect(() => checkJsonLimits(JSON.parse('{"k\\ud83d":1}'))).toThrow(/^body\.k\ufffd: the key is not well-formed/);
    expect(() => checkJsonLimits(JSON.parse('"\\ud800"'))).toThrow(/^body: /);
  });

  it("accepts well-formed text: pairs, emoji, NUL, noncharacters, U+FFFD", () => {
    expect(() => checkJsonLimits(JSON.parse('{"a":"\\ud83d\\udca5 💥","b":"\\u0000\\uffff\\ufffd","\\ud83d\\ude00":"k"}'))).not.toThrow();
  });

  it("finds a lone surrogate wherever fast-check puts one", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 10 }), (a, unit, b) => {
        const text = a + String.fromCharCode(unit) + (unit < 0xdc00 ? `x${b}` : b);
        expect(isWellFormedText(text)).toBe(false);
        expect(() => checkJsonLimits({ field: [text] })).toThrow(/^body\.field\.0: /);
      }),
    );
  });

  it("accepts numbers within ±1e50 and nonzero magnitudes down to 1e-300; refuses the rest naming the path", () => {
    expect(() => checkJsonLimits({ a: [0, -0, 1e50, -1e50, 1e-300, -1e-300, 2 ** 53 + 2, 0.1] })).not.toThrow();
    expect(() => checkJsonLimits({ m: { auc: 1.0000000000000001e50 * 1.0000001 } })).toThrow(/^body\.m\.auc: .* beyond ±1e50/);
    expect(() => checkJsonLimits({ a: [1, 5e-324] })).toThrow(/^body\.a\.1: .* smaller in magnitude than 1e-300/);
    expect(() => checkJsonLimits(JSON.parse('{"x":-1e999}'))).toThrow(/^body\.x: must be a finite number$/);
    expect(() => checkJsonLimits(1e308)).toThrow(ValidationError);
    expect(numberProblem(1e-301)).toMatch(/1e-300/);
    expect(numberProblem(1e-300)).toBeUndefined();
  });
});
