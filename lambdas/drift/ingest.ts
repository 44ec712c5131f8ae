/**
 * Loading the data of a baseline or a check: inline records, or every object an `s3://` URI names,
 * merged into drift columns (columns.ts). Warnings (skipped capture lines, ignored columns, non-numeric
 * values in numerical features) are returned so the check record can show them.
 */
import { ColumnCollector, type ColumnCollectorOptions } from "./columns.js";
import { warningsOf, type LoadedData } from "./loaded-data.js";
import { listS3Objects, readS3Object, type ListOptions, type S3ObjectRef, type ReadFormat } from "../shared/readers/s3-source.js";

/** Options of the loaders. */
export interface LoadOptions extends ColumnCollectorOptions {
  /** Names of data capture's positional columns (the baseline's feature order). */
  readonly positionalNames?: readonly string[];
}

/** Loads inline JSON records. */
export function loadRecords(records: ReadonlyArray<Readonly<Record<string, unknown>>>, options: LoadOptions = {}): LoadedData {
  const collector = new ColumnCollector(options);
  collector.addRecords(records);
  const columns = collector.finish();
  return { columns, rows: collector.rows, objects: 0, bytes: 0, formats: [], warnings: warningsOf(collector, columns, []), unexpectedFeatures: collector.unexpected };
}

/**
 * Loads every object a URI names (or the given objects), one object at a time.
 * @throws {NotFoundError} when nothing is there; {UnprocessableError} when an object cannot be parsed.
 */
export async function loadS3(source: string | readonly S3ObjectRef[], options: LoadOptions & ListOptions = {}): Promise<LoadedData> {
  const collector = new ColumnCollector(options);
  const objects = typeof source === "string" ? await listS3Objects(source, options) : source;
  const readOptions = { include: collector.wantedColumns(), textColumns: collector.textColumns(), positionalNames: options.positionalNames };
  const formats = new Set<ReadFormat>();
  const extra: string[] = [];
  let bytes = 0;
  let skipped = 0;
  let firstSkip: string | undefined;
  for (const ref of objects) {
    const read = await readS3Object(ref, readOptions);
    formats.add(read.format);
    bytes += ref.size;
    if (read.skippedLines) {
      skipped += read.skippedLines;
      firstSkip ??= `s3://${ref.bucket}/${ref.key} ${read.firstSkipReason ?? ""}`.trim();
    }
    collector.addTable(read.table);
  }
  if (skipped > 0) extra.push(`${skipped} data-capture line(s) skipped; first: ${firstSkip}`);
  const columns = collector.finish();
  return { columns, rows: collector.rows, objects: objects.length, bytes, formats: [...formats], warnings: warningsOf(collector, columns, extra), unexpectedFeatures: collector.unexpected };
}
