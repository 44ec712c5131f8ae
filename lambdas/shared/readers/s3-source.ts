/**
 * Data in S3 as column tables: resolve an `s3://bucket/key` URI to one object or every object under a
 * prefix, detect each object's format, and stream it into the matching reader (csv.ts, jsonl.ts,
 * parquet.ts, data-capture.ts), one table per object.
 *
 * Formats: CSV (header row first), JSON Lines (one JSON object per line) and Parquet, detected by
 * extension (`.csv`, `.tsv`, `.jsonl`, `.ndjson`, `.json`, `.jsonl.out`, `.parquet`, `.pq`, each optionally `.gz`)
 * or, failing that, by content: the `PAR1` magic number is Parquet, a first non-blank character `{` is
 * JSON Lines, anything else is CSV. Gzip (`.gz` or the 1f 8b magic) is decompressed on the fly. A JSON Lines
 * object whose first line is a SageMaker data-capture record is read as data capture.
 *
 * Memory: CSV and JSON Lines are streamed in chunks (no whole-file string); Parquet is read with ranged
 * GETs (footer, then the column chunks), one file at a time.
 */
import type { ListObjectsV2CommandOutput } from "@aws-sdk/client-s3";
import type { AsyncBuffer } from "hyparquet";
import { MlwatchError, NotFoundError, UnprocessableError, ValidationError } from "../errors.js";
import { ColumnBuilder, type ColumnReadOptions, type ColumnTable } from "./columns.js";
import { CsvColumnParser } from "./csv.js";
import { JsonLinesColumnParser } from "./jsonl.js";
import { CaptureColumnParser, isCaptureRecord } from "./data-capture.js";
import { loadS3 } from "../sdk/s3.js";
import { getRange, isGzipKey, objectChunks, parseS3Uri, s3Failure, textLines, type S3ObjectRef } from "./s3-object.js";

export { maxReadResumes, objectChunks, objectLines, parseS3Uri, type S3Location, type S3ObjectRef } from "./s3-object.js";

/** The data formats the readers understand. */
export type DataFormat = "csv" | "jsonl" | "parquet";

/** The format an object was read as (data capture is JSON Lines of capture records). */
export type ReadFormat = DataFormat | "data-capture";

// Objects that are never data: folder markers, Spark/Hadoop markers, hidden files.
const isDataKey = (key: string, size: number): boolean => {
  const base = key.slice(key.lastIndexOf("/") + 1);
  return size > 0 && base !== "" && !base.startsWith("_") && !base.startsWith(".");
};

/** Options of {@link listS3Objects}. */
export interface ListOptions {
  /** Only objects modified strictly after this time. */
  readonly modifiedAfter?: Date;
  /** Only objects modified at or before this time. */
  readonly modifiedAtOrBefore?: Date;
  /** Refuse more objects than this. @default 10,000 */
  readonly maxObjects?: number;
  /** List only keys after this one (S3 `StartAfter`): an incremental listing skips what it has seen. */
  readonly startAfter?: string;
}

/**
 * The objects a URI names: the object itself when the key is an object, otherwise every data object
 * under the key taken as a folder (`key/`), in key order.
 * @throws {NotFoundError} when nothing is there; {UnprocessableError} when there are more than `maxObjects`.
 */
