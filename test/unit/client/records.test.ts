/**
 * readRecords / parseCsvRecords: the client's reader of local data files (CSV, JSON Lines, JSON array), and
 * its agreement with the drift service's CSV reader on how each column is typed.
 */
import fc from "fast-check";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MlwatchFileError } from "../../../client/errors.js";
import { parseCsvRecords, readRecords } from "../../../client/records.js";
import { CsvColumnParser } from "../../../lambdas/shared/readers/csv.js";

const dir = mkdtempSync(join(tmpdir(), "mlwatch-records-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const plain = (records: Record<string, unknown>[]): Record<string, unknown>[] => records.map((r) => ({ ...r }));

describe("parseCsvRecords", () => {
  it("types each column: numbers, or text when any cell is not a number; missing markers are null", () => {
    // Act
    const records = parseCsvRecords("age,plan,score,code\n42,pro,0.5,1\n,basic,NA,x\n 7 ,None,1e3,2\n");
    // Assess
    expect(plain(records)).toEqual([
      { age: 42, plan: "pro", score: 0.5, code: "1" },
      { age: null, plan: "basic", score: null, code: "x" },
      { age: 7, plan: null, score: 1000, code: "2" },
    ]);
  });

  it("reads quotes (commas, line breaks, doubled quotes), CRLF, a BOM, blank lines and short rows", () => {
    // Act
    const records = parseCsvRecords('\ufeffname,note,n\r\n"Smith, J","said ""hi""\nthen left",1\r\n\r\nLee,,\r\nKim\r\n');
    // Assess
    expect(plain(records)).toEqual([
      { name: "Smith, J", note: 'said "hi"\nthen left', n: 1 },
      { name: "Lee", note: null, n: null },
      { name: "Kim", note: null, n: null },
    ]);
  });

  it("keeps plain decimals only as numbers (hex, Infinity stay text) and a __proto__ column as a column", () => {
    // Act
    const [hex] = parseCsvRecords("a\n0x1f\n");
    const [inf] = parseCsvRecords("a\nInfinity\n");
    const [proto] = parseCsvRecords("__proto__,b\n1,2\n");
    // Assess
    expect(hex?.a).toBe("0x1f");
    expect(inf?.a).toBe("Infinity");
    expect(Object.keys(proto!)).toEqual(["__proto__", "b"]);
    expect(proto!.__proto__).toBe(1);
  });

  it.each([
    ["", /is empty/],
    ["a,,b\n1,2,3\n", /empty column name at position 2/],
    ["a,a\n1,2\n", /repeats the column name "a"/],
    ["a,b\n1,2,3\n", /row 1 has 3 fields but the header has 2/],
    ['a\n"open\n', /unterminated quoted field/],
  ])("refuses %j", (text, message) => {
    // Act / Assess
    expect(() => parseCsvRecords(text, "f.csv")).toThrow(message);
    expect(() => parseCsvRecords(text, "f.csv")).toThrow(MlwatchFileError);
  });

  it("types columns and reads values as the drift service's CSV reader does (property)", () => {
    // Prepare: cells whose number text is canonical (the service back-fills earlier numbers by String(value))
    const cell = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }).map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map(String),
      fc.constantFrom("", "NA", "nan", "null", "None", "pro", "basic", "a b", "x,y", 'q"t', "line\nbreak"),
    );
    const quote = (c: string): string => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
    const table = fc.integer({ min: 1, max: 4 }).chain((width) => fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 20 }).map((rows) => ({ width, rows })));
    fc.assert(
      fc.property(table, ({ width, rows }) => {
        const names = Array.from({ length: width }, (_, i) => `c${i}`);
        // a one-column row of "" is a blank line for neither reader's purpose here: keep rows non-blank
        const kept = width === 1 ? rows.filter((r) => r[0] !== "") : rows;
        const text = `${names.join(",")}\n${kept.map((r) => r.map(quote).join(",")).join("\n")}\n`;
        // Act
        const records = parseCsvRecords(text);
        const parser = new CsvColumnParser();
        parser.push(text);
        const columns = parser.finish();
        // Assess
        expect(records.length).toBe(columns.rows);
        for (const column of columns.columns) {
          const asText = column.textCount > 0;
          const expected = Array.from({ length: columns.rows }, (_, i) => (asText ? column.texts![i] : Number.isNaN(column.numbers[i]!) ? null : column.numbers[i]));
          expect(records.map((r) => r[column.name])).toEqual(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("readRecords", () => {
  it("reads a JSON array, JSON Lines and CSV by name, and JSON by its first character under another name", async () => {
    // Prepare
    const array = file("a.json", '[{"x":1},{"x":"b"}]');
    const lines = file("a.jsonl", '{"x":1}\n\n{"x":null}\n');
    const csv = file("a.csv", "x\n1\n");
    const sniffed = file("data.txt", ' [{"x":3}]');
    // Act / Assess
    expect(await readRecords(array)).toEqual([{ x: 1 }, { x: "b" }]);
    expect(await readRecords(lines)).toEqual([{ x: 1 }, { x: null }]);
    expect(plain(await readRecords(csv))).toEqual([{ x: 1 }]);
    expect(await readRecords(sniffed)).toEqual([{ x: 3 }]);
  });

  it.each([
    ["b.json", '{"x":1}', /b\.json must hold a JSON array of records/],
    ["c.json", "[1]", /c\.json item 1 is not a JSON object/],
    ["d.jsonl", '{"x":1}\nnot json\n', /d\.jsonl line 2 is not JSON/],
    ["e.ndjson", "[1]\n", /e\.ndjson line 1 is not a JSON object/],
  ])("refuses %s with a message naming the place", async (name, text, message) => {
    // Act
    const err = await readRecords(file(name, text)).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(MlwatchFileError);
    expect((err as Error).message).toMatch(message);
  });

  it("says why a file cannot be read", async () => {
    // Act
    const err = await readRecords(join(dir, "missing.csv")).catch((e: unknown) => e);
    // Assess
    expect((err as Error).message).toBe(`cannot read ${join(dir, "missing.csv")}: ENOENT`);
  });
});
