// Tests lambdas/shared/readers/parquet.ts (kept here, beside its fixture writer, in the registry's test folder).
import { describe, expect, it } from "vitest";
import { asyncBufferFromBytes, readParquetColumns, readParquetNumericColumn, readParquetShape } from "../../../lambdas/shared/readers/parquet.js";
import { writeParquet } from "./parquet-fixture.js";

const file = writeParquet([
  { name: "id", kind: "int64", values: [1n, 2n, 3n] },
  { name: "score", kind: "double", values: [0.5, null, 2.25] },
  { name: "active", kind: "boolean", values: [true, false, true] },
  { name: "city", kind: "string", values: ["Paris", "Berlin", null] },
]);

describe("Parquet reader", () => {
  it("reads the schema and row count from the footer", async () => {
    // Act
    const shape = await readParquetShape(asyncBufferFromBytes(file));
    // Assess
    expect(shape.rowCount).toBe(3);
    expect(shape.columns).toEqual([
      { name: "id", type: "integer", nullable: false, physicalType: "INT64" },
      { name: "score", type: "number", nullable: true, physicalType: "DOUBLE" },
      { name: "active", type: "boolean", nullable: false, physicalType: "BOOLEAN" },
      { name: "city", type: "string", nullable: true, physicalType: "BYTE_ARRAY" },
    ]);
  });

  it("reads columns, numeric ones as Float64Array with NaN for nulls", async () => {
    // Act
    const columns = await readParquetColumns(asyncBufferFromBytes(file), ["city", "active"]);
    const score = await readParquetNumericColumn(asyncBufferFromBytes(file), "score");
    const id = await readParquetNumericColumn(asyncBufferFromBytes(file), "id");
    // Assess
    expect(columns).toEqual({ city: ["Paris", "Berlin", null], active: [true, false, true] });
    expect([...score]).toEqual([0.5, Number.NaN, 2.25]);
    expect(id).toEqual(Float64Array.from([1, 2, 3]));
  });

  it("refuses bytes that are not Parquet", async () => {
    await expect(readParquetShape(asyncBufferFromBytes(Buffer.from("not parquet at all")))).rejects.toThrow();
  });
});
