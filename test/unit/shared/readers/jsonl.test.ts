import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import { ColumnBuilder } from "../../../../lambdas/shared/readers/columns.js";
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
    // One buffer overwritten after each chunk is read, as `mlwatch drift` reads files: the parser must copy what it keeps.
    async function* reused(size: number) {
      const buffer = Buffer.alloc(size);
      for (let i = 0; i < bytes.length; i += size) {
        const n = bytes.copy(buffer, 0, i, i + size);
        yield buffer.subarray(0, n);
        buffer.fill(0x7b);
      }
    }
    // Act
    const streamed = await readJsonLines(chunks());
    // Assess
    for (const size of [1, 3, 7, 64]) expect(await readJsonLines(reused(size))).toEqual(streamed);
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

/** The reader's rules with JSON.parse on every line: what the byte path must reproduce. */
function referenceTable(text: string, options: { include?: Set<string>; textColumns?: Set<string> } = {}): unknown {
  const builders = new Map<string, ColumnBuilder>();
  const skipped = new Set<string>();
  let rows = 0;
  text.split("\n").forEach((raw, index) => {
    const line = index === 0 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`JSON Lines line ${index + 1} is not valid JSON`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`JSON Lines line ${index + 1} is not a JSON object`);
    const row = ++rows;
    for (const [key, cell] of Object.entries(value as Record<string, unknown>)) {
      if (options.include && !options.include.has(key)) {
        skipped.add(key);
        continue;
      }
      let b = builders.get(key);
      if (b === undefined) builders.set(key, (b = new ColumnBuilder(key, options.textColumns?.has(key) ?? false)));
      b.padTo(row - 1);
      if (cell === null) b.pushMissing();
      else if (typeof cell === "number") {
        if (Number.isFinite(cell)) b.pushNumber(cell);
        else b.pushMissing();
      } else if (typeof cell === "string") b.pushCell(cell, row);
      else if (typeof cell === "boolean") b.pushText(String(cell), row);
      else b.pushText(JSON.stringify(cell), row);
    }
  });
  const columns = [...builders.values()].map((b) => b.finish(rows));
  return { columns, rows, ...(skipped.size > 0 ? { skippedColumns: [...skipped] } : {}) };
}

describe("parseJsonLines byte path", () => {
  it("gives JSON.parse's table and errors for flat, nested, escaped and malformed lines (property)", () => {
    const key = fc.constantFrom("a", "b", "c", "é", "10", 'x\\"y', "__proto__", "constructor");
    const value = fc.constantFrom(
      "1", "-0", "2.5", "1e3", "-1.25E-2", "1e400", "01", "+1", "1.", ".5", "-", "0.30000000000000004", "123456789012345678",
      "null", "true", "false", '"x"', '"3.5"', '""', '"NA"', '"a\\nb"', '"é"', "[1,2]", '{"k":1}', "nul", "tru",
    );
    const line = fc.oneof(
      { weight: 8, arbitrary: fc.array(fc.tuple(key, value, fc.constantFrom("", " ", "\t")), { maxLength: 4 }).map((fields) => `{${fields.map(([k, v, ws]) => `${ws}"${k}"${ws}:${ws}${v}`).join(",")}}`) },
      { weight: 1, arbitrary: fc.constantFrom("", "  ", "\r", "[1]", "7", '{"a":1', '{"a":1}x', '{"a":1,}', '{"a" 1}', '{"a":1}\r') },
    );
    const options = fc.constantFrom({}, { include: new Set(["a", "c"]) }, { textColumns: new Set(["b"]) });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), options, fc.boolean(), (lines, opts, bom) => {
        const text = (bom ? "\uFEFF" : "") + lines.join("\n");
        let expected: unknown;
        let expectedError: string | undefined;
        try {
          expected = referenceTable(text, opts);
          if ((expected as { rows: number; columns: unknown[] }).rows === 0 && (expected as { columns: unknown[] }).columns.length === 0) expectedError = "JSON Lines input is empty";
        } catch (err) {
          expectedError = (err as Error).message;
        }
        if (expectedError !== undefined) {
          expect(() => parseJsonLines(text, opts)).toThrow(expectedError);
          return;
        }
        expect(parseJsonLines(text, opts)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  }, 60_000);
});
