/**
 * A model's `everyMinutes` against the stack's monitor period (MLWATCH_MONITOR_EVERY_MINUTES, set by CDK
 * from `monitorEveryMinutes`): shorter is refused, the same or longer is stored, and the monitor's pass
 * checks such a model again once its period has passed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvName } from "../../../lambdas/shared/env.js";
import { runMonitorPass } from "../../../lambdas/drift/monitor.js";
import { createTestStack, type TestStack } from "../stack.js";
import { uniqueName } from "../observe.js";
import { captureKey, captureLine, makeRows, putObject, untilWritesSettled } from "./fixtures.js";

describe("monitoring more often than hourly", () => {
  let stack: TestStack;
  const model = uniqueName("often");
  const before = process.env[EnvName.monitorEveryMinutes];
  beforeAll(async () => {
    process.env[EnvName.monitorEveryMinutes] = "10";
    stack = await createTestStack("drift-often");
    expect((await stack.call("POST", `/models/${model}/baselines`, { records: makeRows(1000, 61) })).status).toBe(201);
  });
  afterAll(() => {
    if (before === undefined) delete process.env[EnvName.monitorEveryMinutes];
    else process.env[EnvName.monitorEveryMinutes] = before;
  });

  it("refuses an everyMinutes shorter than the stack's, stores one at or above it, and runs the model on that period", async () => {
    const prefix = `capture/${model}`;
    const settings = { dataCapturePrefix: `s3://${stack.names.bucket}/${prefix}`, schedule: "hourly", enabled: true };
    const short = await stack.call("PUT", `/models/${model}/monitoring`, { ...settings, everyMinutes: 5 });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toBe("body.everyMinutes: 5 is shorter than the stack's monitor period (10 minutes, setting monitorEveryMinutes)");
    expect((await stack.call("PUT", `/models/${model}/monitoring`, { ...settings, everyMinutes: 7 })).status).toBe(400);
    const ok = await stack.call("PUT", `/models/${model}/monitoring`, { ...settings, everyMinutes: 10 });
    expect(ok.status).toBe(200);
    expect(ok.body.everyMinutes).toBe(10);

    const lines = makeRows(300, 62).map((r, i) => captureLine(`${r.age},${r.income},${r.plan}`, "text/csv", "CSV", i));
    // S3's LastModified has one-second resolution: a pass leaves objects of the current second to the next.
    const settle = untilWritesSettled;
    await putObject(stack.names.bucket, captureKey(prefix, new Date(Date.now() - 60_000), "a"), lines.join("\n"));
    await settle();
    const first = await runMonitorPass(new Date());
    expect(first.outcomes.find((o) => o.model === model)?.outcome).toBe("checked");
    await putObject(stack.names.bucket, captureKey(prefix, new Date(), "b"), lines.join("\n"));
    await settle();
    // Five minutes on, a 10-minute model is not due; ten minutes on it is (an hourly one would not be).
    expect((await runMonitorPass(new Date(Date.now() + 5 * 60_000))).outcomes.find((o) => o.model === model)?.outcome).toBe("not_due");
    expect((await runMonitorPass(new Date(Date.now() + 10 * 60_000))).outcomes.find((o) => o.model === model)?.outcome).toBe("checked");
  });
});