export async function listS3Objects(uri: string, options: ListOptions = {}): Promise<S3ObjectRef[]> {
  const { HeadObjectCommand, ListObjectsV2Command, s3Client } = await loadS3();
  const { bucket, key } = parseS3Uri(uri);
  const max = options.maxObjects ?? 10_000;
  const keep = (o: S3ObjectRef): boolean =>
    isDataKey(o.key, o.size) &&
    (options.modifiedAfter === undefined || o.lastModified.getTime() > options.modifiedAfter.getTime()) &&
    (options.modifiedAtOrBefore === undefined || o.lastModified.getTime() <= options.modifiedAtOrBefore.getTime());
  if (key !== "" && !key.endsWith("/")) {
    try {
      const head = await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      const ref = { bucket, key, size: Number(head.ContentLength ?? 0), lastModified: head.LastModified ?? new Date(0) };
      return keep(ref) ? [ref] : [];
    } catch (err) {
      const name = (err as { name?: string })?.name;
      if (name !== "NotFound" && name !== "NoSuchKey") s3Failure(err, uri);
    }
  }
  const prefix = key === "" || key.endsWith("/") ? key : `${key}/`;
  const out: S3ObjectRef[] = [];
  let token: string | undefined;
  let seen = 0;
  do {
    let page: ListObjectsV2CommandOutput;
    try {
      page = await s3Client().send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, StartAfter: token === undefined && options.startAfter !== undefined && options.startAfter > prefix ? options.startAfter : undefined }),
      );
    } catch (err) {
      s3Failure(err, uri);
    }
    for (const o of page.Contents ?? []) {
      seen++;
      const ref = { bucket, key: o.Key as string, size: Number(o.Size ?? 0), lastModified: o.LastModified ?? new Date(0) };
      if (keep(ref)) out.push(ref);
    }
    if (out.length > max) throw new UnprocessableError(`${uri} holds more than ${max} data objects; point at a narrower prefix`);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (seen === 0 && options.modifiedAfter === undefined && options.startAfter === undefined) throw new NotFoundError(`no object at ${uri}`);
  return out;
}

/** Hours a data-capture object may be written after the hour its key names (the margin of {@link hourlyStartAfter}). */
export const captureLagHours = 3;

/**
 * The `StartAfter` key of an incremental listing of an hourly-partitioned prefix (SageMaker data capture:
 * `{prefix}{yyyy}/{mm}/{dd}/{hh}/{file}`): the hour folder `captureLagHours` before `watermark`, so an object
 * written up to that long after its hour is still listed. The caller keeps its modified-time filter, so
 * the margin never checks an object twice.
 */
export function hourlyStartAfter(prefixKey: string, watermark: Date, lagHours = captureLagHours): string {
  const base = prefixKey === "" || prefixKey.endsWith("/") ? prefixKey : `${prefixKey}/`;
  const t = new Date(watermark.getTime() - lagHours * 3600_000);
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${base}${t.getUTCFullYear()}/${two(t.getUTCMonth() + 1)}/${two(t.getUTCDate())}/${two(t.getUTCHours())}`;
}

/**
 * True when a prefix holds only year folders (`2026/`, …): the hourly layout data capture writes under an
 * endpoint's variant, so {@link hourlyStartAfter} applies. One ListObjectsV2 call with a delimiter.
 */
export async function isHourlyPartitioned(uri: string): Promise<boolean> {
  const { ListObjectsV2Command, s3Client } = await loadS3();
  const { bucket, key } = parseS3Uri(uri);
  const prefix = key === "" || key.endsWith("/") ? key : `${key}/`;
  let page: ListObjectsV2CommandOutput;
  try {
    page = await s3Client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: "/", MaxKeys: 100 }));
  } catch (err) {
    return s3Failure(err, uri);
  }
  const folders = (page.CommonPrefixes ?? []).map((p) => (p.Prefix ?? "").slice(prefix.length));
  return folders.length > 0 && (page.Contents ?? []).length === 0 && folders.every((f) => /^\d{4}\/$/.test(f));
}

/** The format an object's name tells, if any. */
export function formatFromKey(key: string): DataFormat | undefined {
  const k = key.toLowerCase().replace(/\.gz$/, "");
  if (/\.(csv|tsv|txt)$/.test(k)) return "csv";
  if (/\.(jsonl|ndjson|json|jsonl\.out|json\.out)$/.test(k)) return "jsonl";
  if (/\.(parquet|pq|parq)$/.test(k)) return "parquet";
  return undefined;
}

/** The format the first bytes of an (uncompressed) object tell. */
export function formatFromContent(head: Uint8Array): DataFormat {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31) return "parquet";
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (c === 0xef || c === 0xbb || c === 0xbf || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    return c === 0x7b ? "jsonl" : "csv";
  }
  return "csv";
}

/** Detects an object's format: by extension, else by its first bytes. */
export async function detectFormat(ref: S3ObjectRef): Promise<DataFormat> {
  const byName = formatFromKey(ref.key);
  if (byName) return byName;
  if (ref.size === 0) return "csv";
  let head = await getRange(ref, 0, Math.min(ref.size, 4096));
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const chunks: Buffer[] = [];
    for await (const chunk of objectChunks(ref)) {
      chunks.push(Buffer.from(chunk));
      if (chunks.reduce((s, c) => s + c.length, 0) >= 4096) break;
    }
    head = Buffer.concat(chunks);
  }
  return formatFromContent(head);
}

/** Options of the object readers. */
export interface S3ReadOptions extends ColumnReadOptions {
  /** Names of data capture's positional (CSV / array) columns, in order. */
  readonly positionalNames?: readonly string[];
}

/** One object read as a table. */
export interface ObjectTable {
  readonly ref: S3ObjectRef;
  readonly format: ReadFormat;
  readonly table: ColumnTable;
  /** Data capture only: lines skipped and the first reason. */
  readonly skippedLines?: number;
  readonly firstSkipReason?: string;
}

// Parser errors name the object, and are the caller's data problem (422), not a malformed request (400).
function inObject(ref: S3ObjectRef, err: unknown): never {
  if (err instanceof ValidationError) throw new UnprocessableError(`s3://${ref.bucket}/${ref.key}: ${err.message}`, { cause: err });
  if (err instanceof MlwatchError) throw err;
  throw err;
}

