/**
 * Unlabelled batches (scores without actuals) against the emulator: recorded from a `dataUri` object like a
 * labelled batch, and deleted like any batch (`DELETE …/batches/{batchId}`): the scored rows leave the
 * estimate, the raw rows leave S3, the deletion is audited and a second deletion is a 404.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { logsClient } from "../../../lambdas/shared/aws.js";
import { createTestStack, type TestStack } from "../stack.js";
import { uniqueName } from "../observe.js";
import { calibratedRows as rows, eventually, getJson, putObject, registerVersion } from "./helpers.js";

let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack("perf-unlabelled");
});

describe("unlabelled batches", () => {
  it("records an unlabelled batch from a dataUri object with scores and no actual column, and estimates it", async () => {
    // Prepare: a labelled reference, then a CSV of predictions and scores without labels
    const model = uniqueName("uri-est");
    await registerVersion(stack, model, "1.0.0", {}, "accuracy", "higher");
    expect((await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", ...rows(1500, 11) })).status).toBe(201);
    const later = rows(300, 12);
    const csv = ["prediction,score,region", ...later.scores.map((s, i) => `${later.predictions[i]},${s},eu`)].join("\n");
    const uri = await putObject(stack, `incoming/${model}/unlabelled.csv`, csv);
    const named = await putObject(stack, `incoming/${model}/renamed.csv`, ["pred,p", ...later.scores.map((s, i) => `${later.predictions[i]},${s}`)].join("\n"));
    // Act
    const res = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", dataUri: uri });
    const renamed = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", dataUri: named, columns: { prediction: "pred", score: "p" } });
    const askedForActuals = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", dataUri: uri, columns: { actual: "label" } });
    const judged = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", dataUri: uri, baseline: { accuracy: 0.8 } });
    // Assess: kept unlabelled, estimated, raw record pointing at the object; an actual column asked for must exist
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ labelled: false, count: 300, source: "batch", estimation: { checked: true } });
    expect(await getJson(res.body.rawUri)).toMatchObject({ dataUri: uri, format: "csv", columns: { prediction: "prediction", score: "score" }, rows: 300, labelled: false });
    expect(renamed.status).toBe(201);
    expect(renamed.body).toMatchObject({ labelled: false, count: 300 });
    expect(askedForActuals.status).toBe(422);
    expect(askedForActuals.body.error.message).toContain('has no column "label"');
    expect(judged.status).toBe(400);
    expect(judged.body.error.message).toContain("body.baseline: only for a batch with actuals");
    const report = (await stack.call("GET", `/models/${model}/performance?version=1.0.0&days=2`)).body;
    expect(report.count).toBe(1500);
    expect(report.estimated).toMatchObject({ available: true, unlabelledCount: 600 });
  });

  it("deletes an unlabelled batch: its rows leave the estimate and S3, audited; a second deletion is a 404", async () => {
    // Prepare
    const model = uniqueName("del-est");
    await registerVersion(stack, model, "1.0.0", {}, "accuracy", "higher");
    expect((await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", ...rows(1500, 21) })).status).toBe(201);
    const a = rows(200, 22);
    const b = rows(100, 23);
    const first = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", predictions: a.predictions, scores: a.scores });
    const second = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", predictions: b.predictions, scores: b.scores });
    expect((await stack.call("GET", `/models/${model}/performance?version=1.0.0&days=2`)).body.estimated.unlabelledCount).toBe(300);
    // Act
    const del = await stack.call("DELETE", `/models/${model}/versions/1.0.0/batches/${first.body.batchId}`);
    const again = await stack.call("DELETE", `/models/${model}/versions/1.0.0/batches/${first.body.batchId}`);
    const otherVersion = await stack.call("DELETE", `/models/${model}/versions/9.9.9/batches/${second.body.batchId}`);
    // Assess
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ batchId: first.body.batchId, task: "classification", source: "batch", count: 200, deleted: true, rawDeleted: true, joinsUndone: 0, taskReleased: false, warnings: [] });
    await expect(getJson(first.body.rawUri)).rejects.toThrow();
    expect(again.status).toBe(404);
    expect(otherVersion.status).toBe(404);
    const after = (await stack.call("GET", `/models/${model}/performance?version=1.0.0&days=2`)).body.estimated;
    expect(after.unlabelledCount).toBe(100);
    expect(after.daily[0].count).toBe(100);
    const mine = (r: { events?: Array<{ message?: string }> }) => (r.events ?? []).filter((e) => e.message?.includes(first.body.batchId));
    const audit = await eventually(
      () => logsClient().send(new FilterLogEventsCommand({ logGroupName: stack.names.auditLogGroup, filterPattern: '"performance.batch_deleted"' })),
      (r) => mine(r).length > 0,
    );
    expect(mine(audit)).toHaveLength(1);
    expect(JSON.parse(mine(audit)[0].message ?? "{}")).toMatchObject({ before: { batchId: first.body.batchId, labelled: false, count: 200 } });
    // the labelled reference stays, and so does the version's task
    expect((await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "regression", predictions: [1.5], actuals: [1.4] })).status).toBe(409);
  });
});
