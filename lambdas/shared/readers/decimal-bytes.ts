/**
 * Decimal numbers read straight from bytes, for the CSV and JSON Lines readers' hot loops (no string per
 * value). Accepted form: blanks (space, tab), an optional sign, digits with an optional fraction (at least
 * one digit in all), an optional exponent `e`/`E` with optional sign and at least one digit, blanks.
 *
 * Correct rounding: when the digits, read as an integer, are below 2^53 and the power of ten is at most
 * 22, both are exact doubles and one division or multiplication rounds once (Clinger's fast path), which
 * is the correctly rounded value `Number()` gives. Any other number of that form (17 digits, as Python's
 * `repr` writes many floats, or a larger exponent) is handed to `Number()` on its Latin-1 text, which is
 * exact by definition; only the string allocation is paid there. A result that is not finite (`1e999`)
 * is refused, like `parseDecimal`, so the caller's text path classifies it.
 *
 * @example
 * scanDecimal(Buffer.from("12.5,x"), 0, 6); // → 12.5, with scanned.end === 4
 */

/** Where the last {@link scanDecimal} stopped: the offset after the number and its trailing blanks, or −1 when it refused. */
export const scanned = { end: -1 };

const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);
const SPACE = 32;
const TAB = 9;
const MAX_EXACT = 2 ** 53;

/**
 * Scans a decimal number at `start` (not past `limit`). Returns its value and sets `scanned.end` to the
 * first byte after it and any trailing blanks; returns NaN with `scanned.end = −1` when the bytes do not
 * start with a number of the accepted form, or it is not finite. The caller checks what follows.
 */
export function scanDecimal(buf: Buffer, start: number, limit: number): number {
  let i = start;
  while (i < limit && (buf[i] === SPACE || buf[i] === TAB)) i++;
  const first = i;
  let negative = false;
  if (i < limit) {
    const c = buf[i];
    if (c === 45) {
      negative = true;
      i++;
    } else if (c === 43) i++;
  }
  // Digits are gathered eight at a time in a small integer (exact, cheap arithmetic) and folded into a
  // double: `mantissa · 10^k + group` is exact while the true value is below 2^53, and once it reaches 2^53
  // the rounded value never falls below 2^53 again, so `mantissa < 2^53` at the end means every digit was
  // exact.
  let mantissa = 0;
  let group = 0;
  let groupDigits = 0;
  const intStart = i;
  while (i < limit) {
    const d = buf[i] - 48;
    if (d >>> 0 > 9) break;
    group = group * 10 + d;
    i++;
    if (++groupDigits === 8) {
      mantissa = mantissa * 1e8 + group;
      group = 0;
      groupDigits = 0;
    }
  }
  let anyDigit = i > intStart;
  let exponent = 0;
  if (i < limit && buf[i] === 46) {
    i++;
    const fracStart = i;
    while (i < limit) {
      const d = buf[i] - 48;
      if (d >>> 0 > 9) break;
      group = group * 10 + d;
      i++;
      if (++groupDigits === 8) {
        mantissa = mantissa * 1e8 + group;
        group = 0;
        groupDigits = 0;
      }
    }
    exponent = fracStart - i;
    anyDigit ||= i > fracStart;
  }
  if (groupDigits > 0) mantissa = mantissa * POW10[groupDigits] + group;
  if (!anyDigit) {
    scanned.end = -1;
    return NaN;
  }
  if (i < limit && (buf[i] === 101 || buf[i] === 69)) {
    i++;
    let expNegative = false;
    if (i < limit && buf[i] === 45) {
      expNegative = true;
      i++;
    } else if (i < limit && buf[i] === 43) i++;
    let value = 0;
    let expDigits = 0;
    while (i < limit) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) break;
      if (value < 100_000) value = value * 10 + d; // beyond ±1e5 the result is 0 or ∞ either way
      expDigits++;
      i++;
    }
    if (expDigits === 0) {
      scanned.end = -1;
      return NaN;
    }
    exponent += expNegative ? -value : value;
  }
  const numberEnd = i;
  while (i < limit && (buf[i] === SPACE || buf[i] === TAB)) i++;
  let result: number;
  if (mantissa < MAX_EXACT && exponent >= -22 && exponent <= 22) {
    const magnitude = exponent < 0 ? mantissa / POW10[-exponent] : mantissa * POW10[exponent];
    result = negative ? -magnitude : magnitude;
  } else {
    result = Number(buf.toString("latin1", first, numberEnd));
    if (result === Infinity || result === -Infinity) {
      scanned.end = -1;
      return NaN;
    }
  }
  scanned.end = i;
  return result;
}

/**
 * The common case of {@link scanDecimal}, small enough to be inlined into the readers' loops: an optional
 * `-`, then at most 15 digits with at most one `.` (no blanks, no exponent). Those digits, read as an
 * integer, are below 10^15 < 2^53 and the power of ten at most 15, so one division rounds once: the value
 * `Number()` gives. Returns NaN with `scanned.end = −1` for anything else (the caller then asks
 * `scanDecimal`), else sets `scanned.end` to the first byte after the number; the caller checks it.
 */
export function scanShortDecimal(buf: Buffer, start: number, limit: number): number {
  let i = start;
  const negative = i < limit && buf[i] === 45;
  if (negative) i++;
  // Two small integers (the first eight digits, then the rest), so the digit loops stay in integer
  // arithmetic; the integer part and the fraction are separate loops, so neither tests for the point.
  let high = 0;
  let low = 0;
  let digits = 0;
  let d = 0;
  for (; i < limit; i++) {
    d = buf[i] - 48;
    if (d >>> 0 > 9) break;
    if (digits < 8) high = high * 10 + d;
    else if (digits < 15) low = low * 10 + d;
    digits++;
  }
  let fraction = 0;
  if (d === -2 && i < limit) {
    const point = ++i;
    for (; i < limit; i++) {
      d = buf[i] - 48;
      if (d >>> 0 > 9) break;
      if (digits < 8) high = high * 10 + d;
      else if (digits < 15) low = low * 10 + d;
      digits++;
    }
    fraction = i - point;
  }
  if (digits === 0 || digits > 15) {
    scanned.end = -1;
    return NaN;
  }
  const mantissa = digits > 8 ? high * POW10[digits - 8] + low : high;
  const magnitude = fraction === 0 ? mantissa : mantissa / POW10[fraction];
  scanned.end = i;
  return negative ? -magnitude : magnitude;
}
