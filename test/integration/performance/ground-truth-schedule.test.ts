import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { auditEntries, uniqueName } from "../observe.js";
import { handler as monitorHandler } from "../../../lambdas/drift/handlers/monitor.js";
import { runGroundTruthSchedules } from "../../../lambdas/performance/index.js";
import { runScheduledJoin } from "../../../lambdas/performance/ground-truth-schedule.js";
import { putObject, registerVersions } from "./helpers.js";

/** A data-capture line (SageMaker's format) whose endpoint answered the probability `p` (CSV). */
function captureLine(eventId: string, p: number, inferenceTime: string): string {
  return JSON.stringify({
    captureData: {
      endpointInput: { observedContentType: "text/csv", mode: "INPUT", data: "1.0,2.0", encoding: "CSV" },
      endpointOutput: { observedContentType: "text/csv; charset=utf-8", mode: "OUTPUT", data: String(p), encoding: "CSV" },
    },
    eventMetadata: { eventId, inferenceTime },
    eventVersion: "0",
  });
}

/** A ground-truth line (Model Monitor's format). */
const truthLine = (eventId: string, label: number): string => JSON.stringify({ groundTruthData: { data: String(label), encoding: "CSV" }, eventMetadata: { eventId }, eventVersion: "0" });

/** SageMaker's hourly layout: `{prefix}/yyyy/mm/dd/hh/{file}`. */
const hourKey = (prefix: string, t: Date, file: string): string => `${prefix}/${t.toISOString().slice(0, 13).replace(/[-T]/g, "/")}/${file}`;

/** Waits into the next whole second: S3's LastModified is whole seconds, and a run leaves the current one for later. */
const nextSecond = (): Promise<void> => new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));

