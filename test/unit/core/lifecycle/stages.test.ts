import { describe, expect, it } from "vitest";
import { assertTransition, canTransition, stages } from "../../../../lambdas/core/lifecycle/stages.js";

describe("stage transitions", () => {
  it("allows exactly development → staging → production and development/staging → archived", () => {
    const allowed = stages.flatMap((from) => stages.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`));
    expect(allowed).toEqual(["development→staging", "development→archived", "staging→production", "staging→archived"]);
  });

  it("explains each refusal", () => {
    expect(() => assertTransition("1.0.0", "development", "production")).toThrow(
      "cannot promote version 1.0.0 from development to production: a development version moves to staging (or archived) first",
    );
    expect(() => assertTransition("1.0.0", "staging", "staging")).toThrow("version 1.0.0 is already in staging");
    expect(() => assertTransition("1.0.0", "production", "archived")).toThrow(/leaves production only when another version is promoted/);
    expect(() => assertTransition("1.0.0", "archived", "staging")).toThrow(/rollback/);
  });
});
