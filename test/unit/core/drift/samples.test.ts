import { describe, expect, it } from "vitest";
import { prepareNumeric } from "../../../../lambdas/core/drift/samples.js";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import { generate } from "../fixture-data.js";

describe("prepareNumeric", () => {
  it("gives the same sample in place as on a copy; in place, `sorted` is a view of the column, which keeps its values", () => {
    // Prepare: a column of the bucket sort's size with missing values
    const column = generate({ kind: "normal", seed: 3, n: 20_000, loc: 0, scale: 1, decimals: 6 });
    for (let i = 0; i < column.length; i += 9) column[i] = NaN;
    const original = Float64Array.from(column);
    // Act
    const copied = prepareNumeric(column);
    const untouched = Float64Array.from(column);
    const inPlace = prepareNumeric(column, { inPlace: true });
    // Assess
    expect(untouched).toEqual(original);
    expect(inPlace.count).toBe(copied.count);
    expect(inPlace.missing).toBe(copied.missing);
    expect(inPlace.sorted).toEqual(copied.sorted);
    expect(inPlace.sorted.buffer).toBe(column.buffer);
    expect(Float64Array.from(column).sort()).toEqual(Float64Array.from(original).sort());
  });

  it("copies what is not a Float64Array, and refuses infinities either way", () => {
    const values = [3, NaN, 1];
    expect(prepareNumeric(values, { inPlace: true })).toEqual({ sorted: Float64Array.of(1, 3), count: 2, missing: 1 });
    expect(values).toEqual([3, NaN, 1]);
    expect(() => prepareNumeric(Float64Array.of(1, Infinity), { inPlace: true })).toThrow(ValidationError);
    expect(() => prepareNumeric(Float64Array.of(-Infinity, 1))).toThrow(ValidationError);
  });
});
