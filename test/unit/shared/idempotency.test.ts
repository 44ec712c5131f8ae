import { describe, expect, it } from "vitest";
import { canonicalBody, canonicalJson, localPendingSeconds, pendingMarginSeconds, pendingSeconds } from "../../../lambdas/shared/idempotency.js";

describe("idempotency fingerprints and pending claims", () => {
  it("canonical JSON ignores key order and whitespace, not values", () => {
    const a = JSON.parse('{"b": [1, {"y": 2, "x": 1}], "a": "s"}');
    const b = JSON.parse('{"a":"s","b":[1,{"x":1,"y":2}]}');
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":"s","b":[1,{"x":1,"y":2}]}');
    expect(canonicalJson(JSON.parse('{"b":[{"x":1,"y":2},1],"a":"s"}'))).not.toBe(canonicalJson(b));
  });

  it("a body that does not parse is fingerprinted by its text", async () => {
    const failing = () => Promise.reject(new Error("no"));
    expect(await canonicalBody("{x", failing)).toBe("raw:{x");
    expect(await canonicalBody("  ", failing)).toBe("");
    expect(await canonicalBody('{ "a" : 1 }', () => Promise.resolve({ a: 1 }))).toBe('json:{"a":1}');
  });

  it("a pending claim lasts the invocation's remaining time plus the margin, or the local bound", () => {
    expect(pendingSeconds({ getRemainingTimeInMillis: () => 12_300 })).toBe(13 + pendingMarginSeconds);
    expect(pendingSeconds(undefined)).toBe(localPendingSeconds + pendingMarginSeconds);
    expect(pendingSeconds({ getRemainingTimeInMillis: () => Number.NaN })).toBe(localPendingSeconds + pendingMarginSeconds);
    expect(pendingSeconds({ getRemainingTimeInMillis: () => 12_300 })).toBeLessThan(120);
  });
});
