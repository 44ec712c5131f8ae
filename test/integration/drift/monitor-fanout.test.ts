import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { CreateStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from "@aws-sdk/client-sfn";
import { createTestStack, type TestStack } from "../stack.js";
import { listenToBus, listenToTopic, metricValues, uniqueName, type BusListener, type TopicListener } from "../observe.js";
import { s3Client } from "../../../lambdas/shared/aws.js";
import { EnvName } from "../../../lambdas/shared/env.js";
import { MlwatchEventType } from "../../../lambdas/shared/event-schemas.js";
import { MonitorEnv, monitorActor, runMonitorPass, type MonitorOutcome } from "../../../lambdas/drift/monitor.js";
import { batchesOf, monitoredFanOutAttempts, type FanOutExecutionInput, type ManifestItem } from "../../../lambdas/drift/fanout.js";
import { handler as shardHandler } from "../../../lambdas/drift/handlers/shard.js";
import { handler as reduceHandler } from "../../../lambdas/drift/handlers/reduce.js";
import { getActiveBaselineId } from "../../../lambdas/drift/store/active-baseline.js";
import { putCheck, updateCheck } from "../../../lambdas/drift/store/checks.js";
import { claimMonitorFanOut } from "../../../lambdas/drift/store/monitoring.js";
import { captureKey, captureLine, makeRows, putObject, untilWritesSettled } from "./fixtures.js";

const hour = 3600_000;
// A small switch and shards (as fanout.test.ts does): 4 captured objects fan out, 2 objects a shard.
const settings: Record<string, string> = { [EnvName.driftFanOutObjects]: "4", [EnvName.driftShardObjects]: "2", [EnvName.driftMaxConcurrency]: "2" };

type Row = { age: number; income: number; plan: string };

/** Capture files of `rows`, split over `files` objects, payloads alternating CSV, JSON and base64 (CSV or JSON). */
function captureBodies(rows: Row[], files: number): string[] {
  const per = Math.ceil(rows.length / files);
  return Array.from({ length: files }, (_, f) =>
    rows
      .slice(f * per, (f + 1) * per)
      .map((r, i) => {
        const csv = `${r.age},${r.income},${r.plan}`;
        if (f % 3 === 0) return captureLine(csv, "text/csv", "CSV", i);
        if (f % 3 === 1) return captureLine(JSON.stringify(i % 2 ? r : { instances: [r] }), "application/json", "JSON", i);
        return captureLine(Buffer.from(i % 2 ? csv : JSON.stringify({ features: [r.age, r.income, r.plan] })).toString("base64"), i % 2 ? "text/csv" : "application/json", "BASE64", i);
      })
      .join("\n"),
  );
}

describe("scheduled drift checks at or above the size switch fan out", () => {
  let stack: TestStack;
  let topic: TopicListener;
  let bus: BusListener;
  const saved: Record<string, string | undefined> = {};
  const fanned = uniqueName("mon-fan");
  const single = uniqueName("mon-one");
  const retried = uniqueName("mon-retry");
  const stuck = uniqueName("mon-stuck");
  const capped = uniqueName("mon-cap");
  const busy = uniqueName("mon-busy");
  const deployed = uniqueName("mon-sfn");
  const models = [fanned, single, retried, stuck, capped, busy, deployed];
  const prefixOf = (model: string) => `capture/${model}`;
  // Driven with a clock ahead of real time so each pass is due without waiting an hour (as monitor.test.ts).
  let clock = 0;
  const pass = async (): Promise<(model: string) => MonitorOutcome> => {
    // Objects written in the current second are left for the next run (S3 LastModified is whole seconds).
    await untilWritesSettled();
    // Never behind the real clock: the pass's cutoff is the earlier of the two, and on a loaded machine the
    // writes of a test can outlast the lead the clock started with.
    clock = Math.max(clock, Date.now());
    const out = await runMonitorPass(new Date(clock));
    clock += hour;
    return (model) => out.outcomes.find((o) => o.model === model)!;
  };
  const monitoring = async (model: string) => (await stack.call("GET", `/models/${model}/monitoring`)).body;
  const check = async (model: string, checkId: string) => (await stack.call("GET", `/models/${model}/drift-checks/${checkId}`)).body;
  const history = async (model: string) => (await stack.call("GET", `/models/${model}/drift-checks`)).body.items as any[];
  /** The objects under a model's capture prefix, oldest LastModified first. */
  const captured = async (model: string) => {
    const out = await s3Client().send(new ListObjectsV2Command({ Bucket: stack.names.bucket, Prefix: `${prefixOf(model)}/` }));
    return (out.Contents ?? []).map((o) => ({ key: o.Key as string, at: (o.LastModified as Date).getTime() })).sort((a, b) => a.at - b.at);
  };
  const write = async (model: string, bodies: string[], tag: string) => {
    const when = new Date();
    for (let i = 0; i < bodies.length; i++) await putObject(stack.names.bucket, captureKey(prefixOf(model), when, `${tag}-${i}`), bodies[i]);
  };
  /** The alerts delivered for `model` so far (the listener returns every message it received). */
  const alertsOf = async (model: string, wait: boolean) => (await (wait ? topic.receive(1, 10_000) : topic.receive(Number.MAX_SAFE_INTEGER, 1500))).filter((m) => m.attributes.model === model);

  beforeAll(async () => {
    stack = await createTestStack("drift-monfan");
    topic = await listenToTopic(stack.names.topicArn);
    bus = await listenToBus();
    for (const [k, v] of Object.entries(settings)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    for (const model of models) {
      // The same baseline rows for every model: the fanned-out and the single-worker checks compare like with like.
      expect((await stack.call("POST", `/models/${model}/baselines`, { records: makeRows(3000, 81) })).status).toBe(201);
      const res = await stack.call("PUT", `/models/${model}/monitoring`, { dataCapturePrefix: `s3://${stack.names.bucket}/${prefixOf(model)}`, schedule: "hourly", enabled: true });
      expect(res.status).toBe(200);
    }
    clock = Date.now() + 2000;
  });

  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    delete process.env[MonitorEnv.maxObjects];
    delete process.env[EnvName.driftFanOutStateMachine];
  });

  it("fans a drifted window of captured CSV, JSON and base64 payloads out, decides like the single worker, advances the watermark and alerts once", async () => {
    // Prepare
    const bodies = captureBodies(makeRows(1200, 82, 1), 6);
    await write(fanned, bodies, "part");
    const before = await monitoring(fanned);
    // Act
    const first = await pass();
    // Assess: fanned out over 3 shards of 2 capture files, read in the capture format like the monitor reads it
    const out = first(fanned);
    expect(out).toMatchObject({ outcome: "checked", objects: 6, deferred: 0, driftDetected: true });
    expect(first(single).outcome).toBe("no_new_data");
    const a = await check(fanned, out.checkId!);
    expect(a).toMatchObject({ status: "completed", source: "monitor", createdBy: monitorActor, rows: 1200, objects: 6, driftDetected: true });
    expect(a.warnings).toEqual(["fanned out over 3 shard(s)"]);
    expect(a.report.features.plan.current.count).toBe(1200);
    const shards = await s3Client().send(new ListObjectsV2Command({ Bucket: stack.names.bucket, Prefix: `reports/drift-shards/${fanned}/${out.checkId}/shards/` }));
    expect(shards.KeyCount).toBe(3);
    const objects = await captured(fanned);
    const after = await monitoring(fanned);
    expect(Date.parse(after.watermark)).toBeGreaterThanOrEqual(objects[objects.length - 1].at);
    expect(Date.parse(after.watermark)).toBeGreaterThan(Date.parse(before.watermark));
    expect(Date.parse(after.watermark)).toBeLessThan(Date.now());
    expect(after).toMatchObject({ lastCheckId: out.checkId, lastOutcome: "drift" });
    expect(after.pendingCheckId).toBeUndefined();
    expect(after.failedFanOuts).toBeUndefined();
    const [alert] = await alertsOf(fanned, true);
    expect(alert.subject).toBe(`[MLWatch] Data drift: ${fanned} (2 features)`);
    expect(alert.message).toContain(`monitor check ${out.checkId}`);
    expect(a.event).toMatchObject({ type: MlwatchEventType.driftDetected, sent: true });
    const events = await bus.receive((e) => e["detail-type"] === MlwatchEventType.driftDetected && e.detail.model === fanned, 1, 5000);
    expect(events.map((e) => e.detail.checkId)).toEqual([out.checkId]);

    // Act: the same capture files for a model with the same baseline, below the switch (the single worker)
    process.env[EnvName.driftFanOutObjects] = "1000";
    await write(single, bodies, "part");
    const second = await pass().finally(() => (process.env[EnvName.driftFanOutObjects] = settings[EnvName.driftFanOutObjects]));
    // Assess: the same decisions; nothing new for the fanned-out model
    expect(second(fanned).outcome).toBe("no_new_data");
    const one = second(single);
    expect(one).toMatchObject({ outcome: "checked", objects: 6, driftDetected: true });
    const b = await check(single, one.checkId!);
    expect(b.warnings).toBeUndefined();
    expect(b).toMatchObject({ rows: a.rows, driftDetected: a.driftDetected, driftShare: a.driftShare, severity: a.severity });
    for (const name of ["age", "income", "plan"]) {
      const [fa, fb] = [a.report.features[name], b.report.features[name]];
      expect({ name, rules: fa.rulesFired, severity: fa.severity }).toEqual({ name, rules: fb.rulesFired, severity: fb.severity });
      expect(fa.tests.psi).toEqual(fb.tests.psi);
    }
    // 1,200 values fit one sketch: the merged sketches are exact, so KS is the single worker's exactly
    expect(a.report.features.income.tests.ks.pValue).toBe(b.report.features.income.tests.ks.pValue);

    // Act: another run finds nothing new
    const third = await pass();
    // Assess: one check and one alert for the fanned-out model
    expect(third(fanned).outcome).toBe("no_new_data");
    expect(await history(fanned)).toHaveLength(1);
    expect(await alertsOf(fanned, false)).toHaveLength(1);
    const detected = await metricValues(stack.names.metricsNamespace, "DriftDetected", { ModelName: fanned });
    expect(Math.max(...detected)).toBe(1);
  });

  it("marks a check with a failing shard failed, keeps the watermark, and the next run re-covers the data", async () => {
    // Prepare: 4 good capture files and an object no reader can parse
    const rows = makeRows(800, 83);
    await write(retried, captureBodies(rows, 4), "good");
    const bad = captureKey(prefixOf(retried), new Date(), "broken").replace(/\.jsonl$/, ".parquet");
    await putObject(stack.names.bucket, bad, "not a parquet file at all");
    const before = await monitoring(retried);
    // Act
    const failed = (await pass())(retried);
    // Assess
    expect(failed).toMatchObject({ outcome: "failed", objects: 5 });
    const record = await check(retried, failed.checkId!);
    expect(record).toMatchObject({ status: "failed", source: "monitor" });
    expect(record.error).toMatch(/^fan-out failed \(/);
    expect(record.error).toMatch(/parquet/i);
    expect(record.error).not.toMatch(/\n\s+at /);
    const kept = await monitoring(retried);
    expect(kept.watermark).toBe(before.watermark);
    expect(kept).toMatchObject({ lastCheckId: failed.checkId, failedFanOuts: 1 });
    expect(kept.lastOutcome).toMatch(/^failed: fan-out failed \(/);
    expect(kept.pendingCheckId).toBeUndefined();

    // Act: the broken object is removed; the next run checks the same window again
    await s3Client().send(new DeleteObjectCommand({ Bucket: stack.names.bucket, Key: bad }));
    const retry = (await pass())(retried);
    // Assess
    expect(retry).toMatchObject({ outcome: "checked", objects: 4, driftDetected: false });
    expect(await check(retried, retry.checkId!)).toMatchObject({ status: "completed", rows: 800, objects: 4 });
    const moved = await monitoring(retried);
    expect(Date.parse(moved.watermark)).toBeGreaterThanOrEqual((await captured(retried)).at(-1)!.at);
    expect(moved.failedFanOuts).toBeUndefined();
    expect((await history(retried)).map((c) => c.status)).toEqual(["completed", "failed"]);
  });

  it(`moves on after ${monitoredFanOutAttempts} failed fan-outs in a row over the same data, and says so`, async () => {
    // Prepare
    await write(stuck, captureBodies(makeRows(400, 84), 4), "good");
    await putObject(stack.names.bucket, captureKey(prefixOf(stuck), new Date(), "broken").replace(/\.jsonl$/, ".parquet"), "still not parquet");
    const before = await monitoring(stuck);
    // Act
    const outcomes: MonitorOutcome[] = [];
    for (let i = 0; i < monitoredFanOutAttempts; i++) outcomes.push((await pass())(stuck));
    // Assess
    expect(outcomes.map((o) => o.outcome)).toEqual(Array(monitoredFanOutAttempts).fill("failed"));
    const after = await monitoring(stuck);
    expect(Date.parse(after.watermark)).toBeGreaterThan(Date.parse(before.watermark));
    expect(after.lastOutcome).toContain(`failed ${monitoredFanOutAttempts} times in a row: data modified through ${after.watermark} is not checked again`);
    expect(after.failedFanOuts).toBeUndefined();
    expect((await pass())(stuck).outcome).toBe("no_new_data");
    expect(await history(stuck)).toHaveLength(monitoredFanOutAttempts);
  });

  it("covers at most the per-run cap, oldest first; the rest waits for the next run behind an exact watermark", async () => {
    // Prepare: three objects, then (a later second) three more; a run may cover 4
    process.env[MonitorEnv.maxObjects] = "4";
    process.env[EnvName.driftFanOutObjects] = "3";
    const bodies = captureBodies(makeRows(600, 85), 6);
    await write(capped, bodies.slice(0, 3), "early");
    await untilWritesSettled();
    await write(capped, bodies.slice(3), "late");
    const objects = await captured(capped);
    try {
      // Act
      const first = (await pass())(capped);
      // Assess: whole LastModified groups, oldest first, at most 4; the watermark is the newest one covered
      expect(first.outcome).toBe("checked");
      expect(first.objects).toBeGreaterThanOrEqual(3);
      expect(first.objects).toBeLessThanOrEqual(4);
      expect(first.deferred).toBe(6 - first.objects!);
      const through = objects[first.objects! - 1].at;
      expect(objects[first.objects!].at).toBeGreaterThan(through);
      const mid = await monitoring(capped);
      expect(Date.parse(mid.watermark)).toBe(through);
      expect(mid.lastOutcome).toContain(`${first.deferred} newer object(s) wait for the next run (per-run cap)`);
      const firstCheck = await check(capped, first.checkId!);
      expect(firstCheck.objects).toBe(first.objects);

      // Act: the next run takes the rest
      const second = (await pass())(capped);
      // Assess: every object covered once
      expect(second).toMatchObject({ outcome: "checked", objects: 6 - first.objects!, deferred: 0 });
      const secondCheck = await check(capped, second.checkId!);
      expect(firstCheck.rows + secondCheck.rows).toBe(600);
      expect(Date.parse((await monitoring(capped)).watermark)).toBeGreaterThanOrEqual(objects[5].at);
      expect((await pass())(capped).outcome).toBe("no_new_data");
    } finally {
      delete process.env[MonitorEnv.maxObjects];
      process.env[EnvName.driftFanOutObjects] = settings[EnvName.driftFanOutObjects];
    }
  });

  it("leaves a model alone while its fanned-out check runs, settles it when it finished unsettled, and fails one open too long", async () => {
    // Prepare: what a deployed monitor leaves behind after starting the state machine: a running check, pending on the settings
    await write(busy, captureBodies(makeRows(300, 86), 2), "part");
    const objects = await captured(busy);
    const start = await monitoring(busy);
    const baselineId = (await getActiveBaselineId(busy))!;
    const through = new Date(objects[1].at).toISOString();
    const running = "20260101T000000000Z-aaaaaa";
    await putCheck({ model: busy, checkId: running, status: "running", source: "monitor", baselineId, createdAt: new Date().toISOString(), createdBy: monitorActor, objects: 2 });
    expect(await claimMonitorFanOut(busy, start.watermark, { checkId: running, through, lastRunAt: new Date(0).toISOString(), since: new Date().toISOString() })).toBe(true);
    // Act
    const during = (await pass())(busy);
    // Assess: no second check of the same objects, the watermark where it was
    expect(during).toMatchObject({ outcome: "fan_out_running", checkId: running });
    expect((await history(busy)).map((c) => c.checkId)).toEqual([running]);
    expect((await monitoring(busy)).watermark).toBe(start.watermark);

    // Act: the check completed, but its reduce stopped before settling the settings
    await updateCheck(busy, running, { status: "completed", driftDetected: false, completedAt: new Date().toISOString() });
    const settled = (await pass())(busy);
    // Assess: the next run settles it (the watermark moves to what it covered) and finds nothing newer
    expect(settled.outcome).toBe("no_new_data");
    const now = await monitoring(busy);
    expect(now.watermark).toBe(through);
    expect(now.pendingCheckId).toBeUndefined();
    expect(await history(busy)).toHaveLength(1);

    // Prepare: new data, and a pending check handed over 8 hours ago that never finished
    await write(busy, captureBodies(makeRows(300, 87), 2), "later");
    const stale = "20260101T000000000Z-bbbbbb";
    await putCheck({ model: busy, checkId: stale, status: "running", source: "monitor", baselineId, createdAt: new Date(Date.now() - 8 * hour).toISOString(), createdBy: monitorActor, objects: 2 });
    expect(await claimMonitorFanOut(busy, through, { checkId: stale, through: new Date().toISOString(), lastRunAt: new Date(0).toISOString(), since: new Date(Date.now() - 8 * hour).toISOString() })).toBe(true);
    // Act
    const recovered = (await pass())(busy);
    // Assess: the stale check is failed in words, and the same run checks the data it never covered
    expect(await check(busy, stale)).toMatchObject({ status: "failed", error: "the fanned-out check did not finish within 7 hours; its data is checked again" });
    expect(recovered).toMatchObject({ outcome: "checked", objects: 2 });
    expect(await check(busy, recovered.checkId!)).toMatchObject({ status: "completed", rows: 300 });
    const last = await monitoring(busy);
    expect(last.pendingCheckId).toBeUndefined();
    expect(Date.parse(last.watermark)).toBeGreaterThanOrEqual((await captured(busy)).at(-1)!.at);
  });

  it("deployed: hands the check to the state machine, leaves the model alone while it runs, and its reduce or failure step settles the watermark", async () => {
    // Prepare: the emulator's Step Functions records executions (it does not run the map); the test does the
    // map's work by invoking the shard and reduce handlers with what the state machine would pass them.
    const sfn = new SFNClient({});
    const machine = await sfn.send(
      new CreateStateMachineCommand({
        name: `${deployed}-fanout`,
        definition: JSON.stringify({ StartAt: "Wait", States: { Wait: { Type: "Pass", End: true } } }),
        roleArn: "arn:aws:iam::123456789012:role/mlwatch-test",
      }),
    );
    process.env[EnvName.driftFanOutStateMachine] = machine.stateMachineArn;
    const runExecution = async (checkId: string) => {
      const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn }));
      const execution = listed.executions?.find((e) => e.name === `${deployed}-${checkId}`);
      expect(execution).toBeDefined();
      const input = JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn: execution!.executionArn }))).input as string) as FanOutExecutionInput;
      expect(input).toMatchObject({ model: deployed, checkId, bucket: stack.names.bucket });
      const manifest = await s3Client().send(new GetObjectCommand({ Bucket: input.bucket, Key: input.manifestKey }));
      const items = JSON.parse(await manifest.Body!.transformToString()) as ManifestItem[];
      return { input, items };
    };
    const mapAndReduce = async (input: FanOutExecutionInput, items: ManifestItem[]) => {
      for (const batch of batchesOf(items, Number(settings[EnvName.driftShardObjects]))) {
        await shardHandler({ Items: batch, BatchInput: { model: input.model, checkId: input.checkId, baselineId: input.baselineId, psiBins: input.psiBins } });
      }
      return reduceHandler({ action: "reduce", model: input.model, checkId: input.checkId, objects: input.objects });
    };
    try {
      await write(deployed, captureBodies(makeRows(400, 88), 4), "first");
      const start = await monitoring(deployed);
      // Act
      const handed = (await pass())(deployed);
      // Assess: started, pending, the watermark unchanged
      expect(handed).toMatchObject({ outcome: "fanned_out", objects: 4 });
      expect(await check(deployed, handed.checkId!)).toMatchObject({ status: "running", source: "monitor", objects: 4 });
      const pending = await monitoring(deployed);
      expect(pending).toMatchObject({ pendingCheckId: handed.checkId, lastCheckId: handed.checkId, lastOutcome: "fanning out", watermark: start.watermark });
      expect(Date.parse(pending.pendingThrough)).toBeGreaterThanOrEqual((await captured(deployed)).at(-1)!.at);
      const { input, items } = await runExecution(handed.checkId!);
      expect(items.map((i) => i.key).sort()).toEqual((await captured(deployed)).map((o) => o.key).sort());

      // Act: more data arrives and the monitor runs again while the execution is still going
      await write(deployed, captureBodies(makeRows(100, 89), 1), "second");
      const during = (await pass())(deployed);
      // Assess: nothing checked twice, nothing started
      expect(during).toMatchObject({ outcome: "fan_out_running", checkId: handed.checkId });
      expect((await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn }))).executions).toHaveLength(1);
      expect(await history(deployed)).toHaveLength(1);

      // Act: the map and the reduce run
      expect(await mapAndReduce(input, items)).toEqual({ driftDetected: false });
      // Assess: the reduce completed the check and moved the watermark over exactly what it covered
      expect(await check(deployed, handed.checkId!)).toMatchObject({ status: "completed", rows: 400, objects: 4, warnings: ["fanned out over 2 shard(s)"] });
      const settled = await monitoring(deployed);
      expect(settled).toMatchObject({ watermark: pending.pendingThrough, lastOutcome: "no drift" });
      expect(settled.pendingCheckId).toBeUndefined();
      // the next run takes the object that arrived meanwhile, and only it (below the switch: checked in the monitor)
      const next = (await pass())(deployed);
      expect(next).toMatchObject({ outcome: "checked", objects: 1 });
      expect(await check(deployed, next.checkId!)).toMatchObject({ status: "completed", rows: 100 });

      // Prepare: a window whose execution fails
      await write(deployed, captureBodies(makeRows(400, 90), 4), "third");
      const before = await monitoring(deployed);
      const doomed = (await pass())(deployed);
      expect(doomed.outcome).toBe("fanned_out");
      const failing = await runExecution(doomed.checkId!);
      // Act: the state machine's Catch (MarkFailed) with a failed shard's error
      await reduceHandler({ action: "fail", model: deployed, checkId: doomed.checkId!, objects: 4, error: { Error: "States.TaskFailed", Cause: JSON.stringify({ errorMessage: "the shard ran out of memory" }) } });
      // Assess: failed in words, the watermark kept; the next run starts the same window again and it completes
      expect(await check(deployed, doomed.checkId!)).toMatchObject({ status: "failed", error: "fan-out failed (States.TaskFailed: the shard ran out of memory)" });
      const kept = await monitoring(deployed);
      expect(kept).toMatchObject({ watermark: before.watermark, failedFanOuts: 1, lastOutcome: "failed: fan-out failed (States.TaskFailed: the shard ran out of memory)" });
      const again = (await pass())(deployed);
      expect(again).toMatchObject({ outcome: "fanned_out", objects: 4 });
      const retry = await runExecution(again.checkId!);
      expect(retry.items.map((i) => i.key).sort()).toEqual(failing.items.map((i) => i.key).sort());
      await mapAndReduce(retry.input, retry.items);
      expect(await check(deployed, again.checkId!)).toMatchObject({ status: "completed", rows: 400 });
      const done = await monitoring(deployed);
      expect(Date.parse(done.watermark)).toBeGreaterThanOrEqual((await captured(deployed)).at(-1)!.at);
      expect(done.failedFanOuts).toBeUndefined();
    } finally {
      delete process.env[EnvName.driftFanOutStateMachine];
    }
  });
});
