/**
 * Dataset fingerprinting: one streaming pass over an S3 object computes its sha256 and size and, for CSV
 * and JSON Lines (optionally gzip-compressed), counts rows and infers column types
 * (lambdas/core/lifecycle/column-types.ts). Parquet schema and row count come from the footer, read with
 * ranged GETs pinned to the same ETag. Memory stays bounded by the longest line.
 */
import { createHash } from "node:crypto";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import type { AsyncBuffer } from "hyparquet";
import { ColumnType, inferJsonType, inferTextType, SchemaAccumulator } from "../core/lifecycle/column-types.js";
import type { ColumnSchema } from "../core/lifecycle/dataset-diff.js";
import { UnprocessableError } from "../shared/errors.js";
import { s3Uri, type S3Location } from "./artifacts.js";
import { headObject, objectBody, objectRange } from "./store/objects.js";

/** Formats whose schema the registry infers. */
export type DatasetFormat = "csv" | "jsonl" | "parquet";

/** What the registry records about a dataset file. */
export interface DatasetFacts {
  readonly format: DatasetFormat;
  readonly compression: "gzip" | "none";
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly etag: string;
  readonly rowCount: number;
  readonly columns: ColumnSchema[];
}

/** Most columns recorded (the record must fit one DynamoDB item). */
export const maxColumns = 2000;

/** The format of a key from its extension; undefined when it cannot tell. */
export function formatOfKey(key: string): { format: DatasetFormat; gzip: boolean } | undefined {
  const lower = key.toLowerCase();
  const gzip = lower.endsWith(".gz");
  const base = gzip ? lower.slice(0, -3) : lower;
  if (base.endsWith(".csv")) return { format: "csv", gzip };
  if (base.endsWith(".jsonl") || base.endsWith(".ndjson") || base.endsWith(".json")) return { format: "jsonl", gzip };
  if (!gzip && (base.endsWith(".parquet") || base.endsWith(".pq"))) return { format: "parquet", gzip };
  return undefined;
}

/** Parses CSV (RFC 4180: quoted fields, doubled quotes, newlines inside quotes) chunk by chunk. */
export class CsvSchemaParser {
  private readonly acc = new SchemaAccumulator(ColumnType.string);
  private header: string[] | undefined;
  private field = "";
  private row: string[] = [];
  private inQuotes = false;
  private quotePending = false;
  private fieldCount = 0;
  public extraCells = 0;

  /** Feeds decoded text. */
  public push(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (ch === '"') {
            this.field += '"';
            continue;
          }
          this.inQuotes = false;
        } else if (ch === '"') {
          this.quotePending = true;
          continue;
        } else {
          this.field += ch;
          continue;
        }
      }
      if (ch === '"' && this.field === "") {
        this.inQuotes = true;
      } else if (ch === ",") {
        this.endField();
      } else if (ch === "\n") {
        this.endRow();
      } else if (ch !== "\r") {
        this.field += ch;
      }
    }
  }

  private endField(): void {
    this.row.push(this.field);
    this.field = "";
    this.fieldCount++;
  }

  private endRow(): void {
    this.endField();
    const row = this.row;
    this.row = [];
    this.fieldCount = 0;
    if (row.length === 1 && row[0] === "") return; // blank line
    if (!this.header) {
      const seen = new Set<string>();
      this.header = row.map((name, i) => {
        let n = name.trim() || `column_${i + 1}`;
        while (seen.has(n)) n = `${n}_${i + 1}`;
        seen.add(n);
        return n;
      });
      for (const n of this.header) this.acc.column(n);
      return;
    }
    this.acc.rows++;
    const h = this.header;
    for (let i = 0; i < h.length; i++) this.acc.add(h[i], i < row.length ? inferTextType(row[i]) : null);
    if (row.length > h.length) this.extraCells += row.length - h.length;
  }

  /** Ends the input (a last row without a newline counts). */
  public finish(): { rowCount: number; columns: ColumnSchema[] } {
    if (this.inQuotes && !this.quotePending) throw new UnprocessableError("CSV ends inside a quoted field");
    this.inQuotes = false;
    if (this.field !== "" || this.row.length > 0) this.endRow();
    if (!this.header) throw new UnprocessableError("CSV file is empty: no header row");
    return { rowCount: this.acc.rows, columns: this.acc.columns() };
  }
}

