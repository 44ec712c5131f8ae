import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDecimal } from "../../../../lambdas/shared/readers/columns.js";
import { scanDecimal, scanShortDecimal, scanned } from "../../../../lambdas/shared/readers/decimal-bytes.js";

/** The whole text as one number through the byte scanner, or undefined when it refuses or stops early. */
function scanWhole(text: string): number | undefined {
  const bytes = Buffer.from(text, "latin1");
  const value = scanDecimal(bytes, 0, bytes.length);
  return scanned.end === bytes.length ? value : undefined;
}

const digitString = (min: number, max: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: min, maxLength: max });

/** Decimal text as files hold it: sign, 0–25 integer digits, fraction, exponent, blanks. */
const decimalText = fc
  .record({
    lead: fc.constantFrom("", " ", "\t", "  "),
    sign: fc.constantFrom("", "-", "+"),
    int: digitString(0, 25),
    frac: fc.option(digitString(0, 25), { nil: undefined }),
    exp: fc.option(fc.record({ e: fc.constantFrom("e", "E"), sign: fc.constantFrom("", "-", "+"), digits: digitString(1, 4) }), { nil: undefined }),
    trail: fc.constantFrom("", " ", "\t"),
  })
  .map(({ lead, sign, int, frac, exp, trail }) => `${lead}${sign}${int}${frac === undefined ? "" : `.${frac}`}${exp ? `${exp.e}${exp.sign}${exp.digits}` : ""}${trail}`);

describe("scanDecimal", () => {
  it("gives Number()'s correctly rounded double for decimal text of any length (property)", () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        const expected = parseDecimal(text.trim());
        const actual = scanWhole(text);
        // Whatever the reference reads as a finite number, the scanner reads bit for bit the same; what it refuses
        // (no digit, a bare exponent, ±Infinity) the reference refuses too.
        return expected === undefined ? actual === undefined : Object.is(actual, expected);
      }),
      { numRuns: 20_000 },
    );
  }, 60_000);

  it("reads shortest round-trip texts of random doubles exactly, 17 digits and exponents included (property)", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 17 }), (x, digits) => {
        const forms = [String(x), x.toExponential(), digits === 0 ? x.toFixed(3) : x.toPrecision(digits), x.toPrecision(17)];
        return forms.every((text) => {
          const expected = Number(text);
          const actual = scanWhole(text);
          return Number.isFinite(expected) ? Object.is(actual, expected) : actual === undefined;
        });
      }),
      { numRuns: 20_000 },
    );
  }, 60_000);

  it("refuses what is not a plain decimal, and stops at the first byte after the number", () => {
    // Act / Assess
    for (const text of ["", "-", ".", "+.", "e5", "1e", "1e+", "0x1f", "Infinity", "NaN", "1e400", "-1e400", "abc"]) {
      expect(scanWhole(text), text).toBeUndefined();
    }
    const bytes = Buffer.from("12.5 ,7");
    expect(scanDecimal(bytes, 0, bytes.length)).toBe(12.5);
    expect(scanned.end).toBe(5);
    expect(Object.is(scanWhole("-0"), -0)).toBe(true);
    expect(scanWhole("9007199254740993")).toBe(9007199254740992); // 2^53 + 1: rounded by Number(), not accumulated
    expect(scanWhole("0.1000000000000000055511151231257827")).toBe(0.1);
    expect(scanWhole("1e-400")).toBe(0);
  });
});

