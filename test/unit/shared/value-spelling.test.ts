/**
 * One spelling for the API's values: every enumerated value of the OpenAPI document and of the EventBridge
 * events' schema (statuses, kinds, outcomes, sources, alert types, event detail values) and every alert kind
 * is lower snake_case (`training_failed`, `pending_upload`, `by_cloudwatch`), never kebab-case. The only
 * other spellings are names defined elsewhere: the metric names (JSON-style, `logLoss`), HTTP methods and
 * the events' detail-types (`mlwatch Drift Detected`, EventBridge's convention).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AlertType } from "../../../lambdas/alerts/contract/alert-types.js";
import { classificationMetricNames, regressionMetricNames } from "../../../lambdas/core/performance/metric-names.js";

const read = (path: string): unknown => JSON.parse(readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8"));
const snake = /^[a-z0-9]+(_[a-z0-9]+)*$/;
const otherNames = new Set<string>([...classificationMetricNames, ...regressionMetricNames, "PUT"]);

/** Every string of an `enum` or `const` in a JSON schema tree. */
function enumerated(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => enumerated(n, out));
  else if (node !== null && typeof node === "object") {
    const o = node as Record<string, unknown>;
    if (Array.isArray(o.enum)) for (const v of o.enum) if (typeof v === "string") out.add(v);
    if (typeof o.const === "string") out.add(o.const);
    for (const v of Object.values(o)) enumerated(v, out);
  }
  return out;
}

describe("one spelling for values", () => {
  it("spells every enumerated value of the OpenAPI document in snake_case", () => {
    const values = [...enumerated(read("docs/openapi.json"))];
    expect(values.length).toBeGreaterThan(40);
    expect(values.filter((v) => !snake.test(v) && !otherNames.has(v))).toEqual([]);
  });

  it("spells every enumerated value of the events' detail in snake_case", () => {
    const schema = read("docs/events.schema.json") as { detailTypes: Record<string, unknown> };
    const values = [...enumerated(schema.detailTypes)];
    expect(values.length).toBeGreaterThan(5);
    expect(values.filter((v) => !snake.test(v) && !otherNames.has(v))).toEqual([]);
  });

  it("spells every alert kind in snake_case", () => {
    expect(Object.values(AlertType).filter((v) => !snake.test(v))).toEqual([]);
    expect(AlertType.trainingFailed).toBe("training_failed");
  });
});
