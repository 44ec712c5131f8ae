import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import { metricTrend } from "../../../../lambdas/core/metrics/trend.js";
import { loadReference, relativeError } from "../fixture-data.js";

const ref = loadReference();

describe("metricTrend = scipy.stats.linregress(t, value)", () => {
  it.each((ref.trend as { points: { t: number; value: number }[]; slope: number; intercept: number; pValue: number }[]).map(
    (c, i) => [i, c] as const,
  ))("case %i", (_i, c) => {
    // Act
    const trend = metricTrend(c.points, "lower");
    // Assess
    expect(relativeError(trend.slope, c.slope)).toBeLessThanOrEqual(1e-10);
    expect(Math.abs(trend.intercept - c.intercept)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(c.intercept)));
    expect(relativeError(trend.pValue, c.pValue)).toBeLessThanOrEqual(1e-8);
    expect(trend.n).toBe(c.points.length);
  });

  it("names the direction by which side is better", () => {
    // Prepare: accuracy falling steadily
    const points = [0.9, 0.8, 0.7, 0.61, 0.5].map((value, t) => ({ t, value }));
    // Act / Assess
    expect(metricTrend(points, "higher").direction).toBe("degrading");
    expect(metricTrend(points, "lower").direction).toBe("improving");
    expect(metricTrend(points.slice(0, 2), "lower").direction).toBe("flat");
    expect(metricTrend([1, 1, 1].map((value, t) => ({ t, value })), "lower")).toMatchObject({ slope: 0, pValue: 1, direction: "flat" });
  });

  it("throws on fewer than two points or identical times", () => {
    expect(() => metricTrend([{ t: 1, value: 1 }], "lower")).toThrow("metricTrend requires at least two points");
    expect(() => metricTrend([{ t: 1, value: 1 }, { t: 1, value: 2 }], "lower")).toThrow(ValidationError);
  });
});
