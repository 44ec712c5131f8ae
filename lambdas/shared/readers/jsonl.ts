/**
 * JSON Lines → columns: one JSON object per line; keys are columns. Numbers are numeric; strings are
 * classified like CSV cells (missing markers, decimal text → number, else text); null and absent keys are
 * missing; booleans become the text "true"/"false"; nested arrays/objects are kept as their JSON text.
 * A column first seen on a later line is back-filled with missing values. Blank lines are skipped.
 *
 * Pure parsing of a string, Buffer or async iterable of chunks, like `parseCsv`. Speed: a flat line
 * (numbers, strings without escapes, null, booleans) is read straight from the bytes — numbers through
 * decimal-bytes.ts after a check of JSON's number grammar, keys matched against the previous line's bytes so
 * a repeated layout costs no string per key — and only committed once the whole line is valid; any other
 * line (nested values, escapes, numeric keys, whose order JSON.parse changes, repeated keys, anything
 * malformed) goes through `JSON.parse`, so both paths give the same table and the same errors.
 *
 * @throws {ValidationError} on an empty input, a line that is not valid JSON, or a line that is not an object.
 * @example
 * parseJsonLines('{"a":1,"b":"x"}\n{"a":null,"b":"y"}\n').columns[0].numbers; // → Float64Array [1, NaN]
 */
import { ValidationError } from "../../core/errors.js";
import { ColumnBuilder, reserveBySize, type ColumnReadOptions, type ColumnTable } from "./columns.js";
import { FlatLine, ValueKind } from "./json-flat-line.js";

const LF = 10;

export class JsonLinesColumnParser {
  private pending: Buffer | null = null;
  private readonly builders = new Map<string, ColumnBuilder>();
  private readonly skipped = new Set<string>();
  private rows = 0;
  private line = 0;
  private readonly flat = new FlatLine();
  /** The builder of each slot of the last fast line's layout (null: a skipped column). */
  private slotBuilders: (ColumnBuilder | null)[] = [];
  private bytesSeen = 0;
  private reserved = false;

  public constructor(private readonly options: ColumnReadOptions = {}) {}

  public push(chunk: Uint8Array | string): void {
    const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let all = buf;
    let start = 0;
    if (this.pending !== null) {
      // Join only the cut line (the pending bytes and the chunk up to its first line end), never the chunk.
      const lf = buf.indexOf(LF);
      if (lf === -1) all = Buffer.concat([this.pending, buf]);
      else {
        const joined = Buffer.concat([this.pending, buf.subarray(0, lf)]);
        this.handleBytes(joined, 0, joined.length);
        start = lf + 1;
      }
      this.pending = null;
    }
    for (;;) {
      const lf = all.indexOf(LF, start);
      if (lf === -1) break;
      this.handleBytes(all, start, lf);
      start = lf + 1;
    }
    this.pending = start < all.length ? Buffer.from(all.subarray(start)) : null;
    const hint = this.options.sizeHint;
    if (!this.reserved && hint !== undefined) {
      this.bytesSeen += buf.length;
      if (this.bytesSeen >= Math.min(1 << 20, hint)) {
        this.reserved = true;
        reserveBySize(this.builders.values(), hint, this.bytesSeen - (this.pending?.length ?? 0), this.rows, this.options.recycle);
      }
    }
  }

  public finish(): ColumnTable {
    const rest = this.pending;
    this.pending = null;
    if (rest !== null && rest.toString("utf8").trim() !== "") this.handleBytes(rest, 0, rest.length);
    if (this.rows === 0 && this.builders.size === 0) throw new ValidationError("JSON Lines input is empty");
    const columns = [...this.builders.values()].map((b) => b.finish(this.rows));
    return { columns, rows: this.rows, ...(this.skipped.size > 0 ? { skippedColumns: [...this.skipped] } : {}) };
  }

  private handleBytes(buf: Buffer, start: number, end: number): void {
    this.line++;
    let s = start;
    if (this.line === 1 && end - s >= 3 && buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf) s += 3;
    if (this.flat.read(buf, s, end)) this.commitFlat(buf);
    else this.handleLine(buf.toString("utf8", s, end));
  }

  private builderFor(key: string, row: number): ColumnBuilder | null {
    if (this.options.include && !this.options.include.has(key)) {
      this.skipped.add(key);
      return null;
    }
    let b = this.builders.get(key);
    if (b === undefined) {
      b = new ColumnBuilder(key, this.options.textColumns?.has(key) ?? false);
      this.builders.set(key, b);
    }
    b.padTo(row - 1);
    return b;
  }

  private commitFlat(buf: Buffer): void {
    const flat = this.flat;
    const row = ++this.rows;
    if (!flat.sameLayout) {
      this.slotBuilders = flat.keys.slice(0, flat.count).map((key) => this.builderFor(key, row));
      flat.committed();
    }
    for (let j = 0; j < flat.count; j++) {
      const b = this.slotBuilders[j];
      if (b === null) {
        this.skipped.add(flat.keys[j]);
        continue;
      }
      b.padTo(row - 1);
      const kind = flat.kinds[j];
      if (kind === ValueKind.number) b.pushNumber(flat.numbers[j]);
      else if (kind === ValueKind.string) b.pushCell(buf.toString("utf8", flat.starts[j], flat.ends[j]), row);
      else if (kind === ValueKind.null) b.pushMissing();
      else b.pushText(kind === ValueKind.true ? "true" : "false", row);
    }
  }

  private handleLine(raw: string): void {
    const line = this.line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new ValidationError(`JSON Lines line ${this.line} is not valid JSON`, { cause: error });
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new ValidationError(`JSON Lines line ${this.line} is not a JSON object`);
    }
    const row = ++this.rows;
    for (const [key, cell] of Object.entries(value as Record<string, unknown>)) {
      const b = this.builderFor(key, row);
      if (b === null) continue;
      if (cell === null || cell === undefined) b.pushMissing();
      else if (typeof cell === "number") {
        if (Number.isFinite(cell)) b.pushNumber(cell);
        else b.pushMissing();
      } else if (typeof cell === "string") b.pushCell(cell, row);
      else if (typeof cell === "boolean") b.pushText(String(cell), row);
      else b.pushText(JSON.stringify(cell), row);
    }
  }
}

/** Parses whole JSON Lines text held in memory. */
export function parseJsonLines(input: string | Uint8Array, options: ColumnReadOptions = {}): ColumnTable {
  const parser = new JsonLinesColumnParser(options);
  parser.push(input);
  return parser.finish();
}

/** Parses JSON Lines arriving in chunks. */
export async function readJsonLines(
  chunks: AsyncIterable<Uint8Array | string>,
  options: ColumnReadOptions = {},
): Promise<ColumnTable> {
  const parser = new JsonLinesColumnParser(options);
  for await (const chunk of chunks) parser.push(chunk);
  return parser.finish();
}
