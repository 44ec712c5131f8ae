/**
 * The performance thresholds come from one table (`performanceThresholdSpecs`): the defaults, the metric each
 * rule judges, `mergeThresholds`' checks and the request schema must all follow each entry.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  defaultPerformanceThresholds,
  mergeThresholds,
  type PerformanceThresholdName,
  type PerformanceThresholdSpec,
  performanceThresholdSpecs,
  primaryMetricChoices,
  thresholdDefaultText,
  thresholdOf,
} from "../../../../lambdas/core/performance/thresholds.js";
import { thresholdsSchema } from "../../../../lambdas/performance/contract/schemas.js";

const specs = Object.entries(performanceThresholdSpecs) as Array<[PerformanceThresholdName, PerformanceThresholdSpec]>;

/** Values a threshold must refuse, by its spec. */
function refused(spec: PerformanceThresholdSpec): unknown[] {
  if (spec.kind === "metric") return ["rmsle", 1];
  const out: unknown[] = [Number.NaN, "5"];
  if (spec.min !== undefined) out.push(spec.min - 0.5);
  if (spec.max !== undefined) out.push(spec.max + 0.5);
  if (spec.integer) out.push((spec.min ?? 0) + 1.5);
  if (!spec.nullable) out.push(null);
  return out;
}

/** Values a threshold must take, by its spec. */
function accepted(spec: PerformanceThresholdSpec): unknown[] {
  if (spec.kind === "metric") return [null, ...primaryMetricChoices];
  const out: unknown[] = [];
  if (spec.default !== null) out.push(spec.default);
  if (spec.min !== undefined) out.push(spec.min, spec.min + 7);
  if (spec.max !== undefined) out.push(spec.max, spec.max - 3);
  if (spec.nullable) out.push(null);
  return out;
}

describe("performanceThresholdSpecs", () => {
  it("gives the defaults", () => {
    expect(Object.keys(defaultPerformanceThresholds)).toEqual(specs.map(([name]) => name));
    for (const [name, spec] of specs) expect(defaultPerformanceThresholds[name], name).toBe(spec.default);
  });

  it("gives each metric's rule (thresholdOf) from the entries that judge a metric", () => {
    const judged = specs.flatMap(([name, spec]) => (spec.kind === "number" && spec.rule ? [[spec.rule.metric, name, spec.rule.compare]] : []));
    expect(judged.length).toBe(9);
    expect(Object.entries(thresholdOf).map(([metric, r]) => [metric, r?.key, r?.kind])).toEqual(judged);
  });

  it.each(specs)("%s: the request schema and mergeThresholds accept and refuse the same values", (name, spec) => {
    for (const value of accepted(spec)) {
      expect(thresholdsSchema.safeParse({ [name]: value }).success, `${name}=${String(value)}`).toBe(true);
      expect(mergeThresholds({ [name]: value } as never)[name], `${name}=${String(value)}`).toBe(value);
    }
    for (const value of refused(spec)) {
      expect(thresholdsSchema.safeParse({ [name]: value }).success, `${name}=${String(value)}`).toBe(false);
      expect(() => mergeThresholds({ [name]: value } as never), `${name}=${String(value)}`).toThrow(new RegExp(`^thresholds\\.${name} `));
    }
  });

  it("documents every field of the OpenAPI document's PerformanceThresholds with its description and default", () => {
    const document = JSON.parse(readFileSync(new URL("../../../../docs/openapi.json", import.meta.url), "utf8"));
    const properties: Record<string, { description?: string }> = document.components.schemas.PerformanceThresholds.properties;
    expect(Object.keys(properties)).toEqual(specs.map(([name]) => name));
    for (const [name, spec] of specs) expect(properties[name].description, name).toBe(`${spec.description} Default ${thresholdDefaultText(spec)}.`);
  });

  it("refuses unknown fields in a request and ignores inherited names when merging", () => {
    expect(thresholdsSchema.safeParse({ rmseIncreasePercent: 5 }).success).toBe(false);
    expect(mergeThresholds(JSON.parse('{"toString": 3, "rmseIncreasePct": 4}'))).toEqual({ ...defaultPerformanceThresholds, rmseIncreasePct: 4 });
  });
});
