/**
 * One JSON Lines line read from bytes when it is a flat object — `{"key": value, …}` with numbers, strings
 * without escapes, `null`, `true`, `false` — for the JSON Lines reader's fast path. Nothing is committed
 * here: `read` fills the slots and says whether the line qualified; anything it does not accept (nested
 * values, escapes, control characters, keys made of digits — JSON.parse would move them first —, repeated
 * keys, a number outside JSON's grammar or not finite, malformed text) returns false, and the reader hands
 * the line to JSON.parse.
 *
 * Keys are compared with the bytes of the same slot on the previous line, so a file whose lines share
 * one layout decodes each key once.
 */
import { scanDecimal, scanShortDecimal, scanned } from "./decimal-bytes.js";

/** What a slot holds. */
export const ValueKind = { number: 0, string: 1, null: 2, true: 3, false: 4 } as const;
export type ValueKind = (typeof ValueKind)[keyof typeof ValueKind];

const QUOTE = 34;
const BACKSLASH = 92;
const MAX_FIELDS = 4096;

const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 13;

export class FlatLine {
  /** Fields of the last line read. */
  public count = 0;
  public keys: string[] = [];
  public kinds = new Uint8Array(64);
  public numbers = new Float64Array(64);
  /** Byte range of a string value (without its quotes). */
  public starts = new Int32Array(64);
  public ends = new Int32Array(64);
  /** True when the last line's keys are, slot for slot, those of the last committed layout. */
  public sameLayout = false;
  private keyBytes: Buffer[] = [];
  private dirty = true;
  private committedCount = -1;

  /** The reader committed this line's layout: later lines with the same keys can reuse it. */
  public committed(): void {
    this.dirty = false;
    this.committedCount = this.count;
  }

  private grow(): void {
    const size = this.kinds.length * 2;
    const kinds = new Uint8Array(size);
    kinds.set(this.kinds);
    const numbers = new Float64Array(size);
    numbers.set(this.numbers);
    const starts = new Int32Array(size);
    starts.set(this.starts);
    const ends = new Int32Array(size);
    ends.set(this.ends);
    Object.assign(this, { kinds, numbers, starts, ends });
  }

  /** The key at slot j spanning buf[s, e): the cached name when the bytes match, else decoded. */
  private key(buf: Buffer, s: number, e: number, j: number): string {
    const cached = this.keyBytes[j];
    if (cached !== undefined && cached.length === e - s) {
      let k = 0;
      while (k < cached.length && cached[k] === buf[s + k]) k++;
      if (k === cached.length) return this.keys[j];
    }
    this.dirty = true;
    this.keyBytes[j] = Buffer.from(buf.subarray(s, e));
    this.keys[j] = buf.toString("utf8", s, e);
    return this.keys[j];
  }

  /** The end of the string whose opening quote is at i − 1, at its closing quote; −1 when not plain. */
  private static stringEnd(buf: Buffer, i: number, end: number): number {
    while (i < end) {
      const c = buf[i];
      if (c === QUOTE) return i;
      if (c === BACKSLASH || c < 0x20) return -1;
      i++;
    }
    return -1;
  }

  /** The end of a JSON number at i (grammar -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?), or −1. */
  private static numberEnd(buf: Buffer, i: number, end: number): number {
    if (buf[i] === 45) i++;
    if (i >= end) return -1;
    if (buf[i] === 48) i++;
    else if (buf[i] >= 49 && buf[i] <= 57) while (i < end && buf[i] >= 48 && buf[i] <= 57) i++;
    else return -1;
    if (i < end && buf[i] === 46) {
      const d = ++i;
      while (i < end && buf[i] >= 48 && buf[i] <= 57) i++;
      if (i === d) return -1;
    }
    if (i < end && (buf[i] === 101 || buf[i] === 69)) {
      i++;
      if (i < end && (buf[i] === 43 || buf[i] === 45)) i++;
      const d = i;
      while (i < end && buf[i] >= 48 && buf[i] <= 57) i++;
      if (i === d) return -1;
    }
    return i;
  }

  /** Reads buf[start, end) (one line without its LF); true when it is a flat object, its fields in the slots. */
  public read(buf: Buffer, start: number, end: number): boolean {
    let i = start;
    while (i < end && isBlank(buf[i])) i++;
    if (i >= end || buf[i] !== 123) return false;
    i++;
    while (i < end && isBlank(buf[i])) i++;
    let n = 0;
    if (i < end && buf[i] === 125) i++;
    else {
      for (;;) {
        if (i >= end || buf[i] !== QUOTE) return false;
        const ks = i + 1;
        const ke = FlatLine.stringEnd(buf, ks, end);
        if (ke === -1) return false;
        let digitsOnly = ke > ks;
        for (let k = ks; k < ke && digitsOnly; k++) digitsOnly = buf[k] >= 48 && buf[k] <= 57;
        if (digitsOnly || n >= MAX_FIELDS) return false;
        if (n === this.kinds.length) this.grow();
        this.key(buf, ks, ke, n);
        i = ke + 1;
        while (i < end && isBlank(buf[i])) i++;
        if (i >= end || buf[i] !== 58) return false;
        i++;
        while (i < end && isBlank(buf[i])) i++;
        if (i >= end) return false;
        const c = buf[i];
        if (c === QUOTE) {
          const ve = FlatLine.stringEnd(buf, i + 1, end);
          if (ve === -1) return false;
          this.kinds[n] = ValueKind.string;
          this.starts[n] = i + 1;
          this.ends[n] = ve;
          i = ve + 1;
        } else if (c === 45 || (c >= 48 && c <= 57)) {
          const ve = FlatLine.numberEnd(buf, i, end);
          if (ve === -1) return false;
          // Each path stores its own value (a value merged from both would be boxed on every number).
          const short = scanShortDecimal(buf, i, ve);
          if (scanned.end === ve) this.numbers[n] = short;
          else {
            const value = scanDecimal(buf, i, ve);
            if (scanned.end !== ve) return false; // not finite: JSON.parse's Infinity is a missing value there
            this.numbers[n] = value;
          }
          this.kinds[n] = ValueKind.number;
          i = ve;
        } else if (c === 110 && buf[i + 1] === 117 && buf[i + 2] === 108 && buf[i + 3] === 108 && i + 4 <= end) {
          this.kinds[n] = ValueKind.null;
          i += 4;
        } else if (c === 116 && buf[i + 1] === 114 && buf[i + 2] === 117 && buf[i + 3] === 101 && i + 4 <= end) {
          this.kinds[n] = ValueKind.true;
          i += 4;
        } else if (c === 102 && buf[i + 1] === 97 && buf[i + 2] === 108 && buf[i + 3] === 115 && buf[i + 4] === 101 && i + 5 <= end) {
          this.kinds[n] = ValueKind.false;
          i += 5;
        } else return false;
        n++;
        while (i < end && isBlank(buf[i])) i++;
        if (i < end && buf[i] === 44) {
          i++;
          while (i < end && isBlank(buf[i])) i++;
          continue;
        }
        if (i < end && buf[i] === 125) {
          i++;
          break;
        }
        return false;
      }
    }
    while (i < end && isBlank(buf[i])) i++;
    if (i !== end) return false;
    if (n !== this.committedCount) this.dirty = true;
    if (this.dirty && new Set(this.keys.slice(0, n)).size !== n) return false;
    this.count = n;
    this.sameLayout = !this.dirty;
    return true;
  }
}
