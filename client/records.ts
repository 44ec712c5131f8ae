/**
 * Records from a local data file, as the client's `…FromFile` methods and the `mlwatch` command line send
 * them inline: a JSON array of objects (`.json`), JSON Lines (`.jsonl`, `.ndjson`), or CSV with a header row
 * (any other name; a file that starts with `[` or `{` is read as JSON whatever its name, unless it is `.csv`).
 *
 * CSV follows RFC 4180 (comma separator, double-quoted fields with `""` escapes and embedded line breaks,
 * LF or CRLF, an optional UTF-8 BOM) and types cells per column as the drift service's CSV reader does
 * (lambdas/shared/readers): a cell that is empty or a missing marker (NaN, nan, NAN, NA, N/A, null, NULL,
 * None, after trimming blanks) is `null`; a column whose every other cell is a plain decimal number holds
 * numbers; a column with any other text holds the trimmed texts. A blank line is skipped (in a one-column
 * file it is a missing value); a row shorter than the header is padded with `null`, a longer one refused.
 *
 * Inline requests are at most a few megabytes (the API's body limit), so the file is read whole; the
 * two-file `mlwatch drift`, which reads files of any size, uses the service's streaming column readers.
 */
import { readFile } from "node:fs/promises";
import { MlwatchFileError } from "./errors.js";

/** One record: column name → value (null when missing). Null-prototype: a `__proto__` column is a column like any other. */
export type FileRecord = Record<string, unknown>;

const missingMarkers = new Set(["", "nan", "NaN", "NAN", "NA", "N/A", "null", "NULL", "None"]);
/** Plain decimal numbers only: no hex, no Infinity, no blanks inside. */
const decimal = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A finite number from plain decimal text, or undefined. */
export function decimalValue(text: string): number | undefined {
  if (!decimal.test(text)) return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

/** The end of an unquoted field (a quote inside one is an ordinary character). */
const separator = /,|\n|\r\n/g;

/** CSV text → rows of raw fields (the header first). */
function csvRows(text: string, path: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '"' && field === "") {
      // A quoted field: up to the closing quote, "" is one quote.
      let j = i + 1;
      let value = "";
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) throw new MlwatchFileError(`${path} has an unterminated quoted field`, path);
        value += text.slice(j, q);
        if (text[q + 1] === '"') {
          value += '"';
          j = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      field = value;
      // Text between the closing quote and the separator is ignored, as the service's reader does.
      separator.lastIndex = i;
      i = separator.exec(text)?.index ?? n;
      continue;
    }
    if (c === ",") {
      row.push(field);
      field = "";
      i++;
    } else if (c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += c === "\r" ? 2 : 1;
    } else {
      separator.lastIndex = i;
      const end = separator.exec(text)?.index ?? n;
      field += text.slice(i, end);
      i = end;
    }
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** CSV with a header row → records, typed per column. */
export function parseCsvRecords(text: string, path = "the CSV input"): FileRecord[] {
  const [header, ...lines] = csvRows(text, path);
  if (header === undefined) throw new MlwatchFileError(`${path} is empty`, path);
  const names = header.map((h) => h.trim());
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === "") throw new MlwatchFileError(`${path}: the header has an empty column name at position ${i + 1}`, path);
    if (seen.has(name)) throw new MlwatchFileError(`${path}: the header repeats the column name "${name}"`, path);
    seen.add(name);
  });
  const cells: (string | null)[][] = [];
  for (const fields of lines) {
    if (fields.length === 1 && fields[0] === "" && names.length > 1) continue; // a blank line
    if (fields.length > names.length) throw new MlwatchFileError(`${path} row ${cells.length + 1} has ${fields.length} fields but the header has ${names.length}`, path);
    cells.push(names.map((_, c) => {
      const t = fields[c]?.trim() ?? "";
      return missingMarkers.has(t) ? null : t;
    }));
  }
  const numeric = names.map((_, c) => cells.every((r) => r[c] === null || decimalValue(r[c]!) !== undefined));
  return cells.map((r) => {
    const record = Object.create(null) as FileRecord;
    names.forEach((name, c) => {
      const t = r[c] ?? null;
      record[name] = t === null ? null : numeric[c] ? decimalValue(t) : t;
    });
    return record;
  });
}

function asRecord(value: unknown, path: string, where: string): FileRecord {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new MlwatchFileError(`${path} ${where} is not a JSON object`, path);
  return value as FileRecord;
}

function parseJson(text: string, path: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MlwatchFileError(`${path} ${where} is not JSON`, path);
  }
}

/**
 * Reads a data file into records: a JSON array (`.json`), JSON Lines (`.jsonl`/`.ndjson`) or CSV with a
 * header row (typed per column; see the module comment).
 * @throws {MlwatchFileError} when the file cannot be read or parsed
 * @example
 * await readRecords("current.csv"); // → [{ age: 42, plan: "pro" }, …]
 */
export async function readRecords(path: string): Promise<FileRecord[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new MlwatchFileError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, path, { cause: err });
  }
  const ext = /\.[^./\\]+$/.exec(path.toLowerCase())?.[0] ?? "";
  const start = text.trimStart();
  if (ext === ".json" || (ext !== ".csv" && ext !== ".jsonl" && ext !== ".ndjson" && start.startsWith("["))) {
    const parsed = parseJson(text, path, "(the whole file)");
    if (!Array.isArray(parsed)) throw new MlwatchFileError(`${path} must hold a JSON array of records`, path);
    return parsed.map((r, i) => asRecord(r, path, `item ${i + 1}`));
  }
  if (ext === ".jsonl" || ext === ".ndjson" || (ext !== ".csv" && start.startsWith("{"))) {
    const records: FileRecord[] = [];
    text.split("\n").forEach((line, i) => {
      if (line.trim() !== "") records.push(asRecord(parseJson(line, path, `line ${i + 1}`), path, `line ${i + 1}`));
    });
    return records;
  }
  return parseCsvRecords(text, path);
}
