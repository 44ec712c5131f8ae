import { describe, expect, it } from "vitest";
import { diffDatasetSchemas } from "../../../../lambdas/core/lifecycle/dataset-diff.js";

describe("diffDatasetSchemas", () => {
  it("names added, removed and changed columns and the row count change", () => {
    const diff = diffDatasetSchemas(
      { version: "a", rowCount: 10, sizeBytes: 100, columns: [{ name: "x", type: "integer", nullable: false }, { name: "y", type: "string", nullable: false }] },
      { version: "b", rowCount: 15, sizeBytes: 90, columns: [{ name: "x", type: "number", nullable: true }, { name: "z", type: "boolean", nullable: false }] },
    );
    expect(diff).toMatchObject({
      columnsAdded: [{ name: "z" }],
      columnsRemoved: [{ name: "y" }],
      typeChanges: [{ name: "x", from: "integer", to: "number" }],
      nullabilityChanges: [{ name: "x", from: false, to: true }],
      rowCount: { from: 10, to: 15, delta: 5, relative: 0.5 },
      sizeBytes: { delta: -10 },
      identicalSchema: false,
    });
  });

  it("reports an identical schema regardless of column order", () => {
    const cols = [{ name: "a", type: "integer", nullable: false }, { name: "b", type: "string", nullable: true }];
    expect(diffDatasetSchemas({ version: "a", rowCount: 0, sizeBytes: 0, columns: cols }, { version: "b", rowCount: 0, sizeBytes: 0, columns: [...cols].reverse() })).toMatchObject({
      identicalSchema: true,
      rowCount: { relative: null },
    });
  });
});
