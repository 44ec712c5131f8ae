/**
 * A batch given by `dataUri`: an `s3://` CSV, JSON Lines or Parquet object (or every object under a prefix,
 * concatenated in key order) with named columns — by default `prediction`, `actual` and (binary
 * classification) `score`. A classification object with a score column and no actual column (its name not
 * given in `columns.actual`) is an unlabelled batch, kept for performance estimation. Read with the shared readers (lambdas/shared/readers/s3-source.ts), only the
 * needed columns, then checked like an inline batch. Problems in the data are the caller's: 422 naming the
 * object, the column and the row.
 */
import { NotFoundError, UnprocessableError, ValidationError } from "../shared/errors.js";
import { detectFormat, listS3Objects, readS3Object, type DataFormat } from "../shared/readers/s3-source.js";
import type { Column } from "../shared/readers/columns.js";
import { checkBatchColumns, type CheckedColumns } from "../core/performance/batch-columns.js";
import type { Task } from "../core/performance/metric-names.js";

/** Most rows a dataUri batch may hold (memory of one function invocation). */
export const maxDataUriRows = 2_000_000;

/** What was read. */
export interface ReadBatch {
  readonly columns: CheckedColumns;
  /** False for an unlabelled batch: `columns.actual` then repeats the predictions (nothing is measured on it). */
  readonly labelled: boolean;
  readonly format: DataFormat | "data-capture";
  readonly columnNames: { prediction: string; actual?: string; score?: string };
  readonly rows: number;
  readonly objects: string[];
}

/** Values of a column for the checks: numbers (NaN → null, named as missing), or labels from text. */
function values(column: Column, rows: number, asLabels: boolean): unknown[] {
  const out = new Array<unknown>(rows);
  for (let r = 0; r < rows; r++) {
    const text = column.texts?.[r];
    const n = column.numbers[r];
    if (asLabels && column.texts) {
      if (text === null || text === undefined) out[r] = null;
      else {
        // "1" and "1.0" in a file are the same class; other text stays text.
        const num = Number(text);
        out[r] = text.trim() !== "" && Number.isInteger(num) ? num : text;
      }
    } else {
      out[r] = Number.isNaN(n) ? (text ?? null) : n;
    }
  }
  return out;
}

/**
 * Reads a batch from S3.
 * @throws {NotFoundError} when the object does not exist; {UnprocessableError} when a column is missing,
 *   the data does not fit the task, the object's format differs from `format`, or it is too large.
 */
export async function readBatchObject(
  uri: string,
  task: Task,
  format?: DataFormat,
  names: { prediction?: string; actual?: string; score?: string } = {},
): Promise<ReadBatch> {
  const wanted = { prediction: names.prediction ?? "prediction", actual: names.actual ?? "actual", score: names.score };
  const refs = await listS3Objects(uri);
  if (refs.length === 0) throw new NotFoundError(`no data object at ${uri}`);
  const include = new Set([wanted.prediction, wanted.actual, wanted.score ?? "score"]);
  const textColumns = task === "classification" ? new Set([wanted.prediction, wanted.actual]) : undefined;
  const parts: { prediction: unknown[]; actual: unknown[]; score?: unknown[] }[] = [];
  let rows = 0;
  let readFormat: ReadBatch["format"] = "csv";
  let scoreColumn: string | undefined;
  let labelled: boolean | undefined;
  for (const ref of refs) {
    const where = `s3://${ref.bucket}/${ref.key}`;
    if (format !== undefined) {
      const detected = await detectFormat(ref);
      if (detected !== format) throw new UnprocessableError(`${where} reads as ${detected}, not ${format} as the request says`);
    }
    const { table, format: f } = await readS3Object(ref, { include, textColumns });
    readFormat = f;
    const byName = new Map(table.columns.map((c) => [c.name, c]));
    // Scores without actuals: labels not known yet (an actual column asked for by name must be there).
    const unlabelled = task === "classification" && names.actual === undefined && !byName.has(wanted.actual) && byName.has(wanted.score ?? "score");
    const missing = [wanted.prediction, ...(unlabelled ? [] : [wanted.actual]), ...(wanted.score ? [wanted.score] : [])].filter((n) => !byName.has(n));
    if (missing.length > 0 && table.rows > 0) {
      throw new UnprocessableError(
        `${where} has no column ${missing.map((m) => JSON.stringify(m)).join(", ")} (columns read: ${[...byName.keys()].join(", ") || "none"}); name them with body.columns`,
      );
    }
    if (table.rows === 0) continue;
    rows += table.rows;
    if (rows > maxDataUriRows) throw new UnprocessableError(`${uri} holds more than ${maxDataUriRows.toLocaleString("en-US")} rows; split it into several batches`);
    // A score column is used when asked for, or when a column named "score" is present in a classification batch.
    const score = wanted.score ?? (task === "classification" && byName.has("score") ? "score" : undefined);
    if (parts.length > 0 && (score !== undefined) !== (scoreColumn !== undefined)) {
      throw new UnprocessableError(`${where}: some objects under ${uri} have a score column and others do not`);
    }
    scoreColumn = score;
    if (labelled !== undefined && labelled === unlabelled) throw new UnprocessableError(`${where}: some objects under ${uri} have an actual column and others do not`);
    labelled = !unlabelled;
    const prediction = values(byName.get(wanted.prediction) as Column, table.rows, task === "classification");
    parts.push({
      prediction,
      actual: unlabelled ? prediction : values(byName.get(wanted.actual) as Column, table.rows, task === "classification"),
      ...(score ? { score: values(byName.get(score) as Column, table.rows, false) } : {}),
    });
  }
  if (rows === 0) throw new UnprocessableError(`${uri} holds no rows`);
  const flat = (key: "prediction" | "actual" | "score"): unknown[] => parts.flatMap((p) => p[key] ?? []);
  let columns: CheckedColumns;
  try {
    columns = checkBatchColumns(task, flat("prediction"), flat("actual"), scoreColumn ? flat("score") : undefined, {
      predictions: `column ${wanted.prediction}`,
      actuals: `column ${wanted.actual}`,
      scores: `column ${scoreColumn ?? "score"}`,
    });
  } catch (err) {
    if (err instanceof ValidationError) throw new UnprocessableError(`${uri}: ${err.message} (row numbers count data rows from 0)`, { cause: err });
    throw err;
  }
  return {
    columns,
    labelled: labelled !== false,
    format: readFormat,
    columnNames: { prediction: wanted.prediction, ...(labelled !== false ? { actual: wanted.actual } : {}), ...(scoreColumn ? { score: scoreColumn } : {}) },
    rows,
    objects: refs.map((r) => `s3://${r.bucket}/${r.key}`),
  };
}