/** The first line that is not blank, from the chunks read so far (undefined until one is complete). */
function firstContentLine(head: Buffer, ended: boolean): string | undefined {
  const text = head.toString("utf8").replace(/^\uFEFF/, "");
  let start = 0;
  for (;;) {
    const nl = text.indexOf("\n", start);
    const line = nl === -1 ? (ended ? text.slice(start) : undefined) : text.slice(start, nl);
    if (line === undefined) return undefined;
    if (line.trim() !== "") return line;
    if (nl === -1) return "";
    start = nl + 1;
  }
}

async function readJsonLinesObject(ref: S3ObjectRef, options: S3ReadOptions): Promise<ObjectTable> {
  // Read until the first line with content decides: SageMaker data capture (line by line) or plain JSON
  // Lines (whole chunks into the byte reader). Nothing is read twice.
  const iterator = objectChunks(ref)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let first: string | undefined;
  let ended = false;
  while (first === undefined) {
    const next = await iterator.next();
    if (next.done) ended = true;
    else head.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
    first = firstContentLine(Buffer.concat(head), ended);
    if (ended) break;
  }
  if (first === undefined || first === "") return { ref, format: "jsonl", table: { columns: [], rows: 0 } };
  const chunks = (async function* (): AsyncGenerator<Uint8Array> {
    yield* head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  })();
  let parsed: unknown;
  try {
    parsed = JSON.parse(first);
  } catch {
    parsed = undefined;
  }
  if (isCaptureRecord(parsed)) {
    const capture = new CaptureColumnParser(options);
    let started = false;
    for await (const line of textLines(chunks)) {
      if (!started && line.trim() === "") continue;
      started = true;
      capture.pushLine(line);
    }
    return { ref, format: "data-capture", table: capture.finish(), skippedLines: capture.skipped, firstSkipReason: capture.firstError };
  }
  const compressed = isGzipKey(ref.key);
  const jsonl = new JsonLinesColumnParser(compressed ? options : { ...options, sizeHint: ref.size });
  for await (const chunk of chunks) jsonl.push(chunk);
  return { ref, format: "jsonl", table: jsonl.finish() };
}

