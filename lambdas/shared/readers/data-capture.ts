/**
 * SageMaker data capture: the JSON Lines files an endpoint writes under
 * `{prefix}/{endpoint}/{variant}/yyyy/mm/dd/hh/*.jsonl`, one invocation per line:
 * `{"captureData":{"endpointInput":{"observedContentType":"text/csv","mode":"INPUT","data":"…","encoding":"CSV"},
 * "endpointOutput":{…}},"eventMetadata":{"eventId":"…","inferenceTime":"…"}}`.
 *
 * Only `endpointInput` is read (the features the model saw). `encoding` is `CSV` or `JSON` (data is the
 * payload text) or `BASE64` (data is the payload, base64-encoded); the payload is then read by its
 * `observedContentType`: CSV types (`text/csv`) as header-less CSV rows, one per line; JSON types as JSON;
 * JSON Lines types (`application/jsonlines`) one JSON value per line. When the content type names neither,
 * the payload is JSON if it starts with `{` or `[`, otherwise CSV.
 *
 * JSON payload shapes understood (each gives one or more rows):
 * - an object of feature → value: one named row;
 * - `{"instances": [...]}` or `{"inputs": [...]}`: each element is a row;
 * - `{"features": [...]}` (also as an element of `instances`): one positional row;
 * - an array of numbers/strings: one positional row; an array of arrays: positional rows; an array of objects: named rows.
 * Positional rows (CSV and the array shapes) carry no names: {@link CaptureColumnParser} names them by position
 * from the column names it is given (a check passes the baseline's feature order), and `feature_{i}` (0-based)
 * beyond them.
 */
import { ColumnBuilder, type ColumnReadOptions, type ColumnTable } from "./columns.js";

/** The rows of one captured invocation: named (JSON objects) and positional (CSV, arrays). */
export interface CaptureRows {
  readonly named: Record<string, unknown>[];
  readonly positional: unknown[][];
}

/** The `endpointInput` of a capture line. */
export interface CaptureInput {
  readonly observedContentType?: string;
  readonly mode?: string;
  readonly data: string;
  readonly encoding?: string;
}

/** True when a JSON value looks like a SageMaker data-capture line. */
export function isCaptureRecord(value: unknown): value is { captureData: { endpointInput?: CaptureInput } } {
  return (
    typeof value === "object" &&
    value !== null &&
    "captureData" in value &&
    typeof (value as { captureData: unknown }).captureData === "object" &&
    (value as { captureData: unknown }).captureData !== null
  );
}

/** The inference time of a capture line, if present. */
export function captureTime(value: unknown): string | undefined {
  const t = (value as { eventMetadata?: { inferenceTime?: unknown } })?.eventMetadata?.inferenceTime;
  return typeof t === "string" ? t : undefined;
}

