/**
 * Model Monitor ground-truth joins above the size bound run as jobs in the worker (performance/join-job.ts):
 * with the bound forced low through its setting (MLWATCH_GROUND_TRUTH_INLINE_BYTES), a small join goes
 * through the worker exactly as a large one would — in this process, as the local server runs drift's worker.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { uniqueName } from "../observe.js";
import { EnvName } from "../../../lambdas/shared/env.js";
import { settleAsyncJobs } from "../../../lambdas/shared/async-job.js";
import { handleFailedInvocation } from "../../../lambdas/drift/job-failure.js";
import { runGroundTruthSchedules } from "../../../lambdas/performance/index.js";
import { putJoinJob } from "../../../lambdas/performance/store/join-jobs.js";
import { putObject, registerVersions } from "./helpers.js";

/** A data-capture line (SageMaker's format) whose endpoint answered the probability `p` (CSV). */
const captureLine = (eventId: string, p: number): string =>
  JSON.stringify({
    captureData: { endpointOutput: { observedContentType: "text/csv", mode: "OUTPUT", data: String(p), encoding: "CSV" } },
    eventMetadata: { eventId, inferenceTime: new Date().toISOString() },
    eventVersion: "0",
  });
/** A ground-truth line (Model Monitor's format). */
const truthLine = (eventId: string, label: number): string => JSON.stringify({ groundTruthData: { data: String(label), encoding: "CSV" }, eventMetadata: { eventId }, eventVersion: "0" });

