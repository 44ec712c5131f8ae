/**
 * Drift-ready columns from the readers' column tables (lambdas/shared/readers), merged across files.
 *
 * A check or a baseline reads one table per object (CSV, JSON Lines, Parquet, data capture) or one from
 * inline records; `ColumnCollector` appends them by column name into one column per feature: numerical
 * columns in a growing `Float64Array` (NaN = missing), categorical ones as category counts. A column absent
 * from a table is missing in that table's rows.
 *
 * Typing: a feature listed in `kinds` (the baseline's types, for a check) keeps that type; otherwise a
 * feature in `categorical` is categorical and any other is numerical unless some value is not a number
 * (then categorical, its numbers counted as categories by their text). A non-numeric value in a column
 * fixed as numerical counts as missing and is tallied in `invalid`, so a type change shows up as a jump of
 * the missing share rather than a failure.
 */
import { ColumnBuilder, type Column as ReaderColumn, type ColumnTable } from "../shared/readers/columns.js";
import { UnprocessableError, ValidationError } from "../shared/errors.js";
import { countsFrom } from "../core/drift/samples.js";

/** The two feature types of a drift profile. */
export type ColumnKind = "numerical" | "categorical";

/**
 * A finished numerical column: values in row order, NaN where missing, until `buildProfile` or
 * `currentSamples` sorts it in place (same values, missing last).
 */
export interface NumericColumn {
  readonly kind: "numerical";
  readonly values: Float64Array;
  /** Values that were present but not numbers (in a column fixed as numerical). */
  readonly invalid: number;
}

/** A finished categorical column: rows per category and the missing rows. */
export interface CategoricalColumn {
  readonly kind: "categorical";
  readonly counts: Record<string, number>;
  readonly count: number;
  readonly missing: number;
  readonly invalid: number;
}

export type Column = NumericColumn | CategoricalColumn;

/** Options of {@link ColumnCollector}. */
export interface ColumnCollectorOptions {
  /** Fixed types (a check uses the baseline's). */
  readonly kinds?: Readonly<Record<string, ColumnKind>>;
  /** Keep only the features in `kinds`. @default false */
  readonly onlyKnown?: boolean;
  /** Features to treat as categorical (when not fixed by `kinds`). */
  readonly categorical?: readonly string[];
  /** Only these features (when given). */
  readonly include?: readonly string[];
  /** Never these features. */
  readonly exclude?: readonly string[];
  /** Refuse more than this many values (rows × features; memory guard). @default 200,000,000 */
  readonly maxCells?: number;
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Most features one baseline or check compares; more is refused with a 400 naming the limit. */
export const maxFeatures = 1000;

class Merged {
  kind: ColumnKind;
  readonly fixed: boolean;
  numbers: Float64Array = new Float64Array(0);
  length = 0;
  counts: Map<string, number> | undefined;
  catCount = 0;
  catMissing = 0;
  invalid = 0;

  constructor(kind: ColumnKind | undefined) {
    this.kind = kind ?? "numerical";
    this.fixed = kind !== undefined;
    if (this.kind === "categorical") this.counts = new Map();
  }

