import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import {
  calibrate,
  calibrationError,
  chooseCalibration,
  crossFittedCalibrationError,
  fitIsotonic,
  fitPlatt,
  poolAdjacentViolators,
} from "../../../../lambdas/core/performance/estimation-calibration.js";
import { variates } from "../../../../lambdas/core/performance/estimation-sampling.js";
import { mulberry32 } from "../../../../lambdas/core/stats/seeded.js";
import { loadReference } from "../fixture-data.js";

const ref = loadReference() as unknown as {
  isotonic: Array<{ y: number[]; w: number[]; fitted: number[] }>;
  platt: Array<{ x: number[]; total: number[]; positives: number[]; a: number; b: number }>;
};

describe("poolAdjacentViolators", () => {
  it("pools a violating pair into its weighted mean (by hand)", () => {
    // [1, 3, 2] with weights [1, 1, 3]: 3 > 2 pool → (3·1 + 2·3)/4 = 2.25
    expect(Array.from(poolAdjacentViolators([1, 3, 2], [1, 1, 3]))).toEqual([1, 2.25, 2.25]);
    // a chain that pools back past the first block: [3, 2, 1] → 2, 2, 2
    expect(Array.from(poolAdjacentViolators([3, 2, 1], [1, 1, 1]))).toEqual([2, 2, 2]);
  });

  it.each(ref.isotonic.map((c, i) => [i, c] as const))("agrees with scipy.optimize.isotonic_regression (case %i)", (_, c) => {
    const fitted = poolAdjacentViolators(c.y, c.w);
    c.fitted.forEach((v, i) => expect(fitted[i]).toBeCloseTo(v, 12));
  });
});

describe("fitIsotonic and calibrate", () => {
  it("interpolates between fitted points and clips outside them", () => {
    const c = fitIsotonic({ x: [0.2, 0.4, 0.8], total: [10, 10, 10], positives: [1, 5, 9] });
    expect(calibrate(c, 0.2)).toBeCloseTo(0.1, 12);
    expect(calibrate(c, 0.3)).toBeCloseTo(0.3, 12); // halfway from 0.1 to 0.5
    expect(calibrate(c, 0.6)).toBeCloseTo(0.7, 12); // halfway from 0.5 to 0.9
    expect(calibrate(c, 0.05)).toBe(0.1);
    expect(calibrate(c, 0.99)).toBe(0.9);
  });

  it("refuses x out of order and an empty reference", () => {
    expect(() => fitIsotonic({ x: [0.5, 0.4], total: [1, 1], positives: [0, 1] })).toThrow(ValidationError);
    expect(() => fitIsotonic({ x: [0.5], total: [0], positives: [0] })).toThrow(/at least one row/);
  });
});

describe("fitPlatt", () => {
  it.each(ref.platt.map((c, i) => [i, c] as const))("finds scipy.optimize.minimize's optimum (case %i)", (_, c) => {
    const fit = fitPlatt({ x: c.x, total: c.total, positives: c.positives });
    if (fit.method !== "platt") throw new Error("expected a Platt fit");
    expect(fit.a).toBeCloseTo(c.a, 6);
    expect(fit.b).toBeCloseTo(c.b, 6);
  });

  it("leaves calibrated scores alone: outcomes at exactly the score's rate give a = 1, b = 0", () => {
    const x = [0.1, 0.25, 0.5, 0.75, 0.9];
    const total = [1000, 1000, 1000, 1000, 1000];
    const fit = fitPlatt({ x, total, positives: x.map((v) => v * 1000) });
    if (fit.method !== "platt") throw new Error("expected a Platt fit");
    expect(fit.a).toBeCloseTo(1, 9);
    expect(fit.b).toBeCloseTo(0, 9);
    expect(calibrate(fit, 0.25)).toBeCloseTo(0.25, 9);
  });

  it("refuses a reference with one class only", () => {
    expect(() => fitPlatt({ x: [0.2, 0.8], total: [5, 5], positives: [0, 0] })).toThrow(/both classes/);
  });
});

describe("chooseCalibration", () => {
  it("takes isotonic from 1,000 rows with 100 of each class, Platt below", () => {
    expect(chooseCalibration(1000, 100)).toBe("isotonic");
    expect(chooseCalibration(999, 500)).toBe("platt");
    expect(chooseCalibration(5000, 99)).toBe("platt");
    expect(chooseCalibration(5000, 4901)).toBe("platt");
  });
});

describe("calibrationError", () => {
  it("sums the gaps per score bin over the rows (by hand)", () => {
    // score bin [0.1, 0.2): p 0.15, 20 rows, 5 positive → |5 − 3| = 2; [0.8, 0.9): p 0.85, 17 positive → 0;
    // two scores in [0.5, 0.6) with p 0.3 and 0.7, 10 rows each, 5 and 5 positive → |10 − 10| = 0
    expect(calibrationError([0.15, 0.85, 0.52, 0.58], [0.15, 0.85, 0.3, 0.7], [20, 20, 10, 10], [5, 17, 5, 5])).toBeCloseTo(2 / 60, 12);
  });

  it("is small out of sample for a monotone relation and large for one no monotone map can follow", () => {
    const x = [0.1, 0.5, 0.9];
    const good = crossFittedCalibrationError("isotonic", { x, total: [400, 400, 400], positives: [40, 200, 360] }, variates(mulberry32(1)));
    const bad = crossFittedCalibrationError("isotonic", { x, total: [400, 400, 400], positives: [400, 0, 400] }, variates(mulberry32(1)));
    expect(good).toBeLessThan(0.05);
    expect(bad).toBeGreaterThan(0.25);
  });
});
