import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import { checkLatencies, combineLatency, latencyFromSketch, latencyOfBatch, sketchAccuracy } from "../../../../lambdas/core/performance/latency.js";
import { loadReference, materialize, relativeError } from "../fixture-data.js";

const ref = loadReference();

interface Case {
  name: string;
  data: number[] | Parameters<typeof materialize>[0];
  exp: boolean;
  linear: [number, number];
  lower: [number, number];
  mean: number;
  max: number;
}
const valuesOf = (c: Case): Float64Array => {
  const x = materialize(c.data);
  return c.exp ? x.map(Math.exp) : x;
};

describe("latency percentiles (numpy reference)", () => {
  it.each((ref.latency as Case[]).map((c) => [c.name, c] as const))("%s: a batch's p50/p95 are np.quantile's; a sketch's within 1%% of method='lower'", (_n, c) => {
    // Prepare
    const x = valuesOf(c);
    // Act
    const { summary, sketch } = latencyOfBatch(x);
    const fromSketch = latencyFromSketch(sketch);
    // Assess
    expect(summary.p50).toBeCloseTo(c.linear[0], 10);
    expect(summary.p95).toBeCloseTo(c.linear[1], 10);
    expect(summary.meanMs).toBeCloseTo(c.mean, 9);
    expect(summary.maxMs).toBe(c.max);
    expect(relativeError(fromSketch.p50, c.lower[0])).toBeLessThanOrEqual(sketchAccuracy);
    expect(relativeError(fromSketch.p95, c.lower[1])).toBeLessThanOrEqual(sketchAccuracy);
  });

  it("merges sketches of batches into the window's percentiles (within 1%)", () => {
    // Prepare
    const c = (ref.latency as Case[])[1];
    const x = valuesOf(c);
    // Act
    const window = latencyFromSketch(combineLatency([latencyOfBatch(x.slice(0, 1700)).sketch, latencyOfBatch(x.slice(1700, 4100)).sketch, latencyOfBatch(x.slice(4100)).sketch]));
    // Assess
    expect(window.count).toBe(x.length);
    expect(relativeError(window.p50, c.lower[0])).toBeLessThanOrEqual(sketchAccuracy);
    expect(relativeError(window.p95, c.lower[1])).toBeLessThanOrEqual(sketchAccuracy);
    expect(window.maxMs).toBe(c.max);
  });

  it("counts zeros and refuses what is not a latency", () => {
    expect(latencyFromSketch(latencyOfBatch(Float64Array.of(0, 0, 0, 5)).sketch).p50).toBe(0);
    expect(() => checkLatencies([1, 2], 3)).toThrow("latenciesMs has 2 rows but the predictions have 3");
    expect(() => checkLatencies([1, -1, "2", 4e6], 4)).toThrow(/latenciesMs\[1\].*latenciesMs\[2\].*latenciesMs\[3\]/);
    expect(() => latencyOfBatch(new Float64Array(0))).toThrow(ValidationError);
  });
});