/** Parses JSON Lines (one object per line) chunk by chunk. */
export class JsonLinesSchemaParser {
  private readonly acc = new SchemaAccumulator(ColumnType.mixed);
  private rest = "";
  private line = 0;

  /** Feeds decoded text. */
  public push(text: string): void {
    const lines = (this.rest + text).split("\n");
    this.rest = lines.pop() ?? "";
    for (const l of lines) this.take(l);
  }

  private take(raw: string): void {
    this.line++;
    const l = raw.trim();
    if (l === "") return;
    let value: unknown;
    try {
      value = JSON.parse(l);
    } catch {
      throw new UnprocessableError(`JSON Lines line ${this.line} is not valid JSON`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new UnprocessableError(`JSON Lines line ${this.line} is not a JSON object`);
    }
    this.acc.rows++;
    for (const [k, v] of Object.entries(value)) this.acc.add(k, inferJsonType(v));
  }

  /** Ends the input. */
  public finish(): { rowCount: number; columns: ColumnSchema[] } {
    if (this.rest !== "") this.take(this.rest);
    this.rest = "";
    return { rowCount: this.acc.rows, columns: this.acc.columns() };
  }
}

function s3AsyncBuffer(loc: S3Location, size: number, etag: string): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const last = (end ?? size) - 1;
      if (last < start) return new ArrayBuffer(0);
      return objectRange(loc, start, last, etag);
    },
  };
}

/**
 * Reads a dataset object once: checksum, size, rows and inferred schema.
 * @throws UnprocessableError when the object is missing, unreadable, of unknown format or malformed.
 */
export async function fingerprintDataset(loc: S3Location, format?: DatasetFormat): Promise<DatasetFacts> {
  const uri = s3Uri(loc);
  const detected = formatOfKey(loc.key);
  const chosen = format ?? detected?.format;
  if (!chosen) throw new UnprocessableError(`cannot tell the format of ${uri} from its extension; pass format: csv, jsonl or parquet`);
  const gzip = detected?.gzip ?? false;
  if (chosen === "parquet" && gzip) throw new UnprocessableError("a gzip-compressed Parquet file is not supported (Parquet compresses its own pages)");
  let head;
  try {
    head = await headObject(loc);
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404) throw new UnprocessableError(`dataUri ${uri} does not exist`, { cause: err });
    if (status === 403) throw new UnprocessableError(`the registry cannot read ${uri} (access denied)`, { cause: err });
    throw new UnprocessableError(`could not read ${uri}`, { cause: err });
  }
  const { etag, sizeBytes } = head;

  const hash = createHash("sha256");
  const parser = chosen === "csv" ? new CsvSchemaParser() : chosen === "jsonl" ? new JsonLinesSchemaParser() : undefined;
  const decoder = new TextDecoder("utf-8");
  const body = (await objectBody(loc, etag)) as Readable;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  let parseError: unknown;
  try {
    const consume = async (source: AsyncIterable<Buffer>) => {
      try {
        for await (const chunk of source) parser?.push(decoder.decode(chunk, { stream: true }));
      } catch (err) {
        parseError = err;
        throw err;
      }
    };
    if (gzip) await pipeline(body, tap, createGunzip(), consume);
    else await pipeline(body, tap, consume);
  } catch (err) {
    // The pipeline reports a consumer's error as an abort; the parser's own error says what is wrong.
    if (parseError instanceof UnprocessableError) throw parseError;
    throw new UnprocessableError(`could not read ${uri}${gzip ? " as gzip" : ""}: ${(err as Error).message}`, { cause: err });
  }
  let shape: { rowCount: number; columns: ColumnSchema[] };
  if (parser) {
    parser.push(decoder.decode());
    shape = parser.finish();
  } else {
    try {
      // The Parquet reader loads with the first Parquet dataset.
      const { readParquetShape } = await import("../shared/readers/parquet.js");
      shape = await readParquetShape(s3AsyncBuffer(loc, sizeBytes, etag));
    } catch (err) {
      throw new UnprocessableError(`${uri} is not a readable Parquet file: ${(err as Error).message}`, { cause: err });
    }
  }
  if (shape.columns.length > maxColumns) throw new UnprocessableError(`${uri} has ${shape.columns.length} columns; at most ${maxColumns} are recorded`);
  return {
    format: chosen,
    compression: gzip ? "gzip" : "none",
    sha256: hash.digest("hex"),
    sizeBytes,
    etag,
    rowCount: shape.rowCount,
    columns: shape.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
  };
}