describe("performance: Model Monitor joins above the size bound run in the worker", () => {
  let stack: TestStack;
  const model = uniqueName("gt-job");
  const probs = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? 0.9 : i % 3 === 1 ? 0.2 : 0.6));
  const job = (jobId: string) => stack.call("GET", `/models/${model}/performance/ground-truth-jobs/${jobId}`);

  beforeAll(async () => {
    stack = await createTestStack("perf-gtjob");
    await registerVersions(stack, model, ["1.0.0"], "accuracy", "higher");
    // Captures 0-11; labels for 0-9 and one id never captured.
    await putObject(stack, `capture/${model}/a.jsonl`, probs.map((p, i) => captureLine(`evt-${i}`, p)).join("\n"));
    await putObject(stack, `groundtruth/${model}/a.jsonl`, [...probs.slice(0, 10).map((_, i) => truthLine(`evt-${i}`, i % 2)), truthLine("ghost-1", 1)].join("\n"));
  });
  afterAll(() => {
    delete process.env[EnvName.groundTruthInlineBytes];
  });

  it("answers 202 with a pending job, completes it with the same join and metrics as the inline join, and shows it by id", async () => {
    const body = { format: "model_monitor", dataUri: `s3://${stack.names.bucket}/groundtruth/${model}/`, captureUri: `s3://${stack.names.bucket}/capture/${model}/`, version: "1.0.0", probabilityThreshold: 0.5 };
    // Inline (the default bound, 64 MiB): the reference answer.
    const inline = await stack.call("POST", `/models/${model}/ground-truth`, body);
    expect(inline.status, JSON.stringify(inline.body)).toBe(200);

    // Act: the bound at 100 bytes sends the same join to the worker
    process.env[EnvName.groundTruthInlineBytes] = "100";
    const accepted = await stack.call("POST", `/models/${model}/ground-truth`, body);
    // Assess
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(accepted.body).toMatchObject({ model, status: "pending", format: "model_monitor", version: "1.0.0", objects: 2 });
    expect(accepted.body.bytes).toBeGreaterThan(100);
    expect(accepted.headers.get("location")).toBe(`/models/${model}/performance/ground-truth-jobs/${accepted.body.jobId}`);
    expect(["pending", "running"]).toContain((await job(accepted.body.jobId)).body.status);
    await settleAsyncJobs();
    const done = await job(accepted.body.jobId);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ model, jobId: accepted.body.jobId, status: "completed", origin: "request", createdBy: "local" });
    expect(done.body.result.join).toEqual(inline.body.join);
    expect(done.body.result.join).toMatchObject({ matched: 10, unmatchedGroundTruth: { count: 1, eventIds: ["ghost-1"] }, unmatchedCaptures: { count: 2, eventIds: ["evt-10", "evt-11"] } });
    expect(done.body.result.batch.metrics).toEqual(inline.body.batch.metrics);
    expect(done.body.result.batch.batchId).not.toBe(inline.body.batch.batchId);
    expect((await stack.call("GET", `/models/${model}/performance?version=1.0.0`)).body.batchCount).toBe(2);
    // Unknown jobs and ids of the wrong shape
    expect((await job("20200101T000000000Z-abcdef")).status).toBe(404);
    expect((await job("nope")).status).toBe(400);
  });

  it("fails a job whose join cannot be recorded, with the reason and the counts, and marks a job whose worker died failed", async () => {
    process.env[EnvName.groundTruthInlineBytes] = "0";
    await putObject(stack, `groundtruth/${model}-none/a.jsonl`, truthLine("nobody", 1));
    const accepted = await stack.call("POST", `/models/${model}/ground-truth`, { format: "model_monitor", dataUri: `s3://${stack.names.bucket}/groundtruth/${model}-none/`, captureUri: `s3://${stack.names.bucket}/capture/${model}/`, version: "1.0.0", probabilityThreshold: 0.5 });
    expect(accepted.status).toBe(202);
    await settleAsyncJobs();
    const failed = (await job(accepted.body.jobId)).body;
    expect(failed).toMatchObject({ status: "failed", join: { matched: 0, groundTruthRecords: 1, captureRecords: 12 } });
    expect(failed.error).toContain("no ground truth record matches a captured prediction (1 ground truth, 12 captured");

    // A worker that died (timeout, out of memory) leaves the job to the failure handler.
    const jobId = "20261206T072000123Z-0a1b2c";
    await putJoinJob({ model, jobId, status: "pending", format: "model_monitor", origin: "request", spec: { dataUri: "s3://b/k", captureUri: "s3://b/c", version: "1.0.0" }, objects: 2, bytes: 1, createdAt: new Date().toISOString(), createdBy: "local", requestId: "r-1" });
    const record = { requestContext: { condition: "RetriesExhausted", approximateInvokeCount: 2 }, requestPayload: { kind: "ground_truth_join", model, jobId }, responsePayload: { errorType: "Sandbox.Timedout", errorMessage: "Task timed out after 900.00 seconds" } };
    expect(await handleFailedInvocation(record)).toBe("marked");
    expect((await job(jobId)).body).toMatchObject({ status: "failed", error: "the drift worker failed after 2 attempts: it ran out of time (15 minutes); split or sample the data, or see the worker's log" });
    expect(await handleFailedInvocation(record)).toBe("already-finished");
  });

  it("hands a scheduled run above the bound to the worker, which records the batch and notes the schedule", async () => {
    process.env[EnvName.groundTruthInlineBytes] = "0";
    const put = await stack.call("PUT", `/models/${model}/performance/ground-truth-schedule`, {
      format: "model_monitor",
      dataUri: `s3://${stack.names.bucket}/groundtruth/${model}/`,
      captureUri: `s3://${stack.names.bucket}/capture/${model}/`,
      version: "1.0.0",
      probabilityThreshold: 0.5,
      since: "2020-01-01T00:00:00Z",
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    // A run leaves objects written in the current second for the next one (S3's LastModified is whole seconds).
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
    // Act
    const [outcome] = await runGroundTruthSchedules(new Date());
    // Assess: handed over, then joined by the worker
    expect(outcome).toMatchObject({ model, outcome: "handed_to_worker", objects: 1 });
    expect((await stack.call("GET", `/models/${model}/performance/ground-truth-schedule`)).body).toMatchObject({ lastOutcome: `joining in the worker (job ${outcome.jobId})`, lastJobId: outcome.jobId });
    await settleAsyncJobs();
    const done = (await job(outcome.jobId!)).body;
    expect(done).toMatchObject({ status: "completed", origin: "schedule", createdBy: "mlwatch-monitor", result: { join: { matched: 10 } } });
    const schedule = (await stack.call("GET", `/models/${model}/performance/ground-truth-schedule`)).body;
    expect(schedule).toMatchObject({ lastOutcome: "joined 10 record(s)", lastJobId: outcome.jobId, lastBatchId: done.result.batchId, lastJoin: { matched: 10, unmatchedGroundTruth: { count: 1 } } });
    // The claim moved the watermark: the next run has nothing new.
    expect((await runGroundTruthSchedules(new Date()))[0]).toEqual({ model, outcome: "no_new_ground_truth" });
  });
});
