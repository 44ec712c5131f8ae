import { describe, expect, it } from "vitest";
import { MAX_DISCRETE_VALUES, distinctSorted } from "../../../../lambdas/core/drift/distinct-values.js";

describe("distinctSorted", () => {
  it("counts each distinct value of a sorted sample", () => {
    // Act
    const out = distinctSorted(Float64Array.from([0, 0, 1, 1, 1, 2.5]), 3);
    // Assess
    expect(Array.from(out!.values)).toEqual([0, 1, 2.5]);
    expect(Array.from(out!.counts)).toEqual([2, 3, 1]);
  });

  it("gives up past the limit, and an empty sample has no values", () => {
    expect(distinctSorted([1, 2, 3, 4], 3)).toBeUndefined();
    expect(distinctSorted([1, 2, 3], 3)).toBeDefined();
    expect(Array.from(distinctSorted([], MAX_DISCRETE_VALUES)!.values)).toEqual([]);
  });
});
