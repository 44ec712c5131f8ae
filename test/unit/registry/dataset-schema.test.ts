import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvSchemaParser, formatOfKey, JsonLinesSchemaParser } from "../../../lambdas/registry/dataset-schema.js";

function parseCsv(chunks: string[]) {
  const p = new CsvSchemaParser();
  for (const c of chunks) p.push(c);
  return p.finish();
}

const csv = 'name,score,note\r\n"Smith, J",1.5,"said ""hi""\nthen left"\nDoe,2,\n\n"x",,"y"';

describe("CsvSchemaParser", () => {
  it("handles quotes, doubled quotes, newlines in quotes, CRLF, blank lines and a last row without newline", () => {
    expect(parseCsv([csv])).toEqual({
      rowCount: 3,
      columns: [
        { name: "name", type: "string", nullable: false },
        { name: "score", type: "number", nullable: true },
        { name: "note", type: "string", nullable: true },
      ],
    });
  });

  it("gives the same answer wherever the chunks split (property)", () => {
    const whole = parseCsv([csv]);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: csv.length - 1 }), { maxLength: 8 }), (cuts) => {
        const sorted = [...cuts].sort((a, b) => a - b);
        const chunks = [0, ...sorted].map((start, i) => csv.slice(start, sorted[i] ?? csv.length));
        expect(parseCsv(chunks)).toEqual(whole);
      }),
    );
  });

  it("refuses an unterminated quote and an empty file", () => {
    expect(() => parseCsv(['a,b\n"x,1'])).toThrow("CSV ends inside a quoted field");
    expect(() => parseCsv([""])).toThrow("CSV file is empty");
  });
});

describe("JsonLinesSchemaParser", () => {
  it("names the line that is not an object", () => {
    const p = new JsonLinesSchemaParser();
    expect(() => p.push('{"a":1}\n[1,2]\n')).toThrow("JSON Lines line 2 is not a JSON object");
  });
});

describe("formatOfKey", () => {
  it.each([
    ["a/b.csv", { format: "csv", gzip: false }],
    ["a/b.CSV.gz", { format: "csv", gzip: true }],
    ["b.ndjson", { format: "jsonl", gzip: false }],
    ["b.parquet", { format: "parquet", gzip: false }],
    ["b.txt", undefined],
  ])("reads %s", (key, expected) => {
    expect(formatOfKey(key)).toEqual(expected);
  });
});
