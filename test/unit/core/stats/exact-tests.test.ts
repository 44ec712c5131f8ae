import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import { fisherExact2x2 } from "../../../../lambdas/core/stats/fisher-exact.js";
import { ksAsymptoticPValue } from "../../../../lambdas/core/stats/ks.js";
import { allFromOnePartProbability } from "../../../../lambdas/core/stats/one-sample-tail.js";
import { twoProportionTest } from "../../../../lambdas/core/stats/two-proportion.js";
import { loadReference, relativeError } from "../fixture-data.js";

const ref = loadReference();

interface FisherCase { table: [number, number, number, number]; pValue: number }
interface TwoProportionCase { x1: number; n1: number; x2: number; n2: number; pValue: number; method: "fisher" | "chi_square" }
interface OnePartCase { k: number; m: number; r: number; probability: number }
interface KsAsymptoticCase { d: number; n1: number; n2: number; pValue: number }

describe("fisherExact2x2 = scipy.stats.fisher_exact(table, alternative='two-sided')", () => {
  it.each((ref.fisherExact as FisherCase[]).map((c) => [c.table.join(","), c] as const))("[%s]", (_n, c) => {
    // Act
    const p = fisherExact2x2(...c.table);
    // Assess
    expect(relativeError(p, c.pValue)).toBeLessThanOrEqual(1e-9);
  });

  it("throws on negative or fractional counts", () => {
    expect(() => fisherExact2x2(-1, 2, 3, 4)).toThrow(ValidationError);
    expect(() => fisherExact2x2(1.5, 2, 3, 4)).toThrow(ValidationError);
  });
});

describe("twoProportionTest = Fisher (expected cell < 5) or scipy.stats.chi2_contingency(correction=False)", () => {
  it.each((ref.twoProportion as TwoProportionCase[]).map((c) => [`${c.x1}/${c.n1} vs ${c.x2}/${c.n2}`, c] as const))("%s", (_n, c) => {
    // Act
    const result = twoProportionTest(c.x1, c.n1, c.x2, c.n2);
    // Assess
    expect(result.method).toBe(c.method);
    expect(relativeError(result.pValue, c.pValue)).toBeLessThanOrEqual(1e-9);
  });

  it("throws when x > n", () => {
    expect(() => twoProportionTest(3, 2, 0, 1)).toThrow("twoProportionTest requires x ≤ n in each sample");
  });
});

describe("allFromOnePartProbability = scipy.stats.hypergeom(M=m + r, n=m, N=k).pmf(k)", () => {
  it.each((ref.allFromOnePart as OnePartCase[]).map((c) => [`k=${c.k} m=${c.m} r=${c.r}`, c] as const))("%s", (_n, c) => {
    // Act
    const p = allFromOnePartProbability(c.k, c.m, c.r);
    // Assess
    if (c.probability === 0) expect(p).toBeLessThan(1e-300);
    else expect(relativeError(p, c.probability)).toBeLessThanOrEqual(1e-9);
  });

  it("throws when k > m", () => {
    expect(() => allFromOnePartProbability(3, 2, 10)).toThrow(ValidationError);
  });
});

describe("ksAsymptoticPValue = scipy.stats.kstwo.sf(d, round(en))", () => {
  it.each((ref.ksAsymptotic as KsAsymptoticCase[]).map((c) => [`D=${c.d} n=${c.n1},${c.n2}`, c] as const))("%s", (_n, c) => {
    // Act
    const p = ksAsymptoticPValue(c.d, c.n1, c.n2);
    // Assess
    expect(relativeError(p, c.pValue)).toBeLessThanOrEqual(1e-6);
  });

  it("is 1 for D ≤ 0 and refuses empty samples", () => {
    expect(ksAsymptoticPValue(0, 10, 10)).toBe(1);
    expect(() => ksAsymptoticPValue(0.1, 0, 10)).toThrow(ValidationError);
  });
});
