import { describe, expect, it } from "vitest";
import { kllCompactionError, kllFromSketch, kllToSketch } from "../../../../lambdas/core/drift/kll.js";
import { ksStatisticSorted } from "../../../../lambdas/core/stats/ks.js";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import statistics from "../../../fixtures/model-monitor/statistics.json" with { type: "json" };
import raw from "../../../fixtures/model-monitor/baseline-data.json" with { type: "json" };

describe("kllToSketch", () => {
  it("reads one level holding every value as the exact data", () => {
    const reading = kllToSketch([[3, 1, 2]], 3, { k: 2048, c: 0.64 }, 100);

    expect(Array.from(reading.values)).toEqual([1, 2, 3]);
    expect(reading.exact).toBe(true);
    expect(reading.rankError).toBe(0);
  });

  it("weighs level h by 2^h: one item on level 2 counts as much as four on level 0", () => {
    const reading = kllToSketch([[1, 2, 3, 4], [], [10]], 8, { k: 4, c: 0.64 }, 8);

    // Half the weight lies at or below 4, half at 10.
    const below = Array.from(reading.values).filter((v) => v <= 4).length / reading.values.length;
    expect(below).toBeCloseTo(0.5, 10);
    expect(reading.exact).toBe(false);
  });

  it("states the deterministic compaction bound Σ_{h<H−1} 1/max(2, ⌈k·c^(H−1−h)⌉)", () => {
    // H = 3, k = 100, c = 0.5: capacities of levels 0 and 1 are 25 and 50.
    expect(kllCompactionError(3, { k: 100, c: 0.5 })).toBeCloseTo(1 / 25 + 1 / 50, 12);
    expect(kllCompactionError(1, { k: 100, c: 0.5 })).toBe(0);
  });

  it("keeps the fixture's empirical CDF within the stated rank error of the data it summarises", () => {
    const age = statistics.features[0].numerical_statistics!;
    const levels = age.distribution.kll.sketch.data;
    const reading = kllToSketch(levels, age.common.num_present, { k: age.distribution.kll.sketch.parameters.k, c: age.distribution.kll.sketch.parameters.c }, 10_000);
    const data = Float64Array.from(raw.age).sort();

    expect(levels.filter((l) => l.length > 0).length).toBeGreaterThan(3);
    expect(reading.rankError).toBeGreaterThan(0);
    expect(ksStatisticSorted(reading.values, data)).toBeLessThanOrEqual(reading.rankError);
  });

  it("refuses a sketch with no item", () => {
    expect(() => kllToSketch([[], []], 0, { k: 8, c: 0.64 }, 10)).toThrow(ValidationError);
  });
});

describe("kllFromSketch", () => {
  it("puts exact data on level 0 and a sketch on the level of its weight", () => {
    expect(kllFromSketch([1, 2, 3], 3)).toEqual({ levels: [[1, 2, 3]], level: 0 });
    const { levels, level } = kllFromSketch([1, 2, 3, 4], 64);
    expect(level).toBe(4);
    expect(levels[4]).toEqual([1, 2, 3, 4]);
    expect(levels.slice(0, 4).every((l) => l.length === 0)).toBe(true);
  });
});
