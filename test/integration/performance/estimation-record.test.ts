/**
 * The persisted estimation track record against the emulator: predictions estimated before their labels,
 * then ground truth joins — the version's `trackRecord` holds that window, checked when the labels came; it
 * survives a change of reference (the estimates are recomputed, the record is not); a labelled batch outside
 * a stored reference adds to it; deleting a batch takes its entry out.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { uniqueName } from "../observe.js";
import { calibratedRows as rows, registerVersion } from "./helpers.js";

let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack("perf-est-record");
});

describe("estimation track record", () => {
  it("records the window once ground truth joins, keeps it through a change of reference, and drops it with its batch", async () => {
    // Prepare: a labelled reference, 100 logged predictions with scores, estimated before any label (each
    // prediction is a write, its join another and the batch's delete a third, one emulator call each: the
    // record's rules hold the same for 100 as for 300)
    const model = uniqueName("record-est");
    await registerVersion(stack, model, "1.0.0", {}, "accuracy", "higher");
    const reference = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", ...rows(2500, 31) });
    expect(reference.status).toBe(201);
    const later = rows(100, 32);
    const logged = await stack.call("POST", `/models/${model}/versions/1.0.0/predictions`, { records: later.scores.map((s, i) => ({ id: `r-${i}`, prediction: later.predictions[i], score: s })) });
    expect(logged.body.estimation).toMatchObject({ checked: true });
    const before = (await stack.call("GET", `/models/${model}/performance?version=1.0.0&days=3`)).body.estimated;
    expect(before.trackRecord).toMatchObject({ batches: 0, windows: 0, count: 0, meanAbsoluteError: { accuracy: null } });

    // Act: the labels arrive
    const joined = await stack.call("POST", `/models/${model}/ground-truth`, { records: later.actuals.map((a, i) => ({ id: `r-${i}`, actual: a })) });

    // Assess: the join says it went into the record; the report's trackRecord is that window, as checked then
    expect(joined.status).toBe(200);
    const gtBatch = joined.body.batches[0].batchId;
    expect(joined.body.trackRecord).toEqual([{ batchId: gtBatch, recorded: true, windows: 1 }]);
    const after = (await stack.call("GET", `/models/${model}/performance?version=1.0.0&days=3`)).body.estimated;
    const day = after.daily[0].labelled;
    expect(after.trackRecord).toMatchObject({ batches: 1, windows: 1, count: 100, truncated: false });
    expect(after.trackRecord.meanAbsoluteError.accuracy).toBeCloseTo(Math.abs(day.estimationError.accuracy), 5);
    expect(after.trackRecord.meanError.f1).toBeCloseTo(day.estimationError.f1, 5);
    expect(after.trackRecord.coverage.accuracy).toBe(day.covered.accuracy ? 1 : 0);

    // a new reference (Platt on the same rows) recomputes the estimates, not the record
    const at = Date.parse(reference.body.timestamp);
    const put = await stack.call("PUT", `/models/${model}/versions/1.0.0/estimation-reference`, { from: new Date(at - 1_000).toISOString(), to: new Date(at + 1).toISOString(), method: "platt" });
    expect(put.body).toMatchObject({ available: true, method: "platt" });
    const recomputed = (await stack.call("GET", `/models/${model}/performance?version=1.0.0&days=3`)).body.estimated;
    expect(recomputed.method).toBe("platt");
    expect(recomputed.daily[0].labelled.estimated.metrics.accuracy).not.toBeCloseTo(day.estimated.metrics.accuracy, 6);
    expect(recomputed.trackRecord).toEqual(after.trackRecord);

    // a labelled scored batch outside the stored reference is a check too
    const outside = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", ...rows(200, 33) });
    expect(outside.status).toBe(201);
    expect(outside.body.trackRecord).toEqual({ recorded: true, windows: 1 });
    const two = (await stack.call("GET", `/models/${model}/performance?version=1.0.0&days=3`)).body.estimated.trackRecord;
    expect(two).toMatchObject({ batches: 2, windows: 2, count: 300 });

    // deleting the joined batch takes its entry out
    expect((await stack.call("DELETE", `/models/${model}/versions/1.0.0/batches/${gtBatch}`)).status).toBe(200);
    const left = (await stack.call("GET", `/models/${model}/performance?version=1.0.0&days=3`)).body.estimated.trackRecord;
    expect(left).toMatchObject({ batches: 1, windows: 1, count: 200 });
  }, 600_000);

  it("leaves a labelled batch of the default reference out of the record", async () => {
    const model = uniqueName("ref-est");
    await registerVersion(stack, model, "1.0.0", {}, "accuracy", "higher");
    const first = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", ...rows(1500, 41) });
    const second = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", ...rows(500, 42) });
    expect(first.body.trackRecord).toBeUndefined();
    expect(second.body.trackRecord).toBeUndefined();
    const report = (await stack.call("GET", `/models/${model}/performance?version=1.0.0&days=3`)).body.estimated;
    expect(report.trackRecord).toMatchObject({ batches: 0, windows: 0 });
  });
});
