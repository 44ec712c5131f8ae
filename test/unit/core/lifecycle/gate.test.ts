import { describe, expect, it } from "vitest";
import { evaluateGate } from "../../../../lambdas/core/lifecycle/gate.js";

const metricsOf = (auc?: number): Record<string, number> => (auc === undefined ? {} : { auc });
const candidate = (auc?: number) => ({ version: "1.1.0", metrics: metricsOf(auc) });
const production = (auc?: number) => ({ version: "1.0.0", metrics: metricsOf(auc) });

describe("promotion gate", () => {
  it("passes when there is no production version", () => {
    expect(evaluateGate({ primaryMetric: "auc", direction: "higher", candidate: candidate(0.1) }).passed).toBe(true);
  });

  it.each([
    ["higher", 0.9, 0.8, true],
    ["higher", 0.8, 0.8, true],
    ["higher", 0.7, 0.8, false],
    ["lower", 0.7, 0.8, true],
    ["lower", 0.9, 0.8, false],
  ] as const)("direction %s: candidate %d vs production %d passes = %s", (direction, c, p, passed) => {
    const result = evaluateGate({ primaryMetric: "auc", direction, candidate: candidate(c), production: production(p) });
    expect(result).toMatchObject({ passed, candidateValue: c, productionValue: p, productionVersion: "1.0.0" });
  });

  it("fails a candidate without the primary metric and passes one when production lacks it", () => {
    expect(evaluateGate({ primaryMetric: "auc", direction: "higher", candidate: candidate(), production: production(0.5) })).toMatchObject({
      passed: false,
      reason: "version 1.1.0 has no auc metric to compare with production",
    });
    expect(evaluateGate({ primaryMetric: "auc", direction: "higher", candidate: candidate(0.5), production: production() }).passed).toBe(true);
  });
});
