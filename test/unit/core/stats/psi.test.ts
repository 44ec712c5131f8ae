import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import { jensenShannonDistance } from "../../../../lambdas/core/stats/jensen-shannon.js";
import {
  histogramSorted,
  populationStabilityIndex,
  psiBinEdges,
  toShares,
} from "../../../../lambdas/core/stats/psi.js";
import { quantileSorted } from "../../../../lambdas/core/stats/quantile.js";
import { wassersteinDistance } from "../../../../lambdas/core/stats/wasserstein.js";
import { type FixtureData, loadReference, materialize, relativeError } from "../fixture-data.js";

const ref = loadReference();

interface NumericCase {
  name: string;
  baseline: FixtureData;
  current: FixtureData;
  bins: number;
  expected: {
    edges: number[];
    baselineShares: number[];
    currentShares: number[];
    psi: number;
    jensenShannon: number;
    wasserstein: number;
  };
}

const sortedNonMissing = (data: FixtureData): Float64Array => {
  const values = materialize(data).filter((v) => !Number.isNaN(v));
  values.sort();
  return values;
};

describe("PSI, Jensen–Shannon and Wasserstein on numerical features (numpy / scipy reference)", () => {
  it.each((ref.numericDrift as NumericCase[]).map((c) => [c.name, c] as const))("%s", (_name, c) => {
    // Prepare
    const b = sortedNonMissing(c.baseline);
    const cur = sortedNonMissing(c.current);
    // Act
    const edges = psiBinEdges(b, c.bins);
    const bs = toShares(histogramSorted(b, edges));
    const cs = toShares(histogramSorted(cur, edges));
    // Assess — edges: np.unique(np.quantile(b, k/bins)), bit-identical
    expect(Array.from(edges)).toEqual(c.expected.edges);
    expect(Array.from(bs)).toEqual(c.expected.baselineShares);
    expect(Array.from(cs)).toEqual(c.expected.currentShares);
    expect(relativeError(populationStabilityIndex(bs, cs), c.expected.psi)).toBeLessThanOrEqual(1e-12);
    // scipy.spatial.distance.jensenshannon(bs, cs, base=2)
    expect(Math.abs(jensenShannonDistance(bs, cs) - c.expected.jensenShannon)).toBeLessThanOrEqual(1e-12);
    // scipy.stats.wasserstein_distance(b, c)
    expect(relativeError(wassersteinDistance(b, cur, { sorted: true }), c.expected.wasserstein)).toBeLessThanOrEqual(1e-10);
  });

  it("covers zero-share bins and duplicate edges", () => {
    const cases = ref.numericDrift as NumericCase[];
    expect(cases.some((c) => c.expected.currentShares.includes(0))).toBe(true);
    expect(cases.some((c) => c.expected.edges.length < c.bins - 1)).toBe(true);
  });

  it("PSI replaces an exact zero share by 1e-4 without renormalising", () => {
    // (0.5 − 1e-4)·ln(0.5/1e-4) + (1e-4 − 0.5)·ln(1e-4/0.5)... per bin
    const expected = 2 * (0.5 - 1e-4) * Math.log(0.5 / 1e-4);
    expect(populationStabilityIndex([0.5, 0.5, 0], [0, 0.5, 0.5])).toBeCloseTo(expected, 12);
  });

  it("PSI ≥ 0 and JS symmetric in [0, 1] (property)", () => {
    const counts = fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 2, maxLength: 12 });
    fc.assert(
      fc.property(counts, counts, (x, y) => {
        const k = Math.min(x.length, y.length);
        const p = toShares(x.slice(0, k));
        const q = toShares(y.slice(0, k));
        if (p.every((v) => v === 0) || q.every((v) => v === 0)) return true;
        const js = jensenShannonDistance(p, q);
        return populationStabilityIndex(p, q) >= 0 && js >= 0 && js <= 1 + 1e-12 &&
          Math.abs(js - jensenShannonDistance(q, p)) < 1e-15;
      }),
    );
  });

  it("quantileSorted is numpy's linear method", () => {
    // np.quantile([1, 2, 3, 4], [0, 0.1, 0.5, 0.9, 1]) → [1, 1.3, 2.5, 3.7, 4]
    const q = [0, 0.1, 0.5, 0.9, 1].map((p) => quantileSorted(Float64Array.of(1, 2, 3, 4), p));
    expect(q[0]).toBe(1);
    expect(q[1]).toBeCloseTo(1.3, 15);
    expect(q[2]).toBe(2.5);
    expect(q[3]).toBeCloseTo(3.7, 15);
    expect(q[4]).toBe(4);
  });

  it("throws on invalid inputs", () => {
    expect(() => populationStabilityIndex([0.5], [0.5, 0.5])).toThrow(ValidationError);
    expect(() => psiBinEdges([], 10)).toThrow("psiBinEdges requires at least one baseline value");
    expect(() => psiBinEdges([1, 2], 1)).toThrow(ValidationError);
    expect(() => wassersteinDistance([], [1])).toThrow("wassersteinDistance requires at least one value in each sample");
    expect(() => jensenShannonDistance([0, 0], [1, 0])).toThrow(ValidationError);
    expect(() => quantileSorted([], 0.5)).toThrow(ValidationError);
  });
});

