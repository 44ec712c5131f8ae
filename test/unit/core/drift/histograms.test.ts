import { describe, expect, it } from "vitest";
import { downsampleSorted, featureHistograms, prepareCategorical, prepareNumeric } from "../../../../lambdas/core/drift/index.js";

const ramp = (n: number, shift = 0) => Array.from({ length: n }, (_, i) => i + shift);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("featureHistograms", () => {
  it("bins numerical features on the baseline's deciles: about 10% of the baseline in each bin", () => {
    // Prepare
    const pairs = { x: { baseline: prepareNumeric(ramp(1000)), current: prepareNumeric(ramp(1000, 500)) } };
    // Act
    const h = featureHistograms(pairs).x;
    // Assess
    expect(h.type).toBe("numerical");
    if (h.type !== "numerical") return;
    expect(h.edges).toHaveLength(9);
    expect(h.baseline.every((s) => Math.abs(s - 0.1) < 0.002)).toBe(true);
    expect(sum(h.current)).toBeCloseTo(1, 12);
    // Shifted by half the range: 900…1499 lands in the top bin (≥ the 90% quantile, 899.1).
    expect(h.current[9]).toBeCloseTo(0.6, 12);
    expect(h.current[0]).toBe(0);
    expect([h.min, h.max]).toEqual([0, 1499]);
  });

  it("uses the full baseline's stored bins when the baseline is a sketch", () => {
    // Prepare: a skewed baseline sketched to 50 values keeps its exact decile edges and shares
    const full = prepareNumeric(ramp(10_000).map((i) => i * i));
    const sketch = downsampleSorted(full, 50);
    // Act
    const h = featureHistograms({ x: { baseline: sketch, current: prepareNumeric(ramp(100)) } }).x;
    // Assess
    if (h.type !== "numerical") throw new Error("expected numerical");
    expect(h.edges).toEqual(Array.from(sketch.full!.psi!.edges));
    expect(h.baseline).toEqual(Array.from(sketch.full!.psi!.shares));
  });

  it("shows the most frequent categories and pools the rest", () => {
    // Prepare
    const b = prepareCategorical([..."aaaaabbbbccd"]);
    const c = prepareCategorical([..."aaabbbbbeeef"]);
    // Act
    const h = featureHistograms({ k: { baseline: b, current: c } }, { maxCategories: 4 }).k;
    // Assess
    if (h.type !== "categorical") throw new Error("expected categorical");
    // a and b tie at 5/12 (a in the baseline, b in the current data): ties go by name.
    expect(h.categories).toEqual(["a", "b", "e", "3 others"]);
    expect(h.pooled).toBe(3);
    expect(h.baseline.map((x) => x * 12)).toEqual([5, 4, 0, 3].map((x) => expect.closeTo(x, 9)));
    expect(sum(h.current)).toBeCloseTo(1, 12);
  });

  it("leaves out features with no values on one side", () => {
    // Act
    const h = featureHistograms({ gone: { baseline: prepareNumeric([1, 2]) }, empty: { baseline: prepareNumeric([1, 2]), current: prepareNumeric([NaN]) } });
    // Assess
    expect(h).toEqual({});
  });

  it("draws a discrete numerical feature as one bar per value, not as collapsed deciles", () => {
    // Prepare: 5 % ones against 12 %
    const b = prepareNumeric(Array.from({ length: 1000 }, (_, i) => (i % 20 === 0 ? 1 : 0)));
    const c = prepareNumeric(Array.from({ length: 500 }, (_, i) => (i % 25 < 3 ? 1 : i === 7 ? 2 : 0)));
    // Act
    const h = featureHistograms({ flag: { baseline: b, current: c } }).flag;
    // Assess
    expect(h).toMatchObject({ type: "categorical", pooled: 0 });
    if (h.type !== "categorical") throw new Error("value bars expected");
    expect(h.categories).toEqual(["0", "1", "other values"]);
    expect(h.baseline).toEqual([0.95, 0.05, 0]);
    expect(h.current).toEqual([439 / 500, 60 / 500, 1 / 500]);
  });
});
