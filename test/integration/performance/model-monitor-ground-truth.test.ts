import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { auditEntries, uniqueName } from "../observe.js";
import { putObject } from "../drift/fixtures.js";
import { getJson, registerVersions } from "./helpers.js";

/** A data-capture line (SageMaker's format) whose endpoint answered `output` (CSV). */
function captureLine(eventId: string, output: string, inferenceId?: string): string {
  return JSON.stringify({
    captureData: {
      endpointInput: { observedContentType: "text/csv", mode: "INPUT", data: "1.0,2.0", encoding: "CSV" },
      endpointOutput: { observedContentType: "text/csv; charset=utf-8", mode: "OUTPUT", data: output, encoding: "CSV" },
    },
    eventMetadata: { eventId, ...(inferenceId ? { inferenceId } : {}), inferenceTime: "2025-01-02T03:04:05Z" },
    eventVersion: "0",
  });
}

/** A ground-truth line (Model Monitor's format). */
const truthLine = (eventId: string, label: string): string => JSON.stringify({ groundTruthData: { data: label, encoding: "CSV" }, eventMetadata: { eventId }, eventVersion: "0" });

describe("performance: ground truth in Model Monitor's format joined to data capture", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("perf-mmgt");
  });

  it("joins groundTruthData to endpointOutput by inferenceId or eventId, records one batch, and lists the unmatched on both sides", async () => {
    const model = uniqueName("mm-quality");
    await registerVersions(stack, model, ["1.0.0"], "accuracy", "higher");
    const bucket = stack.names.bucket;
    // 30 captured probabilities; records 0-9 carry an inferenceId the ground truth uses, the rest only an eventId.
    const probs = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 0.9 : i % 3 === 1 ? 0.2 : 0.6));
    const keyOf = (i: number): string => (i < 10 ? `inf-${i}` : `evt-${i}`);
    const capture = probs.map((p, i) => captureLine(`evt-${i}`, String(p), i < 10 ? `inf-${i}` : undefined));
    await putObject(bucket, "capture/ep/AllTraffic/2025/01/02/03/a.jsonl", capture.slice(0, 15).join("\n"));
    await putObject(bucket, "capture/ep/AllTraffic/2025/01/02/03/b.jsonl", `${capture.slice(15).join("\n")}\n`);
    // Labels for records 0-24 (25 unlabelled … 29) plus two the capture never saw.
    const labels = Array.from({ length: 25 }, (_, i) => (i % 3 === 0 ? 1 : i % 3 === 1 ? 0 : i % 2));
    const truth = [...labels.map((l, i) => truthLine(keyOf(i), String(l))), truthLine("ghost-1", "1"), truthLine("ghost-2", "0")];
    await putObject(bucket, "groundtruth/ep/2025/01/02/03/labels.jsonl", truth.join("\n"));

    const res = await stack.call("POST", `/models/${model}/ground-truth`, {
      format: "model_monitor",
      dataUri: `s3://${bucket}/groundtruth/ep/`,
      captureUri: `s3://${bucket}/capture/ep/AllTraffic/`,
      version: "1.0.0",
      probabilityThreshold: 0.5,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.join).toMatchObject({
      groundTruthRecords: 27,
      captureRecords: 30,
      matched: 25,
      unmatchedGroundTruth: { count: 2, eventIds: ["ghost-1", "ghost-2"] },
      unmatchedCaptures: { count: 5, eventIds: ["evt-25", "evt-26", "evt-27", "evt-28", "evt-29"] },
    });
    // Expected accuracy from the same rule: label 1 when p ≥ 0.5.
    let correct = 0;
    labels.forEach((l, i) => (correct += (probs[i] >= 0.5 ? 1 : 0) === l ? 1 : 0));
    const batch = res.body.batch;
    expect(batch).toMatchObject({ model, version: "1.0.0", source: "ground_truth", count: 25, task: "classification" });
    expect(batch.metrics.accuracy).toBeCloseTo(correct / 25, 12);
    expect(batch.metrics.auc).toBeDefined();
    const raw = await getJson(batch.rawUri);
    expect(raw.records).toHaveLength(25);
    expect(raw.records[0]).toEqual({ id: "inf-0", prediction: 1, score: 0.9, actual: 1 });
    const audit = await auditEntries(stack.names.auditLogGroup, `"performance.ground_truth_joined"`);
    expect(audit.some((e) => e.after?.format === "model_monitor" && e.after?.matched === 25)).toBe(true);
  });

  it("answers 422 when nothing matches and 400 for an incomplete request", async () => {
    const bucket = stack.names.bucket;
    await registerVersions(stack, "mm-none", ["1.0.0"], "accuracy", "higher");
    await putObject(bucket, "capture/none/x.jsonl", captureLine("a-1", "0.7"));
    await putObject(bucket, "groundtruth/none/y.jsonl", truthLine("b-1", "1"));
    const none = await stack.call("POST", "/models/mm-none/ground-truth", { format: "model_monitor", dataUri: `s3://${bucket}/groundtruth/none/y.jsonl`, captureUri: `s3://${bucket}/capture/none/x.jsonl`, version: "1.0.0", probabilityThreshold: 0.5 });
    expect(none.status).toBe(422);
    expect(none.body.error.message).toContain("no ground truth record matches a captured prediction (1 ground truth, 1 captured");
    const partial = await stack.call("POST", "/models/mm-none/ground-truth", { format: "model_monitor", dataUri: `s3://${bucket}/groundtruth/none/y.jsonl`, version: "1.0.0" });
    expect(partial.status).toBe(400);
    expect(partial.body.error.message).toContain("captureUri");
    const bad = await stack.call("POST", "/models/mm-none/ground-truth", { records: [{ id: "x", actual: 1 }], captureUri: `s3://${bucket}/capture/none/x.jsonl` });
    expect(bad.status).toBe(400);
  });
});
