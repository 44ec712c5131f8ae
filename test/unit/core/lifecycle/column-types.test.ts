import { describe, expect, it } from "vitest";
import { inferJsonType, inferTextType, SchemaAccumulator } from "../../../../lambdas/core/lifecycle/column-types.js";

describe("column type inference", () => {
  it.each([
    ["42", "integer"],
    ["-7", "integer"],
    ["3.5", "number"],
    ["1e-3", "number"],
    ["TRUE", "boolean"],
    ["2024-01-02", "date"],
    ["2024-01-02T03:04:05.123Z", "timestamp"],
    ["abc", "string"],
    ["", null],
    ["  ", null],
  ])("reads text %j as %s", (cell, type) => {
    expect(inferTextType(cell)).toBe(type);
  });

  it("reads JSON values", () => {
    expect([1, 1.5, true, "x", null, [1], { a: 1 }].map(inferJsonType)).toEqual(["integer", "number", "boolean", "string", null, "array", "object"]);
  });

  it("unifies a column's values and marks missing ones nullable", () => {
    const acc = new SchemaAccumulator("string");
    acc.rows = 3;
    for (const [name, type] of [["a", "integer"], ["a", "number"], ["a", null], ["b", "date"], ["b", "timestamp"], ["b", "date"], ["c", "integer"], ["c", "boolean"]] as const) {
      acc.add(name, type);
    }
    expect(acc.columns()).toEqual([
      { name: "a", type: "number", nullable: true },
      { name: "b", type: "timestamp", nullable: false },
      { name: "c", type: "string", nullable: true },
    ]);
  });
});
