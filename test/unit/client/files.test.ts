/**
 * Request bodies from a file's records (client/files.ts): the rules the client's `…FromFile` methods and the
 * command line share with the Python client (python/src/mlwatch/_files.py).
 */
import { describe, expect, it } from "vitest";
import { MlwatchFileError } from "../../../client/errors.js";
import { baselineBody, batchBody, inferTask } from "../../../client/files.js";

describe("batchBody", () => {
  it("takes prediction and actual, and score when every row has one (then classification)", () => {
    // Act
    const body = batchBody([{ prediction: 1, actual: 0, score: 0.8 }, { prediction: 0, actual: 0, score: 0.2 }], "b.csv");
    // Assess
    expect(body).toEqual({ task: "classification", predictions: [1, 0], actuals: [0, 0], scores: [0.8, 0.2] });
  });

  it("infers regression from numeric labels that are not all 0/1, classification from text or 0/1 labels", () => {
    // Assess
    expect(batchBody([{ prediction: 2.5, actual: 3 }], "r.csv").task).toBe("regression");
    expect(inferTask(["yes", "no"], false)).toBe("classification");
    expect(inferTask([0, 1, 1], false)).toBe("classification");
    expect(inferTask([0, 2], false)).toBe("regression");
    expect(inferTask([0, 2], true)).toBe("classification");
  });

  it("honours the task and column names given, and reads numbers written as text", () => {
    // Act
    const body = batchBody([{ yhat: "1.5", y: "2", p: 0.1 }], "x.jsonl", { task: "regression", predictionColumn: "yhat", actualColumn: "y", scoreColumn: "p" });
    // Assess
    expect(body).toEqual({ task: "regression", predictions: [1.5], actuals: [2], scores: [0.1] });
  });

  it("keeps text labels and hex-looking text as text", () => {
    // Act
    const body = batchBody([{ prediction: "0x1", actual: "cat" }], "t.csv");
    // Assess
    expect(body).toEqual({ task: "classification", predictions: ["0x1"], actuals: ["cat"] });
  });

  it("does not take an inherited name for a column (score is not found on every row)", () => {
    // Act
    const body = batchBody([{ prediction: 1, actual: 1 }], "p.json", { predictionColumn: "prediction" });
    // Assess
    expect(body.scores).toBeUndefined();
    expect(() => batchBody([{ prediction: 1, actual: 1 }], "p.json", { actualColumn: "constructor" })).toThrow('p.json row 1 has no "constructor" (actualColumn names the column)');
  });

  it("names the first row without a value, and the option (or flag) that names the column", () => {
    // Prepare
    const rows = [{ prediction: 1, actual: 1 }, { prediction: 1, actual: null }];
    // Act / Assess
    expect(() => batchBody(rows, "b.csv")).toThrow('b.csv row 2 has no "actual" (actualColumn names the column)');
    expect(() => batchBody(rows, "b.csv", {}, { prediction: "--prediction-column", actual: "--actual-column", score: "--score-column" })).toThrow('b.csv row 2 has no "actual" (--actual-column names the column)');
    expect(() => batchBody([], "e.csv")).toThrow(MlwatchFileError);
    expect(() => batchBody([], "e.csv")).toThrow("e.csv holds no rows");
  });
});

describe("baselineBody", () => {
  it("sends the records and only the lists that are not empty", () => {
    // Act
    const body = baselineBody([{ a: 1 }], { categorical: ["a"], features: [], exclude: undefined });
    // Assess
    expect(body).toEqual({ records: [{ a: 1 }], categorical: ["a"] });
  });
});