/** Splits one CSV line into fields (RFC 4180 quoting; fields are trimmed of surrounding quotes). */
export function splitCaptureCsvLine(line: string): string[] {
  if (line.indexOf('"') === -1) return line.split(",");
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

function addJson(value: unknown, out: { named: Record<string, unknown>[]; positional: unknown[][] }): void {
  if (Array.isArray(value)) {
    if (value.length === 0) return;
    if (value.every((v) => v === null || typeof v !== "object")) {
      out.positional.push(value);
      return;
    }
    for (const element of value) {
      if (Array.isArray(element)) out.positional.push(element);
      else if (element !== null && typeof element === "object") addJson(element, out);
    }
    return;
  }
  if (value === null || typeof value !== "object") return;
  const obj = value as Record<string, unknown>;
  for (const key of ["instances", "inputs"]) {
    if (Array.isArray(obj[key])) {
      addJson(obj[key], out);
      return;
    }
  }
  if (Array.isArray(obj.features)) {
    out.positional.push(obj.features as unknown[]);
    return;
  }
  out.named.push(obj);
}

const isCsvType = (type: string): boolean => /csv/i.test(type);
const isJsonLinesType = (type: string): boolean => /jsonlines|jsonl|x-ndjson/i.test(type);
const isJsonType = (type: string): boolean => /json/i.test(type);

/**
 * The rows of one capture line's `endpointInput`.
 * @throws Error when the payload cannot be decoded (invalid base64 or JSON); callers count and skip it.
 */
export function captureInputRows(input: CaptureInput): CaptureRows {
  const encoding = (input.encoding ?? "").toUpperCase();
  const text = encoding === "BASE64" ? Buffer.from(input.data, "base64").toString("utf-8") : input.data;
  const type = input.observedContentType ?? "";
  const out = { named: [] as Record<string, unknown>[], positional: [] as unknown[][] };
  const trimmed = text.trim();
  if (trimmed === "") return out;
  const asCsv = isCsvType(type) || (!isJsonType(type) && !(trimmed.startsWith("{") || trimmed.startsWith("[")));
  if (asCsv) {
    for (const line of trimmed.split(/\r?\n/)) {
      if (line.trim() !== "") out.positional.push(splitCaptureCsvLine(line));
    }
    return out;
  }
  if (isJsonLinesType(type)) {
    for (const line of trimmed.split(/\r?\n/)) if (line.trim() !== "") addJson(JSON.parse(line), out);
    return out;
  }
  addJson(JSON.parse(trimmed), out);
  return out;
}

/**
 * The input rows of one capture line, or undefined when the line has no `endpointInput`.
 * @throws Error when the payload cannot be decoded.
 */
export function captureRecordRows(value: unknown): CaptureRows | undefined {
  if (!isCaptureRecord(value)) return undefined;
  const input = value.captureData.endpointInput;
  if (!input || typeof input.data !== "string") return undefined;
  return captureInputRows(input);
}

/** Options of {@link CaptureColumnParser}. */
export interface CaptureReadOptions extends ColumnReadOptions {
  /** Names of positional (CSV / array) columns, in order. @default feature_0, feature_1, … */
  readonly positionalNames?: readonly string[];
}

/**
 * Capture lines → columns: every input row of every invocation is a row. Lines whose payload cannot be
 * decoded are counted in `skipped` (and the first error kept), not fatal: one bad request must not hide
 * an hour of traffic. Cells follow the JSON Lines reader's rules (numbers, missing markers, text).
 */
export class CaptureColumnParser {
  private readonly builders = new Map<string, ColumnBuilder>();
  private readonly skippedNames = new Set<string>();
  private rows = 0;
  private line = 0;
  /** Lines skipped (not JSON, not a capture record, or an undecodable payload). */
  public skipped = 0;
  /** The first skipped line's problem. */
  public firstError?: string;

  public constructor(private readonly options: CaptureReadOptions = {}) {}

  private builder(name: string): ColumnBuilder | undefined {
    if (this.options.include && !this.options.include.has(name)) {
      this.skippedNames.add(name);
      return undefined;
    }
    let b = this.builders.get(name);
    if (b === undefined) {
      b = new ColumnBuilder(name, this.options.textColumns?.has(name) ?? false);
      this.builders.set(name, b);
    }
    b.padTo(this.rows - 1);
    return b;
  }

  private cell(b: ColumnBuilder, cell: unknown): void {
    if (cell === null || cell === undefined) b.pushMissing();
    else if (typeof cell === "number") {
      if (Number.isFinite(cell)) b.pushNumber(cell);
      else b.pushMissing();
    } else if (typeof cell === "string") b.pushCell(cell, this.rows);
    else if (typeof cell === "boolean") b.pushText(String(cell), this.rows);
    else b.pushText(JSON.stringify(cell).slice(0, 256), this.rows);
  }

  private skip(message: string): void {
    this.skipped++;
    this.firstError ??= `line ${this.line}: ${message}`;
  }

  /** Adds one capture line (blank lines are ignored). */
  public pushLine(text: string): void {
    this.line++;
    if (text.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.skip("not JSON");
    }
    let rows: CaptureRows | undefined;
    try {
      rows = captureRecordRows(value);
    } catch (err) {
      return this.skip(`payload cannot be decoded (${(err as Error).message.slice(0, 200)})`);
    }
    if (rows === undefined) return this.skip("no captureData.endpointInput");
    const names = this.options.positionalNames ?? [];
    for (const record of rows.named) {
      this.rows++;
      for (const key in record) {
        const b = this.builder(key);
        if (b) this.cell(b, record[key]);
      }
    }
    for (const values of rows.positional) {
      this.rows++;
      for (let i = 0; i < values.length; i++) {
        const b = this.builder(i < names.length ? names[i] : `feature_${i}`);
        if (b) this.cell(b, values[i]);
      }
    }
  }

  /** The columns, each padded to the row count. */
  public finish(): ColumnTable {
    const skippedColumns = [...this.skippedNames];
    return { columns: [...this.builders.values()].map((b) => b.finish(this.rows)), rows: this.rows, ...(skippedColumns.length > 0 ? { skippedColumns } : {}) };
  }
}