describe("performance: scheduled ground-truth joins (Model Monitor's files) on the monitor pass", () => {
  let stack: TestStack;
  const model = uniqueName("gt-sched");
  const probs = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 0.9 : i % 3 === 1 ? 0.2 : 0.6));
  const labelOf = (i: number): number => (i % 3 === 0 ? 1 : i % 3 === 1 ? 0 : i % 2);
  const accuracyOf = (ids: number[]): number => ids.filter((i) => (probs[i] >= 0.5 ? 1 : 0) === labelOf(i)).length / ids.length;
  const outcomeOf = async () => (await runGroundTruthSchedules(new Date())).find((o) => o.model === model)!;
  const batchCount = async (): Promise<number> => (await stack.call("GET", `/models/${model}/performance?version=1.0.0`)).body.batchCount;

  beforeAll(async () => {
    stack = await createTestStack("perf-gtsched");
    await registerVersions(stack, model, ["1.0.0"], "accuracy", "higher");
  });

  it("refuses incomplete settings, and answers 404 before a schedule is set", async () => {
    const none = await stack.call("GET", `/models/${model}/performance/ground-truth-schedule`);
    expect(none.status).toBe(404);
    expect(none.body.error.message).toContain("has no ground-truth schedule");
    const bucket = stack.names.bucket;
    const noTask = await stack.call("PUT", `/models/${model}/performance/ground-truth-schedule`, { format: "model_monitor", dataUri: `s3://${bucket}/gt/`, captureUri: `s3://${bucket}/cap/`, version: "1.0.0" });
    expect(noTask.status).toBe(400);
    expect(noTask.body.error.message).toContain("task");
    const badUri = await stack.call("PUT", `/models/${model}/performance/ground-truth-schedule`, { format: "model_monitor", dataUri: "https://x/y", captureUri: `s3://${bucket}/cap/`, version: "1.0.0", probabilityThreshold: 0.5 });
    expect(badUri.status).toBe(400);
    expect(badUri.body.error.message).toContain("dataUri");
    const unknownVersion = await stack.call("PUT", `/models/${model}/performance/ground-truth-schedule`, { format: "model_monitor", dataUri: `s3://${bucket}/gt/`, captureUri: `s3://${bucket}/cap/`, version: "9.9.9", probabilityThreshold: 0.5 });
    expect(unknownVersion.status).toBe(404);
    expect(await stack.call("GET", `/models/${model}/performance/ground-truth-schedule`)).toMatchObject({ status: 404 });
  });

  it("joins the ground truth that arrived since the last run, once: a second run joins nothing, new files join alone, the unmatched are reported", async () => {
    const bucket = stack.names.bucket;
    const gtPrefix = `groundtruth/${model}`;
    const capPrefix = `capture/${model}/AllTraffic`;
    const put = await stack.call("PUT", `/models/${model}/performance/ground-truth-schedule`, {
      format: "model_monitor",
      dataUri: `s3://${bucket}/${gtPrefix}/`,
      captureUri: `s3://${bucket}/${capPrefix}/`,
      version: "1.0.0",
      probabilityThreshold: 0.5,
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ model, format: "model_monitor", version: "1.0.0", captureLookbackHours: 48, enabled: true, updatedBy: "local" });
    expect(Date.parse(put.body.watermark)).toBeLessThanOrEqual(Date.now());

    // Prepare: 30 captured predictions over two objects of the hourly layout; labels for 0-19 and one id never captured.
    const now = new Date();
    const capture = probs.map((p, i) => captureLine(`evt-${i}`, p, now.toISOString()));
    await putObject(stack, hourKey(capPrefix, now, "a.jsonl"), capture.slice(0, 15).join("\n"));
    await putObject(stack, hourKey(capPrefix, now, "b.jsonl"), `${capture.slice(15).join("\n")}\n`);
    const first = Array.from({ length: 20 }, (_, i) => i);
    await putObject(stack, hourKey(gtPrefix, now, "labels-1.jsonl"), [...first.map((i) => truthLine(`evt-${i}`, labelOf(i))), truthLine("ghost-1", 1)].join("\n"));
    await nextSecond();

    // Act: the monitor's scheduled function runs the joins after its drift pass
    const result = await monitorHandler();
    // Assess
    expect(result).toMatchObject({ groundTruthJoined: 1 });
    const schedule = (await stack.call("GET", `/models/${model}/performance/ground-truth-schedule`)).body;
    expect(schedule).toMatchObject({ lastOutcome: "joined 20 record(s)", lastObjects: 1 });
    expect(schedule.lastJoin).toMatchObject({
      groundTruthRecords: 21,
      captureRecords: 30,
      matched: 20,
      unmatchedGroundTruth: { count: 1, eventIds: ["ghost-1"] },
      unmatchedCaptures: { count: 10 },
    });
    const batches = await stack.call("GET", `/models/${model}/performance?version=1.0.0`);
    expect(batches.body).toMatchObject({ batchCount: 1, count: 20 });
    expect(batches.body.overall.accuracy).toBeCloseTo(accuracyOf(first), 12);
    const audit = await auditEntries(stack.names.auditLogGroup, `"performance.ground_truth_joined"`);
    expect(audit.some((e) => e.model === model && e.actor === "mlwatch-monitor" && e.after?.batchId === schedule.lastBatchId && e.after?.matched === 20)).toBe(true);

    // Act: a second run over the same files
    await nextSecond();
    const again = await outcomeOf();
    // Assess: nothing joined twice
    expect(again).toEqual({ model, outcome: "no_new_ground_truth" });
    expect(await batchCount()).toBe(1);

    // Act: new ground truth for five more records, and one line for an id the capture never saw
    const second = [20, 21, 22, 23, 24];
    await putObject(stack, hourKey(gtPrefix, new Date(), "labels-2.jsonl"), [...second.map((i) => truthLine(`evt-${i}`, labelOf(i))), truthLine("ghost-2", 0)].join("\n"));
    await nextSecond();
    const third = await outcomeOf();
    // Assess: only the new file is read and joined
    expect(third).toMatchObject({ outcome: "joined", objects: 1, join: { groundTruthRecords: 6, matched: 5, unmatchedGroundTruth: { count: 1, eventIds: ["ghost-2"] } } });
    const after = await stack.call("GET", `/models/${model}/performance?version=1.0.0`);
    expect(after.body).toMatchObject({ batchCount: 2, count: 25 });
  });

  it("reports ground truth that matches no capture without recording a batch, and two overlapping runs take new files once", async () => {
    const bucket = stack.names.bucket;
    const gtPrefix = `groundtruth/${model}`;
    await putObject(stack, hourKey(gtPrefix, new Date(), "labels-3.jsonl"), [truthLine("ghost-3", 1), truthLine("ghost-4", 0)].join("\n"));
    await nextSecond();
    const unmatched = await outcomeOf();
    expect(unmatched).toMatchObject({ outcome: "unmatched", objects: 1, join: { matched: 0, unmatchedGroundTruth: { count: 2, eventIds: ["ghost-3", "ghost-4"] } } });
    expect((await stack.call("GET", `/models/${model}/performance/ground-truth-schedule`)).body.lastOutcome).toContain("no ground truth record matched a captured prediction (2 ground truth");
    expect(await batchCount()).toBe(2);

    // Two passes at once over one new file: the watermark's conditional write lets one of them take it.
    await putObject(stack, hourKey(gtPrefix, new Date(), "labels-4.jsonl"), [26, 27].map((i) => truthLine(`evt-${i}`, labelOf(i))).join("\n"));
    await nextSecond();
    const read = (await stack.call("GET", `/models/${model}/performance/ground-truth-schedule`)).body;
    const both = await Promise.all([runScheduledJoin(read, new Date()), runScheduledJoin(read, new Date())]);
    const outcomes = both.map((o) => o.outcome).sort();
    expect(outcomes).toEqual(["joined", "skipped_concurrent"]);
    expect(await batchCount()).toBe(3);

    // Disabled: the settings stay, no run takes the next file.
    const off = await stack.call("PUT", `/models/${model}/performance/ground-truth-schedule`, { format: "model_monitor", dataUri: `s3://${bucket}/${gtPrefix}/`, captureUri: `s3://${bucket}/capture/${model}/AllTraffic/`, version: "1.0.0", probabilityThreshold: 0.5, enabled: false });
    expect(off.body).toMatchObject({ enabled: false });
    await putObject(stack, hourKey(gtPrefix, new Date(), "labels-5.jsonl"), truthLine("evt-28", labelOf(28)));
    await nextSecond();
    expect((await runGroundTruthSchedules(new Date())).find((o) => o.model === model)).toBeUndefined();
    expect(await batchCount()).toBe(3);
  });
});
