/**
 * Loaded data, whatever loaded it (inline records, S3 objects, already-read tables): the drift columns, what
 * was read, and the warnings a check record shows (ignored columns, non-numeric values in numerical features,
 * skipped capture lines). Shared by the loaders (ingest.ts, compare-data.ts's `loadTables`) and the comparison.
 */
import type { ColumnCollector, Column } from "./columns.js";
import type { ReadFormat } from "../shared/readers/s3-source.js";

/** What was loaded. */
export interface LoadedData {
  readonly columns: Map<string, Column>;
  readonly rows: number;
  readonly objects: number;
  readonly bytes: number;
  readonly formats: ReadFormat[];
  readonly warnings: string[];
  /** Valid feature names in the data that the baseline does not have (a check's schema drift). */
  readonly unexpectedFeatures?: string[];
}

/** The warnings of a load: ignored columns, non-numeric values in numerical features, plus `extra`. */
export function warningsOf(collector: ColumnCollector, columns: Map<string, Column>, extra: string[]): string[] {
  const warnings = [...extra];
  const ignored = collector.ignored;
  if (ignored.length > 0) warnings.push(`columns ignored: ${ignored.slice(0, 20).join(", ")}${ignored.length > 20 ? ` and ${ignored.length - 20} more` : ""}`);
  for (const [name, c] of columns) {
    if (c.invalid > 0) warnings.push(`${name}: ${c.invalid} non-numeric value(s) in a numerical feature counted as missing`);
  }
  return warnings;
}
