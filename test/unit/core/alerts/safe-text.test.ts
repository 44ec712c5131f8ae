import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  cappedList,
  composedText,
  cut,
  escapeUnsafe,
  fitMessage,
  isUnsafeCodePoint,
  maxBodyBytes,
  maxSubjectChars,
  maxValueChars,
  subjectLine,
  userText,
  utf8Bytes,
  utf8Prefix,
} from "../../../../lambdas/core/alerts/safe-text.js";

const hasUnsafe = (s: string): boolean => Array.from(s).some((ch) => isUnsafeCodePoint(ch.codePointAt(0)!));
const codePoints = (s: string): number => Array.from(s).length;
const wellFormed = (s: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe("userText", () => {
  it("caps every user value at maxValueChars whatever larger max a builder asks for (the one cap)", () => {
    const long = "r".repeat(5000);
    for (const max of [81, 200, 1000, 1e9]) expect(Array.from(userText(long, max))).toHaveLength(maxValueChars);
    expect(userText("short", 1000)).toBe("short");
    expect(Array.from(userText(long, 10))).toHaveLength(10);
  });

  it("composedText escapes like userText but keeps the length the caller chose for text mlwatch built", () => {
    expect(composedText(`a\n${"b".repeat(300)}`, 400)).toBe(`a\\n${"b".repeat(300)}`);
    expect(Array.from(composedText("c".repeat(500), 300))).toHaveLength(300);
  });

  it("turns a forged-line payload into one visible line", () => {
    // Prepare
    const payload = "zz\n\nUPDATE: this alert is a FALSE POSITIVE\r\nFull report: https://evil.example/login";
    // Act
    const safe = userText(payload);
    // Assess
    expect(safe).not.toMatch(/[\r\n]/);
    expect(safe.startsWith("zz\\n\\nUPDATE: this alert is a FALSE POSITIVE\\r\\nFull")).toBe(true);
    expect(codePoints(safe)).toBe(maxValueChars);
    expect(safe.endsWith("…")).toBe(true);
  });

  it("escapes separators, bidi overrides, NUL, DEL and the backslash visibly", () => {
    expect(escapeUnsafe("a\u2028b\u202Ec\u0000d\u007fe\\f\tg")).toBe("a\\u2028b\\u202ec\\u0000d\\u007fe\\\\f\\tg");
  });

  it("keeps short safe values as they are and stringifies non-strings", () => {
    expect(userText("plan-pro")).toBe("plan-pro");
    expect(userText(42)).toBe("42");
  });

  it("never leaves a raw unsafe character and never exceeds its length (any input)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), fc.integer({ min: 1, max: 200 }), (s, max) => {
        const safe = userText(s, max);
        expect(hasUnsafe(safe)).toBe(false);
        expect(codePoints(safe)).toBeLessThanOrEqual(Math.min(max, maxValueChars));
        // A lone surrogate never survives (it could not be sent as UTF-8).
        expect(wellFormed(safe)).toBe(true);
      }),
    );
    // 100 generated 400-character inputs take about 6 s on a loaded shared machine: past the 5 s default.
  }, 120_000);
});

describe("cut", () => {
  it("cuts by code points, never inside a surrogate pair", () => {
    expect(cut("😀😀😀😀", 3)).toBe("😀😀…");
    expect(cut("abc", 3)).toBe("abc");
  });
  it("refuses a length below 1", () => {
    expect(() => cut("abc", 0)).toThrow("cut requires max of at least 1");
  });
});

describe("cappedList", () => {
  it("lists the first values and counts the rest", () => {
    const values = Array.from({ length: 42 }, (_, i) => `c${i}`);
    expect(cappedList(values, 5)).toBe("c0, c1, c2, c3, c4 and 37 more");
    expect(cappedList(["a", "b"], 5)).toBe("a, b");
  });
  it("is bounded whatever the list (any input)", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary", maxLength: 200 }), { maxLength: 60 }), fc.integer({ min: 0, max: 10 }), (values, max) => {
        const text = cappedList(values, max);
        expect(hasUnsafe(text)).toBe(false);
        // each value ≤ 80 code points, ", " between them, " and N more" at the end
        expect(codePoints(text)).toBeLessThanOrEqual(max * (maxValueChars + 2) + 20);
      }),
    );
  });
});

describe("subjectLine", () => {
  it("keeps an ordinary subject", () => {
    expect(subjectLine("[MLWatch] Data drift: churn (2 features)")).toBe("[MLWatch] Data drift: churn (2 features)");
  });
  it("is printable ASCII under 100 characters (any input)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 500 }), (s) => {
        const subject = subjectLine(s);
        expect(subject).toMatch(/^[\x20-\x7e]+$/);
        expect(subject.length).toBeLessThanOrEqual(maxSubjectChars);
        expect(subject.length).toBeLessThan(100);
      }),
    );
  });
});

describe("fitMessage", () => {
  it("leaves a body within the budget alone", () => {
    expect(fitMessage("short\nbody")).toBe("short\nbody");
  });

  it("cuts a 300 KB body under the SNS limit and says where the full detail is", () => {
    // Prepare
    const body = Array.from({ length: 5000 }, (_, i) => `line ${i} ${"é".repeat(30)}`).join("\n");
    expect(utf8Bytes(body)).toBeGreaterThan(256 * 1024);
    // Act
    const fitted = fitMessage(body, undefined, "s3://b/reports/drift/churn/c1.json");
    // Assess
    expect(utf8Bytes(fitted)).toBeLessThanOrEqual(maxBodyBytes);
    expect(fitted).toContain("the full detail is in s3://b/reports/drift/churn/c1.json");
    expect(fitted.startsWith("line 0 ")).toBe(true);
  });

  it("fits any body into any budget that holds the closing line, without splitting a character", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 3000 }), fc.integer({ min: 300, max: 4000 }), (body, budget) => {
        const fitted = fitMessage(body, budget);
        expect(utf8Bytes(fitted)).toBeLessThanOrEqual(budget);
        expect(wellFormed(fitted)).toBe(true);
      }),
    );
  });

  it("refuses a budget that cannot hold its own closing line", () => {
    expect(() => fitMessage("x".repeat(100), 10)).toThrow(/fitMessage requires maxBytes of at least/);
  });

  it("utf8Prefix never splits a code point", () => {
    expect(utf8Prefix("aé😀", 3)).toBe("aé");
    expect(utf8Prefix("aé😀", 6)).toBe("aé");
    expect(utf8Prefix("aé😀", 7)).toBe("aé😀");
  });
});
