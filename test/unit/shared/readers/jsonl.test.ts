import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import { parseJsonLines, readJsonLines } from "../../../../lambdas/shared/readers/jsonl.js";

describe("parseJsonLines", () => {
  it("maps keys to columns, back-fills late columns and treats null/absent as missing", () => {
    // Act
    const table = parseJsonLines('{"a":1,"b":"x"}\n\n{"a":null,"b":"y","c":true}\n{"b":""}\n');
    // Assess
    const [a, b, c] = table.columns;
    expect(table.rows).toBe(3);
    expect(Array.from(a.numbers)).toEqual([1, NaN, NaN]);
    expect(b.texts).toEqual(["x", "y", null]);
    expect(c.texts).toEqual([null, "true", null]);
  });

  it("reads numeric strings as numbers and is chunk-independent", async () => {
    // Prepare
    const text = '{"v":"2.5","é":"ü"}\n{"v":3}\n';
    const bytes = Buffer.from(text);
    async function* chunks() {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    }
    // Act
    const streamed = await readJsonLines(chunks());
    // Assess
    expect(Array.from(streamed.columns[0].numbers)).toEqual([2.5, 3]);
    expect(streamed.columns[1].texts).toEqual(["ü", null]);
    expect(streamed).toEqual(parseJsonLines(text));
  });

  it("throws on invalid JSON, non-objects and empty input", () => {
    expect(() => parseJsonLines('{"a":1}\n{oops}\n')).toThrow("JSON Lines line 2 is not valid JSON");
    expect(() => parseJsonLines("[1,2]\n")).toThrow(ValidationError);
    expect(() => parseJsonLines("\n\n")).toThrow("JSON Lines input is empty");
  });
});
