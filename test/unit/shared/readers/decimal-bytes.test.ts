import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDecimal } from "../../../../lambdas/shared/readers/columns.js";
import { scanDecimal, scanned } from "../../../../lambdas/shared/readers/decimal-bytes.js";

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
