import { describe, expect, it } from "vitest";
import { ColumnCollector, tableFromRecords } from "../../../lambdas/drift/columns.js";
import { parseCsv } from "../../../lambdas/shared/readers/csv.js";

describe("ColumnCollector", () => {
  it("merges tables by column name, padding columns a table lacks with missing values", () => {
    const c = new ColumnCollector();
    c.addTable(parseCsv("a,b\n1,x\n2,y\n"));
    c.addTable(parseCsv("a,c\n3,7\n"));
    const cols = c.finish();
    expect(c.rows).toBe(3);
    expect(c.columns).toEqual(["a", "b", "c"]);
    expect(cols.get("a")).toMatchObject({ kind: "numerical" });
    expect(Array.from((cols.get("a") as any).values)).toEqual([1, 2, 3]);
    expect(cols.get("b")).toEqual({ kind: "categorical", counts: { x: 1, y: 1 }, count: 2, missing: 1, invalid: 0 });
    expect(Array.from((cols.get("c") as any).values)).toEqual([NaN, NaN, 7]);
  });

  it("turns an inferred numerical column categorical at its first text value, keeping earlier numbers as categories", () => {
    const c = new ColumnCollector();
    c.addTable(parseCsv("z\n1\n2\n"));
    c.addTable(parseCsv("z\nA\n\n"));
    expect(c.finish().get("z")).toEqual({ kind: "categorical", counts: { "1": 1, "2": 1, A: 1 }, count: 3, missing: 1, invalid: 0 });
  });

  it("keeps fixed types: text in a numerical feature counts as missing and invalid; numbers in a categorical one become categories", () => {
    const c = new ColumnCollector({ kinds: { n: "numerical", k: "categorical" }, onlyKnown: true });
    c.addRecords([{ n: 1, k: 3, other: 1 }, { n: "oops", k: "a" }, { n: null, k: null }]);
    const cols = c.finish();
    expect(c.columns).toEqual(["n", "k"]);
    expect(c.wantedColumns()).toEqual(new Set(["n", "k"]));
    expect(cols.get("n")).toMatchObject({ kind: "numerical", invalid: 1 });
    expect(Array.from((cols.get("n") as any).values)).toEqual([1, NaN, NaN]);
    expect(cols.get("k")).toEqual({ kind: "categorical", counts: { "3": 1, a: 1 }, count: 2, missing: 1, invalid: 0 });
  });

  it("applies categorical, include and exclude, and skips names that are not valid feature names", () => {
    const c = new ColumnCollector({ categorical: ["zip"], exclude: ["id"] });
    c.addRecords([{ id: 1, zip: 12345, "bad name": 2, x: 1.5 }]);
    expect(c.columns).toEqual(["zip", "x"]);
    expect(c.ignored.sort()).toEqual(["bad name", "id"]);
    expect(c.finish().get("zip")).toMatchObject({ kind: "categorical", counts: { "12345": 1 } });
    const only = new ColumnCollector({ include: ["x"] });
    only.addRecords([{ x: 1, y: 2 }]);
    expect(only.columns).toEqual(["x"]);
  });

  it("refuses data beyond the memory guard with a 422", () => {
    const c = new ColumnCollector({ maxCells: 10 });
    expect(() => c.addRecords(Array.from({ length: 6 }, (_, i) => ({ a: i, b: i })))).toThrow(/data too large/);
  });
});

describe("tableFromRecords", () => {
  it("classifies cells like the JSON Lines reader", () => {
    const t = tableFromRecords([{ a: 1, b: true, c: "2.5", d: { x: 1 } }, { a: Infinity, c: "NA" }]);
    const byName = Object.fromEntries(t.columns.map((col) => [col.name, col]));
    expect(t.rows).toBe(2);
    expect(Array.from(byName.a.numbers)).toEqual([1, NaN]);
    expect(byName.b.texts).toEqual(["true", null]);
    expect(Array.from(byName.c.numbers)).toEqual([2.5, NaN]);
    expect(byName.d.texts).toEqual(['{"x":1}', null]);
  });
});
