/**
 * Parquet reading on top of hyparquet (pure JS): the schema of a file as mlwatch column types, its row
 * count from the footer (no data pages read), and whole columns — numeric ones as `Float64Array`.
 * The file is any hyparquet `AsyncBuffer` (bytes in memory, or ranged S3 reads), so only the footer and
 * the requested column chunks are fetched.
 */
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData, type SchemaTree } from "hyparquet";

/** One top-level column of a Parquet file. */
export interface ParquetColumn {
  readonly name: string;
  /** integer, number, boolean, string, date, timestamp, time, binary, array or object. */
  readonly type: string;
  readonly nullable: boolean;
  /** The physical type, e.g. `INT64`; `GROUP` for nested columns. */
  readonly physicalType: string;
}

/** What the footer tells about a file. */
export interface ParquetShape {
  readonly rowCount: number;
  readonly rowGroups: number;
  readonly columns: ParquetColumn[];
  readonly createdBy?: string;
}

/** Wraps bytes held in memory as an AsyncBuffer. */
export function asyncBufferFromBytes(bytes: Uint8Array): AsyncBuffer {
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return { byteLength: copy.byteLength, slice: (start, end) => copy.slice(start, end) };
}

function leafType(tree: SchemaTree): string {
  const e = tree.element;
  const logical = e.logical_type?.type;
  switch (logical) {
    case "STRING":
    case "ENUM":
    case "UUID":
    case "JSON":
      return "string";
    case "DATE":
      return "date";
    case "TIMESTAMP":
      return "timestamp";
    case "TIME":
      return "time";
    case "INTEGER":
      return "integer";
    case "DECIMAL":
    case "FLOAT16":
      return "number";
    default:
      break;
  }
  switch (e.converted_type) {
    case "UTF8":
    case "ENUM":
    case "JSON":
      return "string";
    case "DATE":
      return "date";
    case "TIMESTAMP_MILLIS":
    case "TIMESTAMP_MICROS":
      return "timestamp";
    case "TIME_MILLIS":
    case "TIME_MICROS":
      return "time";
    case "DECIMAL":
      return "number";
    case "INT_8":
    case "INT_16":
    case "INT_32":
    case "INT_64":
    case "UINT_8":
    case "UINT_16":
    case "UINT_32":
    case "UINT_64":
      return "integer";
    default:
      break;
  }
  switch (e.type) {
    case "BOOLEAN":
      return "boolean";
    case "INT32":
    case "INT64":
      return "integer";
    case "INT96":
      return "timestamp";
    case "FLOAT":
    case "DOUBLE":
      return "number";
    default:
      return "binary";
  }
}

function columnOf(tree: SchemaTree): ParquetColumn {
  const e = tree.element;
  const nullable = e.repetition_type !== "REQUIRED";
  if (e.repetition_type === "REPEATED") return { name: e.name, type: "array", nullable: false, physicalType: e.type ?? "GROUP" };
  if (tree.children.length > 0) {
    const kind = e.logical_type?.type ?? e.converted_type;
    const type = kind === "LIST" ? "array" : "object";
    return { name: e.name, type, nullable, physicalType: "GROUP" };
  }
  return { name: e.name, type: leafType(tree), nullable, physicalType: e.type ?? "BYTE_ARRAY" };
}

/** Reads the footer of a Parquet file. */
export async function readParquetMetadata(file: AsyncBuffer): Promise<FileMetaData> {
  return parquetMetadataAsync(file);
}

/**
 * Reads a Parquet file's top-level columns and row count from its footer.
 * @throws Error when the bytes are not a Parquet file.
 */
export async function readParquetShape(file: AsyncBuffer): Promise<ParquetShape> {
  const metadata = await parquetMetadataAsync(file);
  const root = parquetSchema(metadata);
  return {
    rowCount: Number(metadata.num_rows),
    rowGroups: metadata.row_groups.length,
    columns: root.children.map(columnOf),
    createdBy: metadata.created_by,
  };
}

/** Reads whole columns as plain values (one array per column, in row order). */
export async function readParquetColumns(file: AsyncBuffer, columns: readonly string[]): Promise<Record<string, unknown[]>> {
  const rows = await parquetReadObjects({ file, columns: [...columns] });
  const out: Record<string, unknown[]> = Object.fromEntries(columns.map((c) => [c, new Array<unknown>(rows.length)]));
  rows.forEach((row, i) => {
    for (const c of columns) out[c][i] = row[c];
  });
  return out;
}

/**
 * Reads one numeric column as a `Float64Array`; nulls and non-numeric values become NaN.
 * BigInt (INT64) values are converted to numbers (exact up to 2^53).
 */
export async function readParquetNumericColumn(file: AsyncBuffer, column: string): Promise<Float64Array> {
  const values = (await readParquetColumns(file, [column]))[column];
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : Number.NaN;
  }
  return out;
}