async function readCsvObject(ref: S3ObjectRef, options: S3ReadOptions): Promise<ObjectTable> {
  // The stored size is the parsed size unless the object is gzip (then the readers grow as they go).
  const parser = new CsvColumnParser(isGzipKey(ref.key) ? options : { ...options, sizeHint: ref.size });
  for await (const chunk of objectChunks(ref)) parser.push(chunk);
  return { ref, format: "csv", table: parser.finish() };
}

/**
 * An AsyncBuffer over an S3 object: ranged GETs, the footer and small reads cached. The Parquet reader
 * (hyparquet) loads with the first Parquet object: CSV and JSON Lines reads never evaluate it.
 */
export async function s3AsyncBuffer(ref: S3ObjectRef): Promise<AsyncBuffer> {
  const { cachedAsyncBuffer } = await import("hyparquet");
  return cachedAsyncBuffer({
    byteLength: ref.size,
    slice: async (start: number, end?: number) => {
      const bytes = await getRange(ref, start, end ?? ref.size);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  });
}

async function readParquetObject(ref: S3ObjectRef, options: S3ReadOptions): Promise<ObjectTable> {
  const { readParquetColumns, readParquetShape } = await import("./parquet.js");
  const file = await s3AsyncBuffer(ref);
  let shape;
  try {
    shape = await readParquetShape(file);
  } catch (err) {
    throw new UnprocessableError(`s3://${ref.bucket}/${ref.key} is not a readable Parquet file`, { cause: err });
  }
  const scalar = shape.columns.filter((c) => c.type !== "array" && c.type !== "object" && c.type !== "binary").map((c) => c.name);
  const names = scalar.filter((n) => options.include === undefined || options.include.has(n));
  const skippedColumns = scalar.filter((n) => options.include !== undefined && !options.include.has(n));
  const skipped = skippedColumns.length > 0 ? { skippedColumns } : {};
  if (names.length === 0) return { ref, format: "parquet", table: { columns: [], rows: shape.rowCount, ...skipped } };
  const values = await readParquetColumns(file, names);
  const rows = shape.rowCount;
  const columns = names.map((name) => {
    const b = new ColumnBuilder(name, options.textColumns?.has(name) ?? false, Math.max(rows, 1));
    const column = values[name];
    for (let r = 0; r < rows; r++) {
      const v = column[r];
      if (v === null || v === undefined) b.pushMissing();
      else if (typeof v === "number") {
        if (Number.isFinite(v)) b.pushNumber(v);
        else b.pushMissing();
      } else if (typeof v === "bigint") b.pushNumber(Number(v));
      else if (typeof v === "string") b.pushCell(v, r + 1);
      else if (v instanceof Date) b.pushText(v.toISOString(), r + 1);
      else b.pushText(String(v), r + 1);
    }
    return b.finish(rows);
  });
  return { ref, format: "parquet", table: { columns, rows, ...skipped } };
}

/**
 * Reads one object into a table with the reader its format calls for.
 * @throws {UnprocessableError} naming the object when it cannot be parsed.
 */
export async function readS3Object(ref: S3ObjectRef, options: S3ReadOptions = {}): Promise<ObjectTable> {
  const format = await detectFormat(ref);
  try {
    if (format === "csv") return await readCsvObject(ref, options);
    if (format === "parquet") return await readParquetObject(ref, options);
    return await readJsonLinesObject(ref, options);
  } catch (err) {
    return inObject(ref, err);
  }
}

/**
 * Reads every object a URI names (or the given objects), one table per object, one object at a time.
 * @throws {NotFoundError} when there is no object; {UnprocessableError} when an object cannot be parsed.
 */
export async function* readS3Tables(
  source: string | readonly S3ObjectRef[],
  options: S3ReadOptions & ListOptions = {},
): AsyncGenerator<ObjectTable> {
  const objects = typeof source === "string" ? await listS3Objects(source, options) : source;
  for (const ref of objects) yield await readS3Object(ref, options);
}