describe("scanShortDecimal", () => {
  /** The whole text through the short scanner: its value, "refused", or "stopped" at an earlier byte. */
  function shortWhole(text: string): number | "refused" | "stopped" {
    const bytes = Buffer.from(text, "latin1");
    const value = scanShortDecimal(bytes, 0, bytes.length);
    if (scanned.end === -1) return "refused";
    return scanned.end === bytes.length ? value : "stopped";
  }

  it("reads up to 15 digits with an optional - and point exactly as Number() does, and refuses more (property)", () => {
    const text = fc
      .record({ sign: fc.constantFrom("", "-"), int: digitString(0, 17), frac: fc.option(digitString(0, 17), { nil: undefined }) })
      .map(({ sign, int, frac }) => `${sign}${int}${frac === undefined ? "" : `.${frac}`}`);
    fc.assert(
      fc.property(text, (t) => {
        const digits = t.replace(/[^0-9]/g, "").length;
        const actual = shortWhole(t);
        if (digits === 0 || digits > 15) return actual === "refused";
        return Object.is(actual, Number(t));
      }),
      { numRuns: 20_000 },
    );
  }, 60_000);

  it("reads random doubles printed in fixed notation with 0–15 decimals exactly (property)", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 15 }), (x, decimals) => {
        // Fixed notation, as numpy and pandas write floats of this size: up to 24 digits, the short scanner takes ≤ 15.
        const text = x.toFixed(decimals);
        const actual = shortWhole(text);
        return text.replace(/[^0-9]/g, "").length > 15 ? actual === "refused" : Object.is(actual, Number(text));
      }),
      { numRuns: 20_000 },
    );
  }, 60_000);

  it("stops where the one-loop scanner it replaced stopped, with the same value, on any bytes (property)", () => {
    /** The scanner before the integer part and the fraction had loops of their own. */
    function previous(buf: Buffer, start: number, limit: number): { value: number; end: number } {
      let i = start;
      const negative = i < limit && buf[i] === 45;
      if (negative) i++;
      let high = 0;
      let low = 0;
      let digits = 0;
      let point = -1;
      for (; i < limit; i++) {
        const d = buf[i] - 48;
        if (d >>> 0 <= 9) {
          if (digits < 8) high = high * 10 + d;
          else if (digits < 15) low = low * 10 + d;
          digits++;
        } else if (d === -2 && point === -1) point = i;
        else break;
      }
      if (digits === 0 || digits > 15) return { value: NaN, end: -1 };
      const mantissa = digits > 8 ? high * 10 ** (digits - 8) + low : high;
      const magnitude = point === -1 ? mantissa : mantissa / 10 ** (i - point - 1);
      return { value: negative ? -magnitude : magnitude, end: i };
    }
    const text = fc.array(fc.constantFrom(..."0123456789..--e+ ,x"), { maxLength: 24 }).map((cs) => cs.join(""));
    fc.assert(
      fc.property(text, fc.nat(4), (t, cut) => {
        const bytes = Buffer.from(t, "latin1");
        const limit = Math.max(0, bytes.length - cut);
        const expected = previous(bytes, 0, limit);
        const value = scanShortDecimal(bytes, 0, limit);
        return scanned.end === expected.end && Object.is(value, expected.value);
      }),
      { numRuns: 20_000 },
    );
  });

  it("stops at blanks, exponents, a second point or any other byte, and leaves + to scanDecimal", () => {
    // Act / Assess
    for (const text of ["", "-", ".", "-.", "+1", " 1", "e5"]) expect(shortWhole(text), text).toBe("refused");
    for (const text of ["1 ", "1e5", "1.2.3", "12a", "1,2"]) expect(shortWhole(text), text).toBe("stopped");
    expect(Object.is(shortWhole("-0"), -0)).toBe(true);
    expect(shortWhole("5.")).toBe(5);
    expect(shortWhole("-.5")).toBe(-0.5);
    expect(shortWhole("999999999999999")).toBe(999999999999999);
    expect(shortWhole("0.00000000000001")).toBe(1e-14);
    expect(shortWhole("0.000000000000001")).toBe("refused"); // leading zeros count: 16 digits
    expect(shortWhole("1234567.12345678")).toBe(1234567.12345678);
    expect(shortWhole("9999999999999999")).toBe("refused"); // 16 digits: scanDecimal's job
  });
});
