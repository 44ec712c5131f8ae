import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openPosition, sealPosition, stringKey } from "../../../lambdas/shared/page-token.js";
import { InvalidPageTokenError } from "../../../lambdas/shared/errors.js";

const key = randomBytes(32);
const versionsOfA = { listing: "registry.versions", scope: { partition: "MODEL#a" } };
const mine = (k: Readonly<Record<string, unknown>>): boolean => stringKey(k) && k.pk === "MODEL#a";

describe("page tokens", () => {
  it("round-trip a listing's position under its own key and binding", () => {
    // Prepare
    const position = { pk: "MODEL#a", sk: "VERSION#0001" };
    // Act
    const token = sealPosition(key, position, versionsOfA);
    // Assess
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(openPosition(key, token, versionsOfA, mine)).toEqual(position);
    // Scope order and undefined entries do not change the binding.
    const sealed = sealPosition(key, position, { listing: "x", scope: { a: "1", b: "2", c: undefined } });
    expect(openPosition(key, sealed, { listing: "x", scope: { b: "2", a: "1" } }, mine)).toEqual(position);
  });

  it("refuse a token of another listing, scope or key, an altered one, and malformed ones", () => {
    // Prepare
    const position = { pk: "MODEL#a", sk: "VERSION#0001" };
    const token = sealPosition(key, position, versionsOfA);
    const [payload, signature] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ pk: "MODEL#a", sk: "VERSION#0009" })).toString("base64url");
    const flipped = signature.slice(0, -1) + (signature.endsWith("A") ? "B" : "A"); // may differ in unused bits only
    const flippedFirst = (signature.startsWith("A") ? "B" : "A") + signature.slice(1);
    const cases: Array<[string, string, typeof versionsOfA]> = [
      ["another listing", token, { listing: "registry.history", scope: versionsOfA.scope }],
      ["another model", token, { listing: "registry.versions", scope: { partition: "MODEL#b" } }],
      ["another filter", token, { listing: "registry.versions", scope: { partition: "MODEL#a", filter: "stage" } as never }],
      ["another key", sealPosition(randomBytes(32), position, versionsOfA), versionsOfA],
      ["altered position", `${forged}.${signature}`, versionsOfA],
      ["altered signature", `${payload}.${flippedFirst}`, versionsOfA],
      ["another spelling of the signature's last character", `${payload}.${flipped}`, versionsOfA],
      ["unsigned (the old format)", payload, versionsOfA],
      ["extra part", `${token}.x`, versionsOfA],
      ["not base64 JSON", `${Buffer.from("{x").toString("base64url")}.${signature}`, versionsOfA],
      ["garbage", "%%%", versionsOfA],
    ];
    // Act + Assess
    for (const [what, t, binding] of cases) {
      expect(() => openPosition(key, t, binding, mine), what).toThrow(InvalidPageTokenError);
    }
    // A correctly signed position that is not of this partition, or not all strings, is refused too.
    for (const wrong of [{ pk: "MODEL#b", sk: "x" }, { pk: "MODEL#a", sk: 5 }]) {
      expect(() => openPosition(key, sealPosition(key, wrong, versionsOfA), versionsOfA, mine)).toThrow(/INVALID|not a token issued by this listing \(registry\.versions\)/);
    }
    const err = (() => {
      try {
        openPosition(key, payload, versionsOfA, mine);
      } catch (e) {
        return e as InvalidPageTokenError;
      }
      return undefined;
    })();
    expect(err).toMatchObject({ status: 400, code: "INVALID_PAGE_TOKEN" });
  });
});
