/**
 * Column type inference for dataset lineage: each value gets a type, a column's type is the union of
 * its values' types. Text cells (CSV) are read as `integer`, `number`, `boolean`, `date`, `timestamp` or
 * `string`; JSON values add `object` and `array`. Empty cells and JSON nulls make a column nullable
 * without changing its type; a column with no non-null value is `unknown`.
 *
 * Union rules: integer ∪ number = number, date ∪ timestamp = timestamp, anything else that differs =
 * `string` for text sources (every CSV cell is text) and `mixed` for JSON sources.
 */

/** The types a column can be inferred as. */
export const ColumnType = {
  integer: "integer",
  number: "number",
  boolean: "boolean",
  date: "date",
  timestamp: "timestamp",
  string: "string",
  object: "object",
  array: "array",
  mixed: "mixed",
  unknown: "unknown",
} as const;
export type ColumnType = (typeof ColumnType)[keyof typeof ColumnType];

const integerText = /^[+-]?\d{1,300}$/;
const numberText = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const dateText = /^\d{4}-\d{2}-\d{2}$/;
const timestampText = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The type of one text cell; `null` for an empty cell. */
export function inferTextType(cell: string): ColumnType | null {
  const t = cell.trim();
  if (t === "") return null;
  if (integerText.test(t)) return ColumnType.integer;
  if (numberText.test(t)) return ColumnType.number;
  const lower = t.toLowerCase();
  if (lower === "true" || lower === "false") return ColumnType.boolean;
  if (dateText.test(t)) return ColumnType.date;
  if (timestampText.test(t)) return ColumnType.timestamp;
  return ColumnType.string;
}

/** The type of one parsed JSON value; `null` for JSON null. */
export function inferJsonType(value: unknown): ColumnType | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "boolean":
      return ColumnType.boolean;
    case "number":
      return Number.isInteger(value) ? ColumnType.integer : ColumnType.number;
    case "string":
      return dateText.test(value) ? ColumnType.date : timestampText.test(value) ? ColumnType.timestamp : ColumnType.string;
    default:
      return Array.isArray(value) ? ColumnType.array : ColumnType.object;
  }
}

/** The union of two types (see the module comment); `fallback` is `string` for text, `mixed` for JSON. */
export function unifyTypes(a: ColumnType | undefined, b: ColumnType, fallback: ColumnType): ColumnType {
  if (a === undefined || a === b) return b;
  const pair = new Set([a, b]);
  if (pair.has(ColumnType.integer) && pair.has(ColumnType.number)) return ColumnType.number;
  if (pair.has(ColumnType.date) && pair.has(ColumnType.timestamp)) return ColumnType.timestamp;
  return fallback;
}

/** Accumulates the inferred schema of a table, column by column, value by value. */
export class SchemaAccumulator {
  private readonly order: string[] = [];
  private readonly types = new Map<string, ColumnType | undefined>();
  private readonly nulls = new Map<string, number>();
  private readonly seen = new Map<string, number>();
  public rows = 0;

  public constructor(private readonly fallback: ColumnType) {}

  /** Declares a column (keeps first-seen order). */
  public column(name: string): void {
    if (this.types.has(name)) return;
    this.order.push(name);
    this.types.set(name, undefined);
    this.nulls.set(name, 0);
    this.seen.set(name, 0);
  }

  /** Adds one value's type (`null` for a missing value) to a column. */
  public add(name: string, type: ColumnType | null): void {
    this.column(name);
    this.seen.set(name, (this.seen.get(name) ?? 0) + 1);
    if (type === null) {
      this.nulls.set(name, (this.nulls.get(name) ?? 0) + 1);
      return;
    }
    this.types.set(name, unifyTypes(this.types.get(name), type, this.fallback));
  }

  /** The inferred columns; a column absent from some rows (JSON Lines) is nullable. */
  public columns(): Array<{ name: string; type: ColumnType; nullable: boolean }> {
    return this.order.map((name) => ({
      name,
      type: this.types.get(name) ?? ColumnType.unknown,
      nullable: (this.nulls.get(name) ?? 0) > 0 || (this.seen.get(name) ?? 0) < this.rows,
    }));
  }
}
