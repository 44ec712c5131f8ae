/**
 * Column builders shared by the CSV and JSON Lines readers.
 *
 * Every column keeps its numeric view as a growable `Float64Array` (NaN = missing or not a number), so a
 * numerical column costs 8 bytes a row and no per-value object. A text view (`texts`, null = missing) exists
 * only for columns requested as text (categorical) or once a non-numeric value shows up; earlier rows are
 * back-filled from their numbers. Missing markers: the empty string and NaN, nan, NA, N/A, null, NULL, None
 * (a subset of pandas' defaults), after trimming spaces.
 */

/** A column as read from a file. */
export interface Column {
  readonly name: string;
  /** One entry per row: the number, or NaN when missing or not numeric. */
  numbers: Float64Array;
  /** One entry per row when the column holds text (or was requested as text): the raw value, null if missing. */
  texts?: (string | null)[];
  /** Non-missing values that parse as numbers. */
  numericCount: number;
  /** Non-missing values that do not parse as numbers. */
  textCount: number;
  /** Missing values (empty, NaN, null, …, or absent from the row). */
  missingCount: number;
  /** The first non-numeric value and its 1-based data row, for error messages. */
  firstText?: { readonly row: number; readonly value: string };
}

/** Columns of one file, all of length `rows`. */
export interface ColumnTable {
  readonly columns: Column[];
  readonly rows: number;
  /** Column names present in the input but not parsed because `include` left them out. */
  readonly skippedColumns?: string[];
}

export interface ColumnReadOptions {
  /**
   * Keep only these columns (others are skipped while parsing).
   * @default every column
   */
  readonly include?: ReadonlySet<string>;
  /**
   * Columns kept as text from the first row (categorical), even when their values look numeric.
   * @default none
   */
  readonly textColumns?: ReadonlySet<string>;
  /**
   * Bytes the whole input has (a file's or an uncompressed object's size): once the first megabyte is
   * parsed, each column reserves the rows the rest is expected to hold, so it is built in one array and
   * never copied (the estimate is only a capacity; more rows still fit).
   * @default unknown
   */
  readonly sizeHint?: number;
  /**
   * Arrays whose values the caller no longer needs (the CLI's baseline columns, once profiled): a column
   * reserving its rows (`sizeHint`) takes the first one whose buffer, from the array's start on, holds the
   * rows expected, instead of a new array, and removes it from the list. Memory already mapped saves the page
   * faults of a fresh array, which on a loaded machine cost more than parsing the numbers into it.
   * @default none
   */
  readonly recycle?: Float64Array[];
}

/**
 * Reserves room in `builders` for the rows `sizeHint` bytes should hold, judging by `rows` rows in `bytes`
 * bytes, in arrays taken from `recycle` while it has some that fit (see {@link ColumnReadOptions.recycle}).
 */
export function reserveBySize(builders: Iterable<ColumnBuilder | null>, sizeHint: number, bytes: number, rows: number, recycle?: Float64Array[]): void {
  if (rows === 0 || bytes === 0) return;
  const estimate = Math.ceil((sizeHint / bytes) * rows);
  // 3 % over the extrapolation: line lengths vary little within a file, so this almost always suffices.
  // A recycled array need only hold the extrapolation itself (a file of the same rows as the last one).
  const expected = Math.ceil(estimate * 1.03) + 64;
  for (const b of builders) b?.reserve(expected, recycle, estimate);
}

/**
 * A view of up to `capacity` values (at least `minimum`) over the first array of `recycle` whose buffer,
 * from the array's start on, has that room; that array is removed from the list.
 */
function takeRecycled(recycle: Float64Array[] | undefined, capacity: number, minimum: number): Float64Array | undefined {
  if (recycle === undefined) return undefined;
  const room = (a: Float64Array): number => (a.buffer.byteLength - a.byteOffset) >>> 3;
  const at = recycle.findIndex((a) => room(a) >= minimum);
  if (at === -1) return undefined;
  const [a] = recycle.splice(at, 1);
  return new Float64Array(a.buffer, a.byteOffset, Math.min(room(a), capacity));
}

const MISSING = new Set(["", "nan", "NaN", "NAN", "NA", "N/A", "null", "NULL", "None"]);

/** True when the (trimmed) text stands for a missing value. */
export function isMissingMarker(text: string): boolean {
  return MISSING.has(text);
}

