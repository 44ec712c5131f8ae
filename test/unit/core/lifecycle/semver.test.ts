import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareSemver, isSemver, nextMinor, padSemver, parseSemver, unpadSemver } from "../../../../lambdas/core/lifecycle/semver.js";

const part = fc.integer({ min: 0, max: 999_999 });
const version = fc.tuple(part, part, part).map(([a, b, c]) => `${a}.${b}.${c}`);

describe("semver", () => {
  it("parses major.minor.patch", () => {
    expect(parseSemver("1.12.0")).toEqual({ major: 1, minor: 12, patch: 0 });
  });

  it.each(["1.0", "1.0.0-rc.1", "01.0.0", "1.0.0+sha", "v1.0.0", "1.0.1000000", "", "1..0"])("refuses %j", (text) => {
    expect(isSemver(text)).toBe(false);
    expect(() => parseSemver(text)).toThrow(/is not a semantic version/);
  });

  it("orders numerically, not as text", () => {
    expect(compareSemver("1.10.0", "1.9.0")).toBeGreaterThan(0);
    expect(compareSemver("2.0.0", "10.0.0")).toBeLessThan(0);
    expect(compareSemver("1.2.3", "1.2.3")).toBe(0);
  });

  it("takes the next minor after the highest, and 0.1.0 first", () => {
    expect(nextMinor(undefined)).toBe("0.1.0");
    expect(nextMinor("1.4.2")).toBe("1.5.0");
    expect(() => nextMinor("1.999999.0")).toThrow(/no next minor/);
  });

  it("pads so that string order equals version order (property)", () => {
    fc.assert(
      fc.property(version, version, (a, b) => {
        const byText = padSemver(a) < padSemver(b) ? -1 : padSemver(a) > padSemver(b) ? 1 : 0;
        expect(byText).toBe(Math.sign(compareSemver(a, b)));
        expect(unpadSemver(padSemver(a))).toBe(a);
      }),
    );
  });
});
