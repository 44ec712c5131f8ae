/**
 * JSON Lines → columns: one JSON object per line; keys are columns. Numbers are numeric; strings are
 * classified like CSV cells (missing markers, decimal text → number, else text); null and absent keys are
 * missing; booleans become the text "true"/"false"; nested arrays/objects are kept as their JSON text.
 * A column first seen on a later line is back-filled with missing values. Blank lines are skipped.
 *
 * Pure parsing of a string, Buffer or async iterable of chunks, like `parseCsv`.
 * Cost: one `JSON.parse` per line.
 *
 * @throws {ValidationError} on an empty input, a line that is not valid JSON, or a line that is not an object.
 * @example
 * parseJsonLines('{"a":1,"b":"x"}\n{"a":null,"b":"y"}\n').columns[0].numbers; // → Float64Array [1, NaN]
 */
import { ValidationError } from "../../core/errors.js";
import { ColumnBuilder, type ColumnReadOptions, type ColumnTable } from "./columns.js";

export class JsonLinesColumnParser {
  private pending = "";
  private readonly builders = new Map<string, ColumnBuilder>();
  private readonly skipped = new Set<string>();
  private rows = 0;
  private line = 0;
  private readonly decoder = new TextDecoder("utf-8");

  public constructor(private readonly options: ColumnReadOptions = {}) {}

  public push(chunk: Uint8Array | string): void {
    const text = this.pending + (typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true }));
    let start = 0;
    for (;;) {
      const lf = text.indexOf("\n", start);
      if (lf === -1) break;
      this.handleLine(text.slice(start, lf));
      start = lf + 1;
    }
    this.pending = text.slice(start);
  }

  public finish(): ColumnTable {
    const rest = this.pending + this.decoder.decode();
    if (rest.trim() !== "") this.handleLine(rest);
    this.pending = "";
    if (this.rows === 0 && this.builders.size === 0) throw new ValidationError("JSON Lines input is empty");
    const columns = [...this.builders.values()].map((b) => b.finish(this.rows));
    return { columns, rows: this.rows, ...(this.skipped.size > 0 ? { skippedColumns: [...this.skipped] } : {}) };
  }

  private handleLine(raw: string): void {
    this.line++;
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
      if (this.options.include && !this.options.include.has(key)) {
        this.skipped.add(key);
        continue;
      }
      let b = this.builders.get(key);
      if (b === undefined) {
        b = new ColumnBuilder(key, this.options.textColumns?.has(key) ?? false);
        b.padTo(row - 1);
        this.builders.set(key, b);
      } else {
        b.padTo(row - 1);
      }
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