  private reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.numbers.length) return;
    const grown = new Float64Array(Math.max(need, this.numbers.length * 2, 1024));
    grown.set(this.numbers.subarray(0, this.length));
    this.numbers = grown;
  }

  padTo(rows: number): void {
    if (rows <= this.length) return;
    const extra = rows - this.length;
    if (this.kind === "numerical") {
      this.reserve(extra);
      this.numbers.fill(NaN, this.length, rows);
    } else this.catMissing += extra;
    this.length = rows;
  }

  private count(key: string): void {
    this.counts!.set(key, (this.counts!.get(key) ?? 0) + 1);
    this.catCount++;
  }

  private toCategorical(): void {
    const numbers = this.numbers;
    const n = this.length;
    this.kind = "categorical";
    this.counts = new Map();
    this.catCount = 0;
    this.catMissing = 0;
    for (let i = 0; i < n; i++) {
      const v = numbers[i];
      if (v !== v) this.catMissing++;
      else this.count(String(v));
    }
    this.numbers = new Float64Array(0);
  }

  append(column: ReaderColumn, rows: number): void {
    const hasText = column.texts !== undefined && column.textCount > 0;
    if (this.kind === "numerical" && hasText && !this.fixed) this.toCategorical();
    if (this.kind === "numerical") {
      if (this.length === 0 && this.numbers.length === 0) {
        // first table: adopt its array (no copy)
        this.numbers = column.numbers.length === rows ? column.numbers : column.numbers.subarray(0, rows);
      } else {
        this.reserve(rows);
        this.numbers.set(column.numbers.subarray(0, rows), this.length);
      }
      this.length += rows;
      this.invalid += column.textCount;
      return;
    }
    const texts = column.texts;
    for (let i = 0; i < rows; i++) {
      if (texts !== undefined) {
        const t = texts[i];
        if (t === null || t === undefined) this.catMissing++;
        else this.count(t);
      } else {
        const v = column.numbers[i];
        if (v !== v) this.catMissing++;
        else this.count(String(v));
      }
    }
    this.length += rows;
  }

  finish(): Column {
    if (this.kind === "numerical") return { kind: "numerical", values: this.numbers.subarray(0, this.length), invalid: this.invalid };
    return { kind: "categorical", counts: countsFrom(this.counts!), count: this.catCount, missing: this.catMissing, invalid: this.invalid };
  }
}

/** Merges column tables into drift columns; see the module comment for typing and missing values. */
export class ColumnCollector {
  private readonly merged = new Map<string, Merged>();
  private readonly order: string[] = [];
  private readonly skipped = new Set<string>();
  private readonly unknown = new Set<string>();
  private rowCount = 0;
  private readonly include?: ReadonlySet<string>;
  private readonly exclude: ReadonlySet<string>;
  private readonly categorical: ReadonlySet<string>;
  private readonly maxCells: number;

  public constructor(private readonly options: ColumnCollectorOptions = {}) {
    this.include = options.include ? new Set(options.include) : undefined;
    this.exclude = new Set(options.exclude ?? []);
    this.categorical = new Set(options.categorical ?? []);
    this.maxCells = options.maxCells ?? 200_000_000;
  }

  /** Rows so far. */
  public get rows(): number {
    return this.rowCount;
  }

  /** Feature names in first-seen order. */
  public get columns(): readonly string[] {
    return this.order;
  }

  /** Names seen in the data but not collected (excluded, not valid names, or unknown to the baseline). */
  public get ignored(): string[] {
    return [...this.skipped];
  }

  /** Valid feature names seen in the data but left out only because the baseline (`kinds`) lacks them. */
  public get unexpected(): string[] {
    return [...this.unknown];
  }

  /** The columns the readers should keep as text (categorical), for their `textColumns` option. */
  public textColumns(): Set<string> {
    const out = new Set(this.categorical);
    for (const [name, kind] of Object.entries(this.options.kinds ?? {})) if (kind === "categorical") out.add(name);
    return out;
  }

  /** The only columns the readers need to parse, when that is known (`include`, or `kinds` with `onlyKnown`). */
  public wantedColumns(): Set<string> | undefined {
    if (this.options.onlyKnown && this.options.kinds) {
      const known = Object.keys(this.options.kinds);
      return new Set(this.include ? known.filter((k) => this.include!.has(k)) : known);
    }
    return this.include ? new Set(this.include) : undefined;
  }

