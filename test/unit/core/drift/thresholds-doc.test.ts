import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { driftThresholdSpecs, type DriftThresholdSpec } from "../../../../lambdas/core/drift/thresholds.js";

const doc = readFileSync(fileURLToPath(new URL("../../../../docs/drift.md", import.meta.url)), "utf8");

describe("docs/drift.md thresholds table", () => {
  it("lists exactly the thresholds of driftThresholdSpecs with their defaults, ranges and descriptions", () => {
    // Prepare
    const block = doc.split("<!-- thresholds:begin -->")[1]?.split("<!-- thresholds:end -->")[0] ?? "";
    const rows = block.split("\n").filter((l) => l.startsWith("| `"));
    const expected = Object.entries(driftThresholdSpecs).map(([name, spec]: [string, DriftThresholdSpec]) => {
      const range = `[${spec.min}, ${spec.max === undefined ? "∞)" : `${spec.max}]`}${spec.integer ? ", integer" : ""}`;
      return `| \`${name}\` | ${spec.default} | ${range} | ${spec.description} |`;
    });
    // Assess
    expect(rows).toEqual(expected);
  });
});
