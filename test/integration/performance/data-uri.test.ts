import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { getJson, putObject, registerVersions } from "./helpers.js";
import { writeParquet } from "../../unit/registry/parquet-fixture.js";

describe("performance: batches given by dataUri", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("perf-uri");
    await registerVersions(stack, "files", ["1.0.0", "2.0.0", "3.0.0"]);
  });

  it("records a batch given by dataUri (CSV and JSON Lines, named columns)", async () => {
    // Prepare
    const csv = ["y_true,y_pred,other", ...Array.from({ length: 100 }, (_, i) => `${i},${i + (i % 2 ? 1 : -1)},x`)].join("\n");
    const csvUri = await putObject(stack, "incoming/batch.csv", csv);
    const jsonl = Array.from({ length: 40 }, (_, i) => JSON.stringify({ prediction: i % 3 === 0 ? "b" : "a", actual: i % 4 === 0 ? "b" : "a" })).join("\n");
    const jsonlUri = await putObject(stack, "incoming/labels.jsonl", jsonl);
    const broken = await putObject(stack, "incoming/broken.csv", "prediction,actual\n1,2\nx,3\n");
    // Act
    const fromCsv = await stack.call("POST", "/models/files/versions/1.0.0/batches", { task: "regression", dataUri: csvUri, columns: { prediction: "y_pred", actual: "y_true" } });
    const fromJsonl = await stack.call("POST", "/models/files/versions/2.0.0/batches", { task: "classification", dataUri: jsonlUri });
    const missingColumn = await stack.call("POST", "/models/files/versions/1.0.0/batches", { task: "regression", dataUri: csvUri });
    const badRow = await stack.call("POST", "/models/files/versions/1.0.0/batches", { task: "regression", dataUri: broken });
    const absent = await stack.call("POST", "/models/files/versions/1.0.0/batches", { task: "regression", dataUri: `s3://${stack.names.bucket}/incoming/none.csv` });
    // Assess
    expect(fromCsv.status).toBe(201);
    expect(fromCsv.body).toMatchObject({ count: 100, metrics: { rmse: 1, mae: 1 } });
    expect(await getJson(fromCsv.body.rawUri)).toMatchObject({ dataUri: csvUri, format: "csv", columns: { prediction: "y_pred", actual: "y_true" }, rows: 100 });
    expect(fromJsonl.status).toBe(201);
    expect(fromJsonl.body.count).toBe(40);
    expect(missingColumn.status).toBe(422);
    expect(missingColumn.body.error.message).toMatch(/has no column "prediction", "actual" .*name them with body\.columns/);
    expect(badRow.status).toBe(422);
    expect(badRow.body.error.message).toContain('column prediction[1] = "x" is not a finite number');
    expect(absent.status).toBe(404);
  });

  it("reads a Parquet batch with a score column for AUC", async () => {
    // Prepare
    const actual = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const score = actual.map((a, i) => (a === 1 ? 0.6 + (i % 4) * 0.1 : 0.1 + (i % 5) * 0.1));
    const prediction = score.map((s) => (s >= 0.5 ? 1 : 0));
    const uri = await putObject(
      stack,
      "incoming/scored.parquet",
      writeParquet([
        { name: "prediction", kind: "int64", values: prediction },
        { name: "actual", kind: "int64", values: actual },
        { name: "score", kind: "double", values: score },
      ]),
    );
    // Act
    const res = await stack.call("POST", "/models/files/versions/3.0.0/batches", { task: "classification", dataUri: uri, format: "parquet" });
    const wrongFormat = await stack.call("POST", "/models/files/versions/3.0.0/batches", { task: "classification", dataUri: uri, format: "csv" });
    // Assess
    expect(res.status).toBe(201);
    expect(res.body.count).toBe(60);
    expect(res.body.metrics.auc).toBeGreaterThan(0.9);
    expect(wrongFormat.status).toBe(422);
    expect(wrongFormat.body.error.message).toContain("reads as parquet, not csv");
  });
});
