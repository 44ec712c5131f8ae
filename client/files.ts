/**
 * Request bodies from a local data file's records (client/records.ts), as `createBaselineFromFile`,
 * `recordBatchFromFile` and the command line (`mlwatch baselines create`, `mlwatch performance record`,
 * `mlwatch ground-truth record`) build them — one set of rules for all, the same as the Python client's
 * `create_baseline_from_file` / `record_batch_from_file`.
 */
import type { Body } from "./api-types.js";
import { MlwatchFileError } from "./errors.js";
import { decimalValue, type FileRecord } from "./records.js";

/** Options of {@link MlwatchClient.createBaselineFromFile}. */
export interface BaselineFileOptions {
  /** Features to treat as categorical (others are inferred). @default none */
  readonly categorical?: readonly string[] | undefined;
  /** Only these features. @default every column */
  readonly features?: readonly string[] | undefined;
  /** Never these features (ids, labels, timestamps). @default none */
  readonly exclude?: readonly string[] | undefined;
}

/** Options of {@link MlwatchClient.recordBatchFromFile}. */
export interface BatchFileOptions {
  /** @default classification when a score column is used, a label is not a number, or every label is 0/1; else regression */
  readonly task?: "regression" | "classification" | undefined;
  /** The predictions' column. @default "prediction" */
  readonly predictionColumn?: string | undefined;
  /** The actuals' column. @default "actual" */
  readonly actualColumn?: string | undefined;
  /** Binary classification: the column of the probability of class 1. @default "score" when every row has one, else none */
  readonly scoreColumn?: string | undefined;
}

/** How a message names each column option (the command line names its flags). */
export interface ColumnOptionNames {
  readonly prediction: string;
  readonly actual: string;
  readonly score: string;
}

const optionNames: ColumnOptionNames = { prediction: "predictionColumn", actual: "actualColumn", score: "scoreColumn" };

/**
 * A column's values, a number where a text reads as one (a CSV label column with text in it stays text).
 * @throws {MlwatchFileError} naming the first row without a value
 */
export function columnValues(rows: readonly FileRecord[], name: string, path: string, option: string): unknown[] {
  const missing = rows.findIndex((r) => !Object.hasOwn(r, name) || r[name] === null || r[name] === undefined || r[name] === "");
  if (missing >= 0) throw new MlwatchFileError(`${path} row ${missing + 1} has no "${name}" (${option} names the column)`, path);
  return rows.map((r) => {
    const v = r[name];
    return typeof v === "string" ? (decimalValue(v.trim()) ?? v) : v;
  });
}

/** classification when scores are given, a label is not a number, or every label is 0/1; else regression. */
export function inferTask(actuals: readonly unknown[], hasScores: boolean): "regression" | "classification" {
  if (hasScores || actuals.some((v) => typeof v !== "number")) return "classification";
  return actuals.every((v) => v === 0 || v === 1) ? "classification" : "regression";
}

/**
 * The `recordBatch` body of a file's rows: predictions, actuals, and scores when a score column is used.
 * @throws {MlwatchFileError} when the file holds no rows or a row lacks a column
 */
export function batchBody(rows: readonly FileRecord[], path: string, options: BatchFileOptions = {}, names: ColumnOptionNames = optionNames): Body<"recordBatch"> {
  if (rows.length === 0) throw new MlwatchFileError(`${path} holds no rows`, path);
  const predictions = columnValues(rows, options.predictionColumn ?? "prediction", path, names.prediction);
  const actuals = columnValues(rows, options.actualColumn ?? "actual", path, names.actual);
  const scoreName = options.scoreColumn ?? (rows.every((r) => Object.hasOwn(r, "score")) ? "score" : undefined);
  const scores = scoreName === undefined ? undefined : columnValues(rows, scoreName, path, names.score);
  return { task: options.task ?? inferTask(actuals, scores !== undefined), predictions, actuals, ...(scores !== undefined ? { scores } : {}) };
}

/** The `createBaseline` body of a file's rows (inline: the baseline is ready at once). */
export function baselineBody(rows: FileRecord[], options: BaselineFileOptions = {}): Body<"createBaseline"> {
  const lists = (["categorical", "features", "exclude"] as const).filter((k) => (options[k]?.length ?? 0) > 0);
  return { records: rows, ...Object.fromEntries(lists.map((k) => [k, [...options[k]!]])) };
}