  private target(name: string): Merged | undefined {
    const existing = this.merged.get(name);
    if (existing) return existing;
    if (this.skipped.has(name)) return undefined;
    const kinds = this.options.kinds;
    // Own properties only: a feature named "constructor" or "toString" is not an inherited member.
    const fixed = kinds !== undefined && Object.hasOwn(kinds, name) ? kinds[name] : undefined;
    const selected = (this.include === undefined || this.include.has(name)) && !this.exclude.has(name) && namePattern.test(name);
    const wanted = selected && (!this.options.onlyKnown || fixed !== undefined);
    if (!wanted) {
      this.skipped.add(name);
      if (selected && fixed === undefined && this.options.onlyKnown) this.unknown.add(name);
      return undefined;
    }
    if (this.merged.size >= maxFeatures) {
      // Refused rather than cut: a report that silently compared only some features would read as "no drift".
      throw new ValidationError(
        `the data has more than ${maxFeatures.toLocaleString("en-US")} features (the limit); choose at most ${maxFeatures.toLocaleString("en-US")} with "features" or leave some out with "exclude"`,
      );
    }
    const m = new Merged(fixed ?? (this.categorical.has(name) ? "categorical" : undefined));
    m.padTo(this.rowCount);
    this.merged.set(name, m);
    this.order.push(name);
    return m;
  }

  /** Appends a reader's table (one file, or inline records). */
  public addTable(table: ColumnTable): void {
    // Columns the reader skipped (not wanted) are still classified, so unknown ones are reported.
    for (const name of table.skippedColumns ?? []) if (!this.merged.has(name)) this.target(name);
    if (table.rows === 0) return;
    const features = this.merged.size + table.columns.length;
    if ((this.rowCount + table.rows) * Math.min(features, maxFeatures) > this.maxCells) {
      throw new UnprocessableError(
        `data too large: more than ${this.maxCells.toLocaleString("en-US")} values (${this.rowCount + table.rows} rows × ${features} columns); split or sample it`,
      );
    }
    for (const column of table.columns) {
      const m = this.target(column.name);
      if (m === undefined) continue;
      m.padTo(this.rowCount);
      m.append(column, table.rows);
    }
    this.rowCount += table.rows;
    for (const m of this.merged.values()) m.padTo(this.rowCount);
  }

  /** Appends inline JSON records (objects of feature → value), classified like JSON Lines cells. */
  public addRecords(records: ReadonlyArray<Readonly<Record<string, unknown>>>): void {
    this.addTable(tableFromRecords(records, this.textColumns(), this.wantedColumns()));
  }

  /** The columns, each padded to the row count, in first-seen order. */
  public finish(): Map<string, Column> {
    const out = new Map<string, Column>();
    for (const name of this.order) {
      const m = this.merged.get(name)!;
      m.padTo(this.rowCount);
      out.set(name, m.finish());
    }
    return out;
  }
}

/**
 * A column table from JSON records, with the JSON Lines reader's cell rules: numbers numeric (non-finite
 * missing), strings classified like CSV cells, null/absent missing, booleans as "true"/"false", nested
 * values as their JSON text.
 */
export function tableFromRecords(
  records: ReadonlyArray<Readonly<Record<string, unknown>>>,
  textColumns: ReadonlySet<string> = new Set(),
  include?: ReadonlySet<string>,
): ColumnTable {
  const builders = new Map<string, ColumnBuilder>();
  const skipped = new Set<string>();
  let row = 0;
  for (const record of records) {
    row++;
    for (const key in record) {
      if (!Object.hasOwn(record, key)) continue;
      if (include && !include.has(key)) {
        skipped.add(key);
        continue;
      }
      let b = builders.get(key);
      if (b === undefined) {
        b = new ColumnBuilder(key, textColumns.has(key));
        builders.set(key, b);
      }
      b.padTo(row - 1);
      pushValue(b, record[key], row);
    }
  }
  return { columns: [...builders.values()].map((b) => b.finish(row)), rows: row, ...(skipped.size > 0 ? { skippedColumns: [...skipped] } : {}) };
}

/** Adds one JSON value to a reader column builder. `row` is 1-based. */
export function pushValue(b: ColumnBuilder, cell: unknown, row: number): void {
  if (cell === null || cell === undefined) b.pushMissing();
  else if (typeof cell === "number") {
    if (Number.isFinite(cell)) b.pushNumber(cell);
    else b.pushMissing();
  } else if (typeof cell === "string") b.pushCell(cell, row);
  else if (typeof cell === "boolean") b.pushText(String(cell), row);
  else b.pushText(JSON.stringify(cell).slice(0, 256), row);
}
