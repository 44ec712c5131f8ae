import { describe, expect, it } from "vitest";
import { joinRecords, parseCaptureLine, parseGroundTruthLine } from "../../../lambdas/performance/model-monitor-join.js";

const capture = (meta: Record<string, string>, output: Record<string, string>): string =>
  JSON.stringify({ captureData: { endpointInput: { data: "1,2", encoding: "CSV" }, endpointOutput: output }, eventMetadata: meta, eventVersion: "0" });

describe("Model Monitor ground truth and data capture", () => {
  it("reads labels in CSV, JSON and BASE64 encodings", () => {
    expect(parseGroundTruthLine('{"groundTruthData":{"data":"1","encoding":"CSV"},"eventMetadata":{"eventId":"e1"},"eventVersion":"0"}', "l1")).toEqual({ id: "e1", label: 1 });
    expect(parseGroundTruthLine('{"groundTruthData":{"data":"\\"cat\\"","encoding":"JSON"},"eventMetadata":{"eventId":"e2"}}', "l2")).toEqual({ id: "e2", label: "cat" });
    expect(parseGroundTruthLine(JSON.stringify({ groundTruthData: { data: Buffer.from("0").toString("base64"), encoding: "BASE64" }, eventMetadata: { eventId: "e3" } }), "l3")).toEqual({ id: "e3", label: 0 });
  });

  it("refuses a label line without an eventId or groundTruthData, naming where", () => {
    expect(() => parseGroundTruthLine('{"groundTruthData":{"data":"1"}}', "dataUri s3://b/k line 4")).toThrow("dataUri s3://b/k line 4: eventMetadata.eventId must be a non-empty string");
    expect(() => parseGroundTruthLine('{"eventMetadata":{"eventId":"x"}}', "here")).toThrow("here: groundTruthData is required");
    expect(() => parseGroundTruthLine("{", "here")).toThrow("here: not a JSON line");
  });

  it("keys a capture by its inferenceId when present, else its eventId, and reads CSV or JSON output", () => {
    expect(parseCaptureLine(capture({ eventId: "e", inferenceId: "i", inferenceTime: "2025-01-01T00:00:00Z" }, { data: "0.75", encoding: "CSV", observedContentType: "text/csv" }), "c")).toEqual({ id: "i", value: 0.75, inferenceTime: "2025-01-01T00:00:00Z" });
    expect(parseCaptureLine(capture({ eventId: "e" }, { data: "[0.3]", encoding: "JSON", observedContentType: "application/json" }), "c")).toEqual({ id: "e", value: 0.3 });
    expect(parseCaptureLine(JSON.stringify({ captureData: { endpointInput: { data: "1" } }, eventMetadata: { eventId: "e" } }), "c")).toBeUndefined();
  });

  it("joins by id, thresholds probabilities, and counts the unmatched and the duplicates", () => {
    const out = joinRecords(
      [{ id: "a", label: 1 }, { id: "b", label: 0 }, { id: "b", label: 1 }, { id: "z", label: 0 }],
      [{ id: "a", value: 0.8 }, { id: "b", value: 0.4 }, { id: "c", value: 0.9 }],
      0.5,
    );
    expect(out.predictions).toEqual([1, 0]);
    expect(out.actuals).toEqual([1, 1]);
    expect(out.scores).toEqual([0.8, 0.4]);
    expect(out.report).toEqual({ groundTruthRecords: 4, captureRecords: 3, matched: 2, duplicateIds: 1, unmatchedGroundTruth: { count: 1, eventIds: ["z"] }, unmatchedCaptures: { count: 1, eventIds: ["c"] } });
  });

  it("refuses a probability threshold over predictions that are not probabilities", () => {
    expect(() => joinRecords([{ id: "a", label: 1 }], [{ id: "a", value: 3 }], 0.5)).toThrow("not a probability in [0, 1]");
  });
});
