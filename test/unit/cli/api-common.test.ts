/**
 * The API commands' argument parsing (node:util parseArgs underneath): flags with values in both forms,
 * switches, -h, positionals, and the one-line messages for what a command does not take.
 */
import { describe, expect, it } from "vitest";
import { flag, fmt, parseArgs, UsageError } from "../../../bin/commands/api-common.js";

describe("parseArgs (API commands)", () => {
  it("reads positionals, --flag value, --flag=value, switches and -h", () => {
    // Act
    const args = parseArgs(["show", "churn", "--limit", "5", "--endpoint=http://127.0.0.1:9", "--json", "-h", "-5"], ["limit"], ["force"]);
    // Assess
    expect(args.positionals).toEqual(["show", "churn", "-5"]);
    expect(flag(args, "limit")).toBe("5");
    expect(flag(args, "endpoint")).toBe("http://127.0.0.1:9");
    expect(args.flags.get("json")).toBe(true);
    expect(args.flags.get("help")).toBe(true);
    expect(args.flags.has("force")).toBe(false);
  });

  it("keeps the last of a repeated flag and takes the next word as a value even when it starts with --", () => {
    // Act
    const args = parseArgs(["--reason", "a", "--reason", "--not-a-flag"], ["reason"]);
    // Assess
    expect(flag(args, "reason")).toBe("--not-a-flag");
  });

  it.each([
    [["--bogus"], "unknown option --bogus"],
    [["--bogus=1"], "unknown option --bogus"],
    [["--limit"], "--limit needs a value"],
    [["--limit="], "--limit needs a value"],
    [["--", "x"], "unknown option --"],
  ])("refuses %j: %s", (argv, message) => {
    // Act
    const run = () => parseArgs(argv, ["limit"]);
    // Assess
    expect(run).toThrow(UsageError);
    expect(run).toThrow(message);
  });
});

describe("fmt (numbers for people)", () => {
  it("prints whole numbers exactly — counts are never rounded", () => {
    expect([fmt(9004), fmt(8), fmt(0), fmt(-12), fmt(1234567)]).toEqual(["9004", "8", "0", "-12", "1234567"]);
  });

  it("rounds fractions to 3 significant digits, with an exponent for the very small, and - when absent", () => {
    expect([fmt(0.93812), fmt(2.2e-5), fmt(null), fmt(Number.NaN)]).toEqual(["0.938", "2.20e-5", "-", "-"]);
  });
});