/** A finite number from decimal text, or undefined (hex, Infinity and the like are not numbers here). */
export function parseDecimal(text: string): number | undefined {
  if (text.length === 0) return undefined;
  const c = text.charCodeAt(0);
  // Number() accepts "0x1f", "Infinity", " 1 "; require a plain decimal start.
  if (!((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46)) return undefined;
  if (text.length > 1 && (text[1] === "x" || text[1] === "X" || text[1] === "b" || text[1] === "o")) return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

/** Rows per storage block once a column outgrows its first block. */
const BLOCK = 65_536;
const EMPTY = new Float64Array(0);

/**
 * Builds one column. Values go into fixed-size blocks (no doubling copies while growing; `finish` makes the
 * one exact-length `Float64Array`, or adopts the single block when it is already full), so a 1M-row column
 * is copied once instead of three times. `numbers` is valid after `finish`.
 */
export class ColumnBuilder implements Column {
  public numbers: Float64Array = EMPTY;
  public texts?: (string | null)[];
  public numericCount = 0;
  public textCount = 0;
  public missingCount = 0;
  public firstText?: { row: number; value: string };
  private readonly full: Float64Array[] = [];
  private block: Float64Array;
  private fill = 0;
  private sealed = 0;

  public constructor(
    public readonly name: string,
    asText: boolean,
    capacity = 1024,
  ) {
    this.block = new Float64Array(Math.max(capacity, 16));
    if (asText) this.texts = [];
  }

  /** Values pushed so far. */
  public get length(): number {
    return this.sealed + this.fill;
  }

  private grow(): void {
    this.full.push(this.block);
    this.sealed += this.block.length;
    this.block = new Float64Array(BLOCK);
    this.fill = 0;
  }

  /** Pads with missing values up to `rows` (a column that first appears late, or short rows). */
  public padTo(rows: number): void {
    while (this.length < rows) this.pushMissing();
  }

  /**
   * Moves the values into one array with room for `capacity` rows (no-op when that is not more room), taken
   * from `recycle` when one there has room for `minimum` (see {@link ColumnReadOptions.recycle}).
   */
  public reserve(capacity: number, recycle?: Float64Array[], minimum = capacity): void {
    const length = this.length;
    if (capacity <= length || (this.full.length === 0 && capacity <= this.block.length)) return;
    const block = takeRecycled(recycle, capacity, Math.max(minimum, length + 1)) ?? new Float64Array(capacity);
    let at = 0;
    for (const b of this.full) {
      block.set(b, at);
      at += b.length;
    }
    block.set(this.block.subarray(0, this.fill), at);
    this.full.length = 0;
    this.block = block;
    this.fill = length;
    this.sealed = 0;
  }

  public pushMissing(): void {
    if (this.fill === this.block.length) this.grow();
    this.block[this.fill++] = NaN;
    if (this.texts !== undefined) this.texts.push(null);
    this.missingCount++;
  }

  public pushNumber(value: number, text?: string): void {
    if (this.fill === this.block.length) this.grow();
    this.block[this.fill++] = value;
    if (this.texts !== undefined) this.texts.push(text ?? String(value));
    this.numericCount++;
  }

  /** A value that is neither missing nor numeric. `row` is 1-based. */
  public pushText(text: string, row: number): void {
    if (this.texts === undefined) {
      const texts = new Array<string | null>(this.length);
      let i = 0;
      for (const block of [...this.full, this.block.subarray(0, this.fill)]) {
        for (let k = 0; k < block.length; k++) {
          const v = block[k];
          texts[i++] = Number.isNaN(v) ? null : String(v);
        }
      }
      this.texts = texts;
    }
    if (this.fill === this.block.length) this.grow();
    this.block[this.fill++] = NaN;
    this.texts.push(text);
    this.textCount++;
    this.firstText ??= { row, value: text };
  }

  /** Adds one raw text cell, classifying it as missing, number or text. */
  public pushCell(raw: string, row: number): void {
    const text = raw.trim();
    if (isMissingMarker(text)) return this.pushMissing();
    const value = parseDecimal(text);
    if (value === undefined) this.pushText(text, row);
    else this.pushNumber(value, this.texts === undefined ? undefined : text);
  }

  public finish(rows: number): Column {
    this.padTo(rows);
    const block = this.block;
    if (this.full.length === 0) {
      // One block: adopt it when (nearly) full, else copy the used part so the slack is freed.
      this.numbers = block.length - this.fill <= this.fill >>> 4 ? block.subarray(0, rows) : block.slice(0, rows);
    } else {
      const out = new Float64Array(rows);
      let at = 0;
      for (const b of this.full) {
        out.set(b, at);
        at += b.length;
      }
      out.set(block.subarray(0, rows - at), at);
      this.numbers = out;
      this.full.length = 0;
    }
    this.block = EMPTY;
    this.fill = 0;
    this.sealed = rows;
    return this;
  }
}
