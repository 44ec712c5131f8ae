import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import { CsvColumnParser, parseCsv, readCsv } from "../../../../lambdas/shared/readers/csv.js";

const column = (csv: string, name: string, options = {}) => parseCsv(csv, options).columns.find((c) => c.name === name)!;

describe("parseCsv", () => {
  it("reads numbers into Float64Array with NaN for missing markers", () => {
    // Act
    const table = parseCsv("x,y\n1,2.5\n,-3e2\nNaN,null\n 4 ,NA\n");
    // Assess
    expect(table.rows).toBe(4);
    expect(Array.from(table.columns[0].numbers)).toEqual([1, NaN, NaN, 4]);
    expect(Array.from(table.columns[1].numbers)).toEqual([2.5, -300, NaN, NaN]);
    expect(table.columns[0]).toMatchObject({ numericCount: 2, missingCount: 2, textCount: 0 });
    expect(table.columns[0].texts).toBeUndefined();
  });

  it("parses numbers exactly like Number() (property)", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 17 }), (x, digits) => {
        const text = digits === 0 ? String(x) : x.toPrecision(Math.max(1, digits));
        const parsed = parseCsv(`v\n${text}\n`).columns[0].numbers[0];
        const expected = Number(text);
        // ±Infinity (e.g. "2e+308") is not a measurement: read as text, so NaN in the numeric view
        return Number.isFinite(expected) ? Object.is(parsed, expected) : Number.isNaN(parsed);
      }),
    );
  });

  it("keeps text for categorical columns and back-fills when text appears late", () => {
    // Act
    const declared = column("c\n01\nb\n", "c", { textColumns: new Set(["c"]) });
    const late = column("c\n1\n2\nred\n\n", "c");
    // Assess
    expect(declared.texts).toEqual(["01", "b"]);
    expect(late.texts).toEqual(["1", "2", "red", null]); // a blank line in a one-column file is a missing value
    expect(late.firstText).toEqual({ row: 3, value: "red" });
  });

  it("handles quotes, escaped quotes, embedded newlines, CRLF and a BOM", () => {
    // Act
    const table = parseCsv('\uFEFFname,v\r\n"Smith, J",1\r\n"say ""hi""\nthere",2\r\n');
    // Assess
    expect(table.columns.map((c) => c.name)).toEqual(["name", "v"]);
    expect(table.columns[0].texts).toEqual(["Smith, J", 'say "hi"\nthere']);
    expect(Array.from(table.columns[1].numbers)).toEqual([1, 2]);
  });

  it("pads short rows, skips blank lines and unselected columns", () => {
    // Act
    const table = parseCsv("a,b,c\n1\n\n2,3,4\n", { include: new Set(["a", "c"]) });
    // Assess
    expect(table.columns.map((c) => c.name)).toEqual(["a", "c"]);
    expect(Array.from(table.columns[1].numbers)).toEqual([NaN, 4]);
  });

  it("gives the same columns however the input is chunked", async () => {
    // Prepare
    const csv = 'a,b\n1,"x\ny"\n2.5,z\n-7,"q""r"\n';
    const bytes = Buffer.from(csv);
    async function* chunks(size: number) {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    }
    // Act
    const whole = parseCsv(csv);
    const pieces = await Promise.all([1, 2, 3, 5, 7].map((size) => readCsv(chunks(size))));
    // Assess
    for (const t of pieces) expect(t).toEqual(whole);
  });

  it("reads random files the same however they are cut into chunks, and like the cell rules (property)", async () => {
    const cell = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => String(x)),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((x) => x.toPrecision(12)),
      fc.constantFrom("", " 7 ", "NA", "null", "x", "1e999", "12abc", '"q,1"', '"a""b"', "-0", ".5", "5.", "\t3\t"),
    );
    const file = fc.record({
      // A row of one empty cell would be a blank line (skipped): give such rows a second cell.
      rows: fc.array(fc.array(cell, { minLength: 1, maxLength: 3 }).map((r) => (r.length === 1 && r[0] === "" ? ["", ""] : r)), { minLength: 1, maxLength: 12 }),
      eol: fc.constantFrom("\n", "\r\n"),
      blank: fc.boolean(),
      finalEol: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(file, fc.integer({ min: 1, max: 17 }), async ({ rows, eol, blank, finalEol }, size) => {
        const lines = ["a,b,c", ...rows.map((r) => r.join(","))];
        if (blank) lines.splice(1, 0, "");
        const text = lines.join(eol) + (finalEol ? eol : "");
        const bytes = Buffer.from(text);
        async function* chunks() {
          for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
        }
        // One buffer overwritten after each chunk is read, as `mlwatch drift` reads files: the parser must copy what it keeps.
        async function* reused() {
          const buffer = Buffer.alloc(size);
          for (let i = 0; i < bytes.length; i += size) {
            const n = bytes.copy(buffer, 0, i, i + size);
            yield buffer.subarray(0, n);
            buffer.fill(0x22);
          }
        }
        const whole = parseCsv(text);
        expect(await readCsv(chunks())).toEqual(whole);
        expect(await readCsv(reused())).toEqual(whole);
        // Every unquoted cell is classified as ColumnBuilder.pushCell classifies its text.
        for (let r = 0; r < rows.length; r++) {
          const fields = rows[r];
          if (fields.some((f) => f.includes('"'))) continue;
          for (let c = 0; c < 3; c++) {
            const raw = fields[c] ?? "";
            const v = whole.columns[c].numbers[r];
            const expected = Number(raw.trim());
            const numeric = raw.trim() !== "" && /^[-+.0-9]/.test(raw.trim()) && Number.isFinite(expected);
            expect(Object.is(v, numeric ? expected : NaN)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it("builds the same columns whatever the size hint says (exact, too small, too large)", async () => {
    // Prepare: 30,000 rows, read in 64 KB chunks (the hint is acted on after the first megabyte).
    const lines = ["a,b"];
    for (let i = 0; i < 30_000; i++) lines.push(`${(i * 0.37).toFixed(i % 5)},${i % 7 === 0 ? "" : i}`);
    const bytes = Buffer.from(`${lines.join("\n")}\n`);
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 65_536) yield bytes.subarray(i, i + 65_536);
    }
    const plain = await readCsv(chunks());
    // Act
    const hinted = await Promise.all([bytes.length, bytes.length / 3, bytes.length * 3].map((sizeHint) => readCsv(chunks(), { sizeHint })));
    // Assess
    expect(plain.rows).toBe(30_000);
    for (const t of hinted) {
      expect(t.rows).toBe(plain.rows);
      expect(t.columns.map((c) => Array.from(c.numbers))).toEqual(plain.columns.map((c) => Array.from(c.numbers)));
      expect(t.columns.map((c) => c.numbers.length)).toEqual([30_000, 30_000]);
    }
  }, 120_000);

  it("fills recycled arrays instead of new ones when they hold the rows expected, and leaves the others", async () => {
    // Prepare: a first file's columns (30,000 rows, its arrays reserved from the size hint), then a second
    // file of the same rows read with those arrays to recycle, and with arrays too small to hold it
    const lines = ["a,b"];
    for (let i = 0; i < 30_000; i++) lines.push(`${(i * 0.37).toFixed(i % 5)},${i % 7 === 0 ? "" : i}`);
    const first = Buffer.from(`${lines.join("\n")}\n`);
    const second = Buffer.from(first.toString().replaceAll("7", "8"));
    async function* chunks(bytes: Buffer) {
      for (let i = 0; i < bytes.length; i += 65_536) yield bytes.subarray(i, i + 65_536);
    }
    const old = await readCsv(chunks(first), { sizeHint: first.length });
    const recycle = old.columns.map((c) => c.numbers);
    const small = [new Float64Array(1000), new Float64Array(1000)];
    // Act
    const plain = await readCsv(chunks(second));
    const reused = await readCsv(chunks(second), { sizeHint: second.length, recycle });
    const fresh = await readCsv(chunks(second), { sizeHint: second.length, recycle: small });
    // Assess
    for (const t of [reused, fresh]) expect(t.columns.map((c) => Array.from(c.numbers))).toEqual(plain.columns.map((c) => Array.from(c.numbers)));
    expect(recycle).toEqual([]);
    expect(reused.columns.map((c) => c.numbers.buffer)).toEqual(old.columns.map((c) => c.numbers.buffer));
    expect(reused.columns.every((c, k) => c.numbers.buffer === old.columns[k].numbers.buffer)).toBe(true);
    expect(small).toHaveLength(2);
    expect(fresh.columns.some((c) => small.some((s) => s.buffer === c.numbers.buffer))).toBe(false);
  }, 120_000);

  it("throws on an empty input, a bad header, too many fields or an unterminated quote", () => {
    expect(() => parseCsv("")).toThrow("CSV input is empty");
    expect(() => parseCsv("a,a\n1,2\n")).toThrow(ValidationError);
    expect(() => parseCsv("a,\n1,2\n")).toThrow(/empty column name/);
    expect(() => parseCsv("a,b\n1,2,3\n")).toThrow("CSV row 1 has 3 fields but the header has 2");
    expect(() => parseCsv('a\n"open\n')).toThrow(/unterminated/);
    const parser = new CsvColumnParser();
    parser.push("a,b\n");
    expect(parser.finish().rows).toBe(0);
  });
});
