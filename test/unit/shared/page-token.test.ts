import { describe, expect, it } from "vitest";
import { decodePageToken, encodePageToken } from "../../../lambdas/shared/page-token.js";
import { ValidationError } from "../../../lambdas/shared/errors.js";

const mine = (k: Readonly<Record<string, string>>): boolean => k.pk === "MODEL#a";

describe("page tokens", () => {
  it("round-trip a listing's key and say when a listing is complete", () => {
    const key = { pk: "MODEL#a", sk: "VERSION#0001" };
    const token = encodePageToken(key);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token as string, mine)).toEqual(key);
    expect(encodePageToken(undefined)).toBeNull();
    expect(decodePageToken(undefined, mine)).toBeUndefined();
    expect(decodePageToken("", mine)).toBeUndefined();
  });

  it("refuse a token of another listing, a tampered one and one that is not JSON of strings", () => {
    const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString("base64url");
    for (const token of [
      encodePageToken({ pk: "MODEL#b", sk: "x" }) as string,
      b64({ pk: "MODEL#a", sk: 5 }),
      b64(["MODEL#a"]),
      b64(null),
      b64("MODEL#a"),
      Buffer.from("{not json").toString("base64url"),
      "%%%",
    ]) {
      expect(() => decodePageToken(token, mine), token).toThrow(ValidationError);
    }
    expect(() => decodePageToken(b64({ pk: "MODEL#b" }), mine)).toThrow("query.nextToken: not a token returned by this listing");
  });
});
